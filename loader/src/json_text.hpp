#pragma once
/// \file
/// Internal to the loader: JSON text to a JSON value, safely. A first SAX pass rejects
/// nesting deeper than `max_nesting`, oversized objects and duplicate keys without building
/// anything, so no input can make the loader recurse deeply, run in quadratic time or crash;
/// syntax errors come back with the line and column of the offending byte.

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "lyncupdate/loader/loader.hpp"
#include "problems.hpp"

namespace lyncupdate::loader::detail {

/// The deepest nesting of arrays and objects a file may have; a scenario needs six.
inline constexpr std::size_t max_nesting = 64;

/// The most members one object may have. Ordered objects find keys by linear search, so this
/// bounds the parse time of hostile input; a scenario's largest object has a few dozen.
inline constexpr std::size_t max_object_members = 10'000;

/// A key that appears twice in one object.
struct DuplicateKey {
  std::string pointer;  ///< of the second occurrence (the same as the first's)
  std::string key;
};

/// A parsed JSON text.
struct ParsedJson {
  Json root;
  std::vector<DuplicateKey> duplicate_keys;  ///< problems, but the value is still usable
};

/// 1-based line and column (in bytes) of byte `offset` of `text`.
struct TextPosition {
  int line = 1;
  int column = 1;
};
TextPosition position_of(std::string_view text, std::size_t offset);

/// Parses `text`; on failure, the one problem that stopped the parse, naming `file`.
std::expected<ParsedJson, Diagnostic> parse_json(std::string_view text, std::string_view file);

}  // namespace lyncupdate::loader::detail
