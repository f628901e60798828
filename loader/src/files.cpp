#include "lyncupdate/loader/files.hpp"

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <memory>
#include <system_error>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/random.h>
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
namespace {

// Twelve random hexadecimal digits from the kernel: a name that nobody can predict.
std::string random_suffix() {
  std::array<unsigned char, 6> bytes{};
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t n = ::getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      // Without the kernel's generator, the process and the time still make a name that
      // O_EXCL protects.
      const auto fallback = static_cast<std::uint64_t>(::getpid()) ^
                            static_cast<std::uint64_t>(::time(nullptr)) << 20;
      return fmt::format("{:012x}", fallback & 0xffffffffffffULL);
    }
    filled += static_cast<std::size_t>(n);
  }
  std::string text;
  for (const unsigned char byte : bytes) text += fmt::format("{:02x}", byte);
  return text;
}

struct Temporary {
  int fd = -1;
  std::string path;
};

// Creates a new file in `folder` under a fresh name: O_CREAT|O_EXCL never opens an existing
// name, a symlink planted there included (O_NOFOLLOW says so twice), so the write cannot be
// redirected to another file. Up to 100 names are tried.
std::expected<Temporary, std::string> create_temporary(const std::filesystem::path& folder,
                                                       const std::string& base) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    Temporary temporary;
    temporary.path = (folder / fmt::format(".{}.{}.tmp", base, random_suffix())).string();
    temporary.fd =
        ::open(temporary.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (temporary.fd >= 0) return temporary;
    if (errno != EEXIST) {
      const std::string why = detail::errno_reason(errno);
      return std::unexpected(fmt::format("cannot create {}: {}", temporary.path, why));
    }
  }
  return std::unexpected(fmt::format(
      "cannot create a temporary file in {}: every name tried exists", folder.string()));
}

bool write_all(int fd, std::string_view text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    written += static_cast<std::size_t>(n);
  }
  return true;
}

// The rename is durable only once the folder's entry is on disk too.
bool sync_folder(const std::filesystem::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool synced = ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  errno = error;
  return synced;
}

}  // namespace

std::expected<void, std::string> write_file_atomically(const std::filesystem::path& path,
                                                       std::string_view text) {
  const std::string target = path.string();
  const std::filesystem::path folder =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  auto created = create_temporary(folder, path.filename().string());
  if (!created) return std::unexpected(created.error());
  const std::string temporary = created->path;
  const auto fail = [&](std::string_view what) {
    const std::string why = detail::errno_reason(errno);
    ::unlink(temporary.c_str());
    return std::unexpected(fmt::format("cannot {} {}: {}", what, temporary, why));
  };
  const int fd = created->fd;
  if (!write_all(fd, text)) {
    auto error = fail("write");
    ::close(fd);
    return error;
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
  if (!sync_folder(folder)) {
    const std::string why = detail::errno_reason(errno);
    return std::unexpected(fmt::format("cannot flush the folder {}: {}", folder.string(), why));
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
