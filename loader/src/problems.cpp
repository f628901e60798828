#include "problems.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include <fmt/format.h>

#include "lyncupdate/model/printable.hpp"

namespace lyncupdate::loader::detail {
namespace {

// Long values are shortened in messages: the start is enough to recognise them.
constexpr std::size_t max_quoted_bytes = 80;

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbours each cost one, which matches the typos people make in keys ("fdqn").
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

template <typename Names>
std::string quoted_list_of(const Names& names) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += ", ";
    out += quote(name);
  }
  return out;
}

template <typename Names>
std::string suggestion_of(std::string_view found, const Names& candidates) {
  // Comparing long strings is quadratic; nobody mistypes a key by 200 characters.
  if (found.size() > 64) return {};
  std::string_view best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  std::size_t ties = 0;
  for (const auto& candidate : candidates) {
    const std::string_view name = candidate;
    if (name.size() > 64) continue;
    const std::size_t distance = edit_distance(found, name);
    // Two edits turn any two-letter word into any other: demand that most of it survives.
    if (distance > 2 || distance >= name.size()) continue;
    if (distance < best_distance) {
      best = name;
      best_distance = distance;
      ties = 0;
    } else if (distance == best_distance && name != best) {
      ++ties;
    }
  }
  // With two equally close candidates ("fe05" against "fe01" and "fe02") a guess misleads.
  if (best_distance > 2 || ties > 0) return {};
  return fmt::format(" (did you mean {}?)", quote(best));
}

}  // namespace

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (const char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

Place Place::operator/(std::string_view key) const {
  return {document, pointer + "/" + escape_pointer_token(key)};
}

Place Place::operator/(std::size_t index) const {
  return {document, fmt::format("{}/{}", pointer, index)};
}

std::vector<std::size_t> order_key(const Document& document, std::string_view pointer) {
  std::vector<std::size_t> key = document.order_prefix;
  const Json* value = &document.root;
  std::size_t start = 0;
  while (value != nullptr && start < pointer.size()) {
    // Each token follows a '/'; unescape ~1 before ~0 as RFC 6901 section 4 requires.
    const std::size_t end = std::min(pointer.find('/', start + 1), pointer.size());
    std::string token(pointer.substr(start + 1, end - start - 1));
    for (std::size_t at = token.find("~1"); at != std::string::npos;
         at = token.find("~1", at + 1)) {
      token.replace(at, 2, "/");
    }
    for (std::size_t at = token.find("~0"); at != std::string::npos;
         at = token.find("~0", at + 1)) {
      token.replace(at, 2, "~");
    }
    start = end;
    if (value->is_object()) {
      const auto it = value->find(token);
      if (it == value->end()) break;
      key.push_back(static_cast<std::size_t>(std::distance(value->begin(), it)));
      value = &*it;
    } else if (value->is_array()) {
      std::size_t index = 0;
      const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
      if (ec != std::errc() || ptr != token.data() + token.size() || index >= value->size()) break;
      key.push_back(index);
      value = &(*value)[index];
    } else {
      break;
    }
  }
  return key;
}

void Problems::report(const Place& at, std::string message) {
  Diagnostic diagnostic;
  diagnostic.file = at.document->name;
  diagnostic.pointer = at.pointer;
  diagnostic.message = std::move(message);
  entries_.push_back({std::move(diagnostic), order_key(*at.document, at.pointer)});
}

void Problems::report(Diagnostic diagnostic, std::vector<std::size_t> order) {
  entries_.push_back({std::move(diagnostic), std::move(order)});
}

std::vector<Diagnostic> Problems::take_sorted() && {
  // A parent sorts before its children (a prefix is smaller), so "missing key" on an object
  // comes before the problems inside it.
  std::ranges::stable_sort(entries_, std::ranges::less{}, &Entry::order);
  std::vector<Diagnostic> out;
  out.reserve(entries_.size());
  for (auto& entry : entries_) out.push_back(std::move(entry.diagnostic));
  return out;
}

std::string quote(std::string_view text) {
  std::string out = "\"";
  std::size_t i = 0;
  while (i < text.size()) {
    if (i >= max_quoted_bytes) {
      out += "...";
      break;
    }
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7F) {
      out += fmt::format("\\u{:04x}", byte);
    } else if (byte >= 0x80) {
      const std::size_t length = model::utf8_sequence_length(text, i);
      if (length == 0) {
        out += fmt::format("\\x{:02x}", byte);
      } else {
        out.append(text.substr(i, length));
        i += length;
        continue;
      }
    } else {
      out += c;
    }
    ++i;
  }
  out += '"';
  return out;
}

std::string quoted_list(std::span<const std::string> names) { return quoted_list_of(names); }
std::string quoted_list(std::span<const std::string_view> names) { return quoted_list_of(names); }

std::string suggestion(std::string_view found, std::span<const std::string> candidates) {
  return suggestion_of(found, candidates);
}
std::string suggestion(std::string_view found, std::span<const std::string_view> candidates) {
  return suggestion_of(found, candidates);
}

std::string number_text(const Json& value) { return value.dump(); }

std::string describe(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::boolean:
      return value.get<bool>() ? "boolean true" : "boolean false";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "number " + number_text(value);
    case Json::value_t::string:
      return "string " + quote(value.get_ref<const std::string&>());
    case Json::value_t::array:
      return "array";
    case Json::value_t::object:
      return "object";
    case Json::value_t::binary:
    case Json::value_t::discarded:
      break;
  }
  return "an unexpected value";
}

}  // namespace lyncupdate::loader::detail
