#include "lyncupdate/live/powershell.hpp"

#include <cassert>
#include <cstdint>

#include <fmt/format.h>

#include "lyncupdate/model/runbook.hpp"

namespace lyncupdate::live {
namespace {

// One code point decoded from UTF-8.
struct Decoded {
  char32_t code_point = 0;
  std::size_t length = 0;  // bytes consumed; 0 when the bytes at the position are not UTF-8
};

// Decodes the UTF-8 sequence at `text[i]`, rejecting overlong forms, surrogates and values
// beyond U+10FFFF (RFC 3629), so that one text has exactly one UTF-16 encoding.
Decoded decode(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  if (lead < 0x80) return {lead, 1};
  std::size_t length = 0;
  char32_t value = 0;
  char32_t minimum = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    value = lead & 0x1Fu;
    minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    value = lead & 0x0Fu;
    minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    value = lead & 0x07u;
    minimum = 0x10000;
  } else {
    return {};
  }
  if (i + length > text.size()) return {};
  for (std::size_t k = 1; k < length; ++k) {
    const auto byte = static_cast<unsigned char>(text[i + k]);
    if ((byte & 0xC0u) != 0x80u) return {};
    value = (value << 6) | (byte & 0x3Fu);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return {};
  return {value, length};
}

bool is_control(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte == 0x7F;
}

// PowerShell's single-quote characters besides ' (U+2018 to U+201B): E2 80 98 to E2 80 9B.
bool is_typographic_single_quote(std::string_view text, std::size_t i) {
  if (i + 3 > text.size()) return false;
  const auto b0 = static_cast<unsigned char>(text[i]);
  const auto b1 = static_cast<unsigned char>(text[i + 1]);
  const auto b2 = static_cast<unsigned char>(text[i + 2]);
  return b0 == 0xE2 && b1 == 0x80 && b2 >= 0x98 && b2 <= 0x9B;
}

std::string argument_problem(std::string_view argument) {
  if (argument.empty()) return "it is empty";
  if (argument.size() > max_argument_bytes) {
    return fmt::format("it has {} bytes, at most {} allowed", argument.size(), max_argument_bytes);
  }
  for (std::size_t i = 0; i < argument.size();) {
    if (is_control(argument[i])) {
      return fmt::format("it holds control character U+{:04X} at byte {}",
                         static_cast<unsigned char>(argument[i]), i);
    }
    const Decoded decoded = decode(argument, i);
    if (decoded.length == 0) return fmt::format("it is not valid UTF-8 at byte {}", i);
    i += decoded.length;
  }
  return {};
}

void append_utf16le(std::string& out, char32_t unit) {
  out.push_back(static_cast<char>(unit & 0xFFu));
  out.push_back(static_cast<char>((unit >> 8) & 0xFFu));
}

std::string base64(std::string_view bytes) {
  static constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group = (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                                (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                                std::uint32_t{static_cast<unsigned char>(bytes[i + 2])};
    out.push_back(alphabet[(group >> 18) & 0x3F]);
    out.push_back(alphabet[(group >> 12) & 0x3F]);
    out.push_back(alphabet[(group >> 6) & 0x3F]);
    out.push_back(alphabet[group & 0x3F]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t group = std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
    if (rest == 2) group |= std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
    out.push_back(alphabet[(group >> 18) & 0x3F]);
    out.push_back(alphabet[(group >> 12) & 0x3F]);
    out.push_back(rest == 2 ? alphabet[(group >> 6) & 0x3F] : '=');
    out.push_back('=');
  }
  return out;
}

}  // namespace

std::string powershell_quote(std::string_view text) {
  std::string out = "'";
  out.reserve(text.size() + 2);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\'') {
      out += "''";
    } else if (is_typographic_single_quote(text, i)) {
      // PowerShell ends a single-quoted string at any of the five quote characters; doubling
      // one of them is its escape, exactly as for '.
      const std::string_view quote = text.substr(i, 3);
      out.append(quote).append(quote);
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  out.push_back('\'');
  return out;
}

Pipeline split_command(std::string_view command) {
  std::vector<std::string> argv = model::command_words(command);
  if (argv.empty()) return {};
  return Pipeline{std::move(argv)};
}

std::optional<std::string> pipeline_problem(const Pipeline& pipeline) {
  if (pipeline.empty()) return "the pipeline is empty; expected at least one command";
  for (std::size_t s = 0; s < pipeline.size(); ++s) {
    if (pipeline[s].empty()) {
      return fmt::format("stage {} of the pipeline is empty; expected a command and its arguments",
                         s + 1);
    }
    for (std::size_t a = 0; a < pipeline[s].size(); ++a) {
      if (std::string problem = argument_problem(pipeline[s][a]); !problem.empty()) {
        return fmt::format("argument {} of stage {} cannot be passed: {}", a + 1, s + 1, problem);
      }
    }
  }
  return std::nullopt;
}

std::string powershell_script(const Pipeline& pipeline) {
  assert(!pipeline_problem(pipeline) && "pipelines are checked before they are encoded");
  std::string line;
  for (const auto& stage : pipeline) {
    if (!line.empty()) line += " | ";
    line += "& ";
    line += powershell_quote(stage.front());
    for (std::size_t a = 1; a < stage.size(); ++a) {
      line += ' ';
      line += model::is_bare_parameter_name(stage[a]) ? stage[a] : powershell_quote(stage[a]);
    }
  }
  // 'Stop' turns a cmdlet's non-terminating error into a failure; the last line carries a
  // native program's exit code out, since PowerShell otherwise exits 0 after it.
  return "$ErrorActionPreference = 'Stop'\n" + line +
         "\nif ($LASTEXITCODE) { exit $LASTEXITCODE }\n";
}

std::string utf16le_base64(std::string_view utf8) {
  std::string utf16;
  utf16.reserve(utf8.size() * 2);
  for (std::size_t i = 0; i < utf8.size();) {
    Decoded decoded = decode(utf8, i);
    if (decoded.length == 0) decoded = {0xFFFD, 1};
    i += decoded.length;
    if (decoded.code_point >= 0x10000) {
      const char32_t offset = decoded.code_point - 0x10000;
      append_utf16le(utf16, 0xD800 + (offset >> 10));
      append_utf16le(utf16, 0xDC00 + (offset & 0x3FF));
    } else {
      append_utf16le(utf16, decoded.code_point);
    }
  }
  return base64(utf16);
}

std::vector<std::string> powershell_invocation(const Pipeline& pipeline) {
  return {"powershell.exe", "-NoProfile", "-NonInteractive", "-EncodedCommand",
          utf16le_base64(powershell_script(pipeline))};
}

}  // namespace lyncupdate::live
