#pragma once
/// \file
/// Writing result files so that nothing is ever half written.

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

namespace lyncupdate::loader {

/// Writes `text` to a new temporary file beside `path` (a name nobody can predict, created
/// with O_EXCL|O_NOFOLLOW, so a symlink planted there never redirects the write), flushes it
/// to disk (fsync), renames it over `path` and flushes the folder: `path` is then either
/// untouched or the whole new file. On failure the temporary file is removed and the reason
/// says which operation failed on which file. Every command writes its files through this.
std::expected<void, std::string> write_file_atomically(const std::filesystem::path& path,
                                                       std::string_view text);

}  // namespace lyncupdate::loader
