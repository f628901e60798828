#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>

#include <fmt/format.h>

#include "readers.hpp"

namespace lyncupdate::loader::detail {
namespace {

std::string lower_first(std::string text) {
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') {
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  }
  return text;
}

std::string errno_reason(int error) { return lower_first(std::generic_category().message(error)); }

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

}  // namespace

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
