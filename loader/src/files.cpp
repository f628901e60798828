#include "lyncupdate/loader/files.hpp"

#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "readers.hpp"

namespace lyncupdate::loader::detail {
namespace {

std::string lower_first(std::string text) {
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') {
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  }
  return text;
}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

}  // namespace

std::string errno_reason(int error) { return lower_first(std::generic_category().message(error)); }

std::expected<std::string, FileError> read_text_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return std::unexpected(FileError{true, {}});
  errno = 0;
  const std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
  if (!file) return std::unexpected(FileError{false, errno_reason(errno != 0 ? errno : EIO)});
  std::string text;
  char buffer[65536];
  while (true) {
    const std::size_t read = std::fread(buffer, 1, sizeof buffer, file.get());
    text.append(buffer, read);
    if (text.size() > max_file_bytes) {
      return std::unexpected(
          FileError{false, fmt::format("the file is larger than {} MiB", max_file_bytes >> 20)});
    }
    if (read < sizeof buffer) break;
  }
  if (std::ferror(file.get()) != 0) {
    // A directory that slipped past the check above (a race) fails here with EISDIR.
    if (errno == EISDIR) return std::unexpected(FileError{true, {}});
    return std::unexpected(FileError{false, errno_reason(errno != 0 ? errno : EIO)});
  }
  return text;
}

}  // namespace lyncupdate::loader::detail

namespace lyncupdate::loader {

std::expected<void, std::string> write_file_atomically(const std::filesystem::path& path,
                                                       std::string_view text) {
  const std::string target = path.string();
  const std::string temporary = target + ".tmp";
  const auto fail = [&](std::string_view what) {
    const std::string why = detail::errno_reason(errno);
    ::unlink(temporary.c_str());
    return std::unexpected(fmt::format("cannot {} {}: {}", what, temporary, why));
  };
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    const std::string why = detail::errno_reason(errno);
    return std::unexpected(fmt::format("cannot create {}: {}", temporary, why));
  }
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      auto error = fail("write");
      ::close(fd);
      return error;
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    auto error = fail("flush");
    ::close(fd);
    return error;
  }
  if (::close(fd) != 0) return fail("close");
  if (std::rename(temporary.c_str(), target.c_str()) != 0) {
    const std::string why = detail::errno_reason(errno);
    ::unlink(temporary.c_str());
    return std::unexpected(fmt::format("cannot rename {} to {}: {}", temporary, target, why));
  }
  return {};
}

}  // namespace lyncupdate::loader

namespace lyncupdate::loader {

std::expected<std::string, std::string> read_input_file(const std::filesystem::path& path) {
  auto text = detail::read_text_file(path);
  if (text) return std::move(*text);
  if (text.error().is_directory) return std::unexpected(std::string("is a directory"));
  return std::unexpected("cannot read file: " + text.error().reason);
}

}  // namespace lyncupdate::loader
