#pragma once
/// \file
/// Partial results: one shard of a batch written to a file (`simulate --shard K/N
/// --partial FILE`) and read back by `lyncupdate merge`. The format is JSON, schema
/// `lyncupdate/montecarlo-partial/1` (docs/json.md); samples are exact integers, so merging
/// loses nothing.

#include <expected>
#include <filesystem>
#include <string>

#include "lyncupdate/montecarlo/batch.hpp"

namespace lyncupdate::mc {

/// The partial-result document of `batch`, ending in a newline.
std::string partial_text(const BatchResult& batch);

/// Writes `batch` to `path` atomically: to `path`.tmp, flushed to disk with fsync, then
/// renamed over `path`, so `path` is either absent, the old file or the whole new one.
/// The error is a lower-case message naming the file.
std::expected<void, std::string> write_partial(const std::filesystem::path& path,
                                               const BatchResult& batch);

/// Reads a partial result written by write_partial, checking every field; the error is a
/// lower-case message naming the file and, for content, the JSON pointer.
std::expected<BatchResult, std::string> read_partial(const std::filesystem::path& path);

}  // namespace lyncupdate::mc
