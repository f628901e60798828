#include "lyncupdate/importer/text.hpp"

#include <algorithm>
#include <cstdint>

namespace lyncupdate::importer {
namespace {

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

std::string from_utf16(std::string_view bytes, bool little_endian) {
  constexpr std::uint32_t replacement = 0xFFFD;
  const auto unit = [&](std::size_t i) -> std::uint32_t {
    const auto a = static_cast<unsigned char>(bytes[i]);
    const auto b = static_cast<unsigned char>(bytes[i + 1]);
    return little_endian ? (std::uint32_t{b} << 8) | a : (std::uint32_t{a} << 8) | b;
  };
  std::string out;
  out.reserve(bytes.size() / 2);
  std::size_t i = 0;
  while (i + 1 < bytes.size()) {
    const std::uint32_t first = unit(i);
    i += 2;
    if (first >= 0xD800 && first <= 0xDBFF && i + 1 < bytes.size()) {
      const std::uint32_t second = unit(i);
      if (second >= 0xDC00 && second <= 0xDFFF) {
        i += 2;
        append_utf8(out, 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00));
        continue;
      }
    }
    append_utf8(out, first >= 0xD800 && first <= 0xDFFF ? replacement : first);
  }
  return out;
}

}  // namespace

std::string utf8_text(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) return std::string(bytes.substr(3));
  if (bytes.starts_with("\xFF\xFE")) return from_utf16(bytes.substr(2), true);
  if (bytes.starts_with("\xFE\xFF")) return from_utf16(bytes.substr(2), false);
  return std::string(bytes);
}

loader::Diagnostic problem_at(std::string_view file, Position at, std::string message) {
  loader::Diagnostic diagnostic;
  diagnostic.file = std::string(file);
  diagnostic.line = at.line;
  diagnostic.column = at.column;
  diagnostic.message = std::move(message);
  return diagnostic;
}

LineIndex::LineIndex(std::string_view text) : size_(text.size()) {
  starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts_.push_back(i + 1);
  }
}

Position LineIndex::at(std::size_t offset) const {
  offset = std::min(offset, size_);
  const auto after = std::upper_bound(starts_.begin(), starts_.end(), offset);
  const auto line = static_cast<std::size_t>(after - starts_.begin());  // 1-based
  return {static_cast<int>(line), static_cast<int>(offset - starts_[line - 1] + 1)};
}

}  // namespace lyncupdate::importer
