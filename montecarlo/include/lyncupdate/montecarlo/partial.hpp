#pragma once
/// \file
/// Partial results: one shard of a batch written to a file (`simulate --shard K/N
/// --partial FILE`) and read back by `lyncupdate merge`. The format is JSON, schema
/// `lyncupdate/montecarlo-partial/1` (docs/json.md); samples are exact integers, so merging
/// loses nothing.

#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

#include "lyncupdate/montecarlo/batch.hpp"

namespace lyncupdate::mc {

/// The partial-result document of `batch`, ending in a newline.
std::string partial_text(const BatchResult& batch);

/// The largest partial result `merge` reads: 1 GiB, about ten million runs of a dozen
/// servers. Larger files are refused before they are read.
inline constexpr std::uintmax_t max_partial_bytes = std::uintmax_t{1} << 30;

/// Writes `batch` to `path` atomically (loader::write_file_atomically), so `path` is either
/// absent, the old file or the whole new one.
/// The error is a lower-case message naming the file.
std::expected<void, std::string> write_partial(const std::filesystem::path& path,
                                               const BatchResult& batch);

/// Reads a partial result written by write_partial, checking every field; the error is a
/// lower-case message naming the file and, for content, the JSON pointer.
/// Larger than max_partial_bytes is an error, and so are counts that no batch of the file's
/// runs could give (above the runs, contradicted by the samples, of an unknown rule).
std::expected<BatchResult, std::string> read_partial(const std::filesystem::path& path);

/// The same checks on the text of a partial result; `name` is the file named in messages.
std::expected<BatchResult, std::string> parse_partial(std::string_view text,
                                                      const std::string& name);

}  // namespace lyncupdate::mc
