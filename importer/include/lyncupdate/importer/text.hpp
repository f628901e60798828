#pragma once
/// \file
/// The bytes of an exported file as text: the encodings Windows PowerShell writes, and
/// positions for messages.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "lyncupdate/loader/loader.hpp"

namespace lyncupdate::importer {

/// `bytes` as UTF-8 without a byte-order mark: UTF-8 with or without a BOM is kept as it is,
/// UTF-16 with a BOM (little or big endian: `Out-File` and `Export-Csv -Encoding Unicode` in
/// Windows PowerShell 5.1) is converted. An unpaired surrogate becomes U+FFFD.
std::string utf8_text(std::string_view bytes);

/// A 1-based line and column (columns count bytes of the UTF-8 text, as the scenario loader's
/// do).
struct Position {
  int line = 0;
  int column = 0;
};

/// An input problem of `file` at `at`, rendered `file:line:col: error: message`.
loader::Diagnostic problem_at(std::string_view file, Position at, std::string message);

/// Positions in one text, from byte offsets. O(lines) to build, O(log lines) per lookup.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  /// The line and column of byte `offset` (clamped to the text's end).
  Position at(std::size_t offset) const;

 private:
  std::vector<std::size_t> starts_;  // offset of each line's first byte
  std::size_t size_ = 0;
};

}  // namespace lyncupdate::importer
