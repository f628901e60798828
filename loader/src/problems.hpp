#pragma once
/// \file
/// Internal to the loader: parsed documents, the places of values inside them, and the sink
/// that collects every problem found so that the user sees them all at once.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "lyncupdate/loader/loader.hpp"

namespace lyncupdate::loader::detail {

/// The JSON value type of the loader. Ordered, so that diagnostics follow the file's order and
/// exports read like their source.
using Json = nlohmann::ordered_json;

/// One parsed JSON file: the name diagnostics give it and its value.
struct Document {
  std::string name;
  Json root;
  /// Where this document sits in the scenario's document order: the order key of the value
  /// that named it (the scenario's `/runbook`); empty for the scenario itself.
  std::vector<std::size_t> order_prefix;
};

/// Where a value sits: a document and an RFC 6901 JSON pointer into it.
struct Place {
  const Document* document = nullptr;
  std::string pointer;

  /// The place of member `key` of the object here.
  Place operator/(std::string_view key) const;
  /// The place of element `index` of the array here.
  Place operator/(std::size_t index) const;
};

/// `token` escaped for use in a JSON pointer (`~` as `~0`, `/` as `~1`).
std::string escape_pointer_token(std::string_view token);

/// Every problem found while loading one scenario, kept in document order.
class Problems {
 public:
  /// A problem with the value at `at`.
  void report(const Place& at, std::string message);
  /// A problem that has no JSON pointer (a syntax error, an unreadable file), placed in the
  /// document order at `order`.
  void report(Diagnostic diagnostic, std::vector<std::size_t> order);
  /// How many problems were reported so far; readers compare counts to know whether the part
  /// they read was sound.
  std::size_t count() const { return entries_.size(); }
  /// The problems, sorted in document order; problems at the same place keep report order.
  std::vector<Diagnostic> take_sorted() &&;

 private:
  struct Entry {
    Diagnostic diagnostic;
    std::vector<std::size_t> order;
  };
  std::vector<Entry> entries_;
};

/// The document-order key of the value at `pointer` in `document`: the index of each member
/// or element along the way, prefixed with the document's own order prefix.
std::vector<std::size_t> order_key(const Document& document, std::string_view pointer);

// ---- Wording shared by every message ---------------------------------------------------------

/// `text` in double quotes, with quotes, backslashes and control characters escaped and long
/// text shortened, so that hostile input never reaches a terminal raw.
std::string quote(std::string_view text);

/// `"a", "b", "c"`.
std::string quoted_list(std::span<const std::string> names);
std::string quoted_list(std::span<const std::string_view> names);

/// ` (did you mean "x"?)` when exactly one candidate is closest to `found` and within edit
/// distance 2 of it, else "".
std::string suggestion(std::string_view found, std::span<const std::string> candidates);
std::string suggestion(std::string_view found, std::span<const std::string_view> candidates);

/// What a value is, for "got ...": `number 3`, `string "x"`, `array`, `object`, `boolean true`,
/// `null`.
std::string describe(const Json& value);

/// A JSON number as the file wrote it (integers without a decimal point).
std::string number_text(const Json& value);

}  // namespace lyncupdate::loader::detail
