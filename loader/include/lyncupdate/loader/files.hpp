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

/// The bytes of an input file (at most 16 MiB, as every file the loader reads). Error: a
/// lower-case reason ("is a directory", "cannot read file: no such file or directory", "the
/// file is larger than 16 MiB").
std::expected<std::string, std::string> read_input_file(const std::filesystem::path& path);

}  // namespace lyncupdate::loader
