#pragma once
/// \file
/// Writing result files so that nothing is ever half written.

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

namespace lyncupdate::loader {

/// Writes `text` to `path`.tmp, flushes it to disk (fsync) and renames it over `path`: `path`
/// is then either untouched or the whole new file. On failure the temporary file is removed
/// and the reason says which operation failed on which file.
std::expected<void, std::string> write_file_atomically(const std::filesystem::path& path,
                                                       std::string_view text);

}  // namespace lyncupdate::loader
