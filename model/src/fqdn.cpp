#include "lyncupdate/model/fqdn.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace lyncupdate::model {
namespace {

bool is_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

// Printable form of a character for messages: hostile input must not reach the terminal raw.
std::string shown(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x21 && byte < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", byte);
}

}  // namespace

std::optional<std::string> fqdn_problem(std::string_view text) {
  if (text.empty()) return "it is empty";
  // An absolute name's final dot stands for the DNS root: "sql01.contoso.com." names the same
  // host as "sql01.contoso.com" (RFC 1034 section 3.1).
  if (text.size() > 1 && text.back() == '.') text.remove_suffix(1);
  // Characters first: later messages quote labels, and hostile bytes must not reach them.
  for (const char c : text) {
    if (c != '.' && !is_label_char(c)) {
      return fmt::format("{} is not allowed; use letters, digits, hyphens and dots", shown(c));
    }
  }
  if (text.size() > 253)
    return fmt::format("it has {} characters, at most 253 allowed", text.size());
  std::size_t labels = 0;
  std::string_view last_label;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t dot = std::min(text.find('.', start), text.size());
    const std::string_view label = text.substr(start, dot - start);
    if (label.empty()) return "it has an empty label (two dots in a row, or a leading dot)";
    if (label.size() > 63) return fmt::format("label \"{}\" is longer than 63 characters", label);
    if (label.front() == '-' || label.back() == '-') {
      return fmt::format("label \"{}\" starts or ends with a hyphen", label);
    }
    ++labels;
    last_label = label;
    start = dot + 1;
  }
  if (labels < 2)
    return "it has a single label; expected a fully qualified name such as sql01.contoso.com";
  if (std::ranges::all_of(last_label, [](char c) { return c >= '0' && c <= '9'; })) {
    return "the top-level label is all digits";
  }
  return std::nullopt;
}

std::string fqdn_canonical(std::string_view text) {
  if (text.size() > 1 && text.back() == '.') text.remove_suffix(1);
  return std::string(text);
}

std::string fqdn_key(std::string_view text) {
  std::string key = fqdn_canonical(text);
  std::ranges::transform(key, key.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return key;
}

}  // namespace lyncupdate::model
