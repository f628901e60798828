// The lab host's parser (lab_parser.hpp), from tests/live/lab/lab-powershell.
#include "lab_parser.hpp"

#include <array>
#include <cstdint>

namespace lyncupdate::fuzz {
namespace {

constexpr std::u32string_view first_line = U"$ErrorActionPreference = 'Stop'";
constexpr std::u32string_view last_line = U"if ($LASTEXITCODE) { exit $LASTEXITCODE }";
// QUOTES = "'\u2018\u2019\u201a\u201b"
constexpr std::u32string_view quotes = U"'\u2018\u2019\u201a\u201b";

bool is_quote(char32_t c) { return quotes.find(c) != std::u32string_view::npos; }

// base64.b64decode(encoded, validate=True): only the alphabet, padding at the end, length a
// multiple of four (checked by the caller).
std::optional<std::string> base64_decode(const std::string& text) {
  constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t group = 0;
  int bits = 0;
  std::size_t padding = 0;
  for (const char c : text) {
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return std::nullopt;
    const auto value = alphabet.find(c);
    if (value == std::string_view::npos) return std::nullopt;
    group = (group << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((group >> bits) & 0xFFu));
    }
  }
  if (padding > 2) return std::nullopt;
  return out;
}

// raw.decode("utf-16-le"), strict: unpaired surrogates are an error.
std::optional<std::u32string> utf16le_decode(const std::string& raw) {
  std::u32string out;
  for (std::size_t i = 0; i + 1 < raw.size(); i += 2) {
    const char32_t unit = static_cast<unsigned char>(raw[i]) |
                          (static_cast<char32_t>(static_cast<unsigned char>(raw[i + 1])) << 8);
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      if (i + 3 >= raw.size()) return std::nullopt;
      const char32_t low = static_cast<unsigned char>(raw[i + 2]) |
                           (static_cast<char32_t>(static_cast<unsigned char>(raw[i + 3])) << 8);
      if (low < 0xDC00 || low > 0xDFFF) return std::nullopt;
      out.push_back(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
      i += 2;
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      return std::nullopt;
    } else {
      out.push_back(unit);
    }
  }
  return out;
}

bool starts_with(const std::u32string& line, std::size_t i, std::u32string_view prefix) {
  return line.compare(i, prefix.size(), prefix) == 0 && i + prefix.size() <= line.size();
}

// read_quoted(line, i): the value of the quoted string opening at line[i], and the index
// after it.
std::optional<std::pair<std::u32string, std::size_t>> read_quoted(const std::u32string& line,
                                                                  std::size_t i) {
  std::u32string out;
  i += 1;
  while (i < line.size()) {
    const char32_t c = line[i];
    if (is_quote(c)) {
      const bool has_following = i + 1 < line.size();
      const char32_t following = has_following ? line[i + 1] : 0;
      if (has_following && following == c) {
        out.push_back(c);
        i += 2;
        continue;
      }
      if (c == U'\'' && (!has_following || !is_quote(following))) {
        return std::pair{out, i + 1};
      }
      return std::nullopt;
    }
    out.push_back(c);
    i += 1;
  }
  return std::nullopt;
}

// PARAMETER = re.compile(r"-[A-Za-z][A-Za-z0-9]*"), matched at i: the end, or 0.
std::size_t match_parameter(const std::u32string& line, std::size_t i) {
  const auto letter = [](char32_t c) {
    return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
  };
  const auto digit = [](char32_t c) { return c >= U'0' && c <= U'9'; };
  if (i + 1 >= line.size() || line[i] != U'-' || !letter(line[i + 1])) return 0;
  std::size_t end = i + 2;
  while (end < line.size() && (letter(line[end]) || digit(line[end]))) ++end;
  return end;
}

// parse_pipeline(line)
std::optional<std::vector<LabStage>> parse_pipeline(const std::u32string& line) {
  std::vector<LabStage> stages;
  std::size_t i = 0;
  while (true) {
    if (!starts_with(line, i, U"& '")) return std::nullopt;
    auto name = read_quoted(line, i + 2);
    if (!name || name->first.empty()) return std::nullopt;
    i = name->second;
    LabStage stage{name->first, {}};
    while (true) {
      if (i == line.size()) {
        stages.push_back(std::move(stage));
        return stages;
      }
      if (starts_with(line, i, U" | ")) {
        stages.push_back(std::move(stage));
        i += 3;
        break;
      }
      if (line[i] != U' ' || i + 1 == line.size()) return std::nullopt;
      i += 1;
      if (line[i] == U'\'') {
        auto value = read_quoted(line, i);
        if (!value) return std::nullopt;
        stage.tokens.push_back({false, value->first});
        i = value->second;
        continue;
      }
      const std::size_t end = match_parameter(line, i);
      if (end == 0 || (end < line.size() && line[end] != U' ')) return std::nullopt;
      stage.tokens.push_back({true, line.substr(i, end - i)});
      i = end;
    }
  }
}

// parse_script(script)
std::optional<std::vector<LabStage>> parse_script(const std::u32string& script) {
  std::size_t newlines = 0;
  for (const char32_t c : script) {
    if ((c < 0x20 && c != U'\n') || c == 0x7F) return std::nullopt;
    newlines += c == U'\n' ? 1 : 0;
  }
  if (script.empty() || script.back() != U'\n' || newlines != 3) return std::nullopt;
  const std::size_t one = script.find(U'\n');
  const std::size_t two = script.find(U'\n', one + 1);
  const std::u32string first = script.substr(0, one);
  const std::u32string middle = script.substr(one + 1, two - one - 1);
  const std::u32string last = script.substr(two + 1, script.size() - two - 2);
  if (first != first_line || last != last_line) return std::nullopt;
  return parse_pipeline(middle);
}

}  // namespace

std::optional<std::u32string> code_points(const std::string& text) {
  std::u32string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 1;
    char32_t value = lead;
    if (lead >= 0x80) {
      if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2, value = lead & 0x1Fu;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3, value = lead & 0x0Fu;
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4, value = lead & 0x07u;
      } else {
        return std::nullopt;
      }
      if (i + length > text.size()) return std::nullopt;
      for (std::size_t k = 1; k < length; ++k) {
        const auto byte = static_cast<unsigned char>(text[i + k]);
        if ((byte & 0xC0u) != 0x80u) return std::nullopt;
        value = (value << 6) | (byte & 0x3Fu);
      }
      constexpr std::array<char32_t, 5> minimum{0, 0, 0x80, 0x800, 0x10000};
      if (value < minimum[length] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
        return std::nullopt;
      }
    }
    out.push_back(value);
    i += length;
  }
  return out;
}

// script_from_invocation(argv, environ), then parse_script.
std::optional<std::vector<LabStage>> lab_read_invocation(const std::vector<std::string>& argv) {
  if (argv.size() != 5 || argv[0] != "powershell.exe" || argv[1] != "-NoProfile" ||
      argv[2] != "-NonInteractive" || argv[3] != "-EncodedCommand") {
    return std::nullopt;
  }
  const std::string& encoded = argv[4];
  if (encoded.empty() || encoded.size() % 4 != 0) return std::nullopt;
  const auto raw = base64_decode(encoded);
  if (!raw || raw->size() % 2 != 0) return std::nullopt;
  const auto script = utf16le_decode(*raw);
  if (!script) return std::nullopt;
  return parse_script(*script);
}

}  // namespace lyncupdate::fuzz
