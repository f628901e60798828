// Mangled input of every kind: the loader answers with diagnostics, never an exception, a
// crash or a hang.
#include <array>
#include <cstdint>
#include <random>

#include <boost/test/unit_test.hpp>

#include "loader_test_support.hpp"

namespace lyncupdate::loader::testing {
namespace {

using Rng = std::mt19937_64;

std::size_t below(Rng& rng, std::size_t n) {
  return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
}

// Byte-level damage: what a bad copy, an editor accident or a wrong file does.
std::string damage_bytes(std::string text, Rng& rng) {
  static constexpr std::array<std::string_view, 14> tokens{
      "[", "]", "{", "}", "\"", ",", ":", "-1", "1e999", "null", "\xff", "\\u0000", "\\", "\xc3"};
  switch (below(rng, 6)) {
    case 0:
      text.resize(below(rng, text.size() + 1));
      break;
    case 1:
      for (std::size_t n = 1 + below(rng, 4); n > 0; --n) {
        text[below(rng, text.size())] = static_cast<char>(below(rng, 256));
      }
      break;
    case 2: {
      const std::size_t at = below(rng, text.size());
      text.erase(at, 1 + below(rng, 50));
      break;
    }
    case 3:
      text.insert(below(rng, text.size() + 1), tokens[below(rng, tokens.size())]);
      break;
    case 4: {
      const std::size_t from = below(rng, text.size());
      const std::string slice = text.substr(from, 1 + below(rng, 200));
      text.insert(below(rng, text.size() + 1), slice);
      break;
    }
    default:
      std::swap(text[below(rng, text.size())], text[below(rng, text.size())]);
      break;
  }
  return text;
}

void collect_pointers(const Json& value, const Json::json_pointer& pointer,
                      std::vector<Json::json_pointer>& out) {
  if (!pointer.empty()) out.push_back(pointer);
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) collect_pointers(child, pointer / key, out);
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) collect_pointers(value[i], pointer / i, out);
  }
}

// Value-level damage: valid JSON with wrong types, missing members and odd values, which
// reaches the semantic checks that byte damage rarely gets past the parser to.
std::string damage_values(Json document, Rng& rng) {
  static const std::array<Json, 16> values{Json(nullptr),
                                           Json(true),
                                           Json(-1),
                                           Json(0),
                                           Json(1.5),
                                           Json(1e300),
                                           Json(""),
                                           Json("x"),
                                           Json("a.b;rm -rf /"),
                                           Json::array(),
                                           Json::object(),
                                           Json::array({Json::array()}),
                                           Json::object({{"k", 1}}),
                                           Json(18446744073709551615u),
                                           Json(INT64_MIN),
                                           Json("22:00")};
  std::vector<Json::json_pointer> pointers;
  for (std::size_t n = 1 + below(rng, 3); n > 0; --n) {
    pointers.clear();
    collect_pointers(document, Json::json_pointer(), pointers);
    if (pointers.empty()) break;
    const Json::json_pointer target = pointers[below(rng, pointers.size())];
    Json& parent = document.at(target.parent_pointer());
    switch (below(rng, 3)) {
      case 0:
        document.at(target) = values[below(rng, values.size())];
        break;
      case 1:
        if (parent.is_object())
          parent.erase(target.back());
        else
          parent.erase(static_cast<std::size_t>(std::stoul(target.back())));
        break;
      default:
        if (parent.is_object()) {
          Json moved = parent[target.back()];
          parent.erase(target.back());
          parent[target.back() + "_"] = std::move(moved);
        }
        break;
    }
  }
  return document.dump(1);
}

// Loads `text`; returns whether it was rejected, after checking that the rejection explains
// itself.
bool expect_diagnostics_or_scenario(std::string_view text, std::size_t iteration) {
  LoadResult result;
  try {
    result = load_scenario_text(text, "fuzz.json", {});
  } catch (const std::exception& error) {
    BOOST_ERROR("iteration " << iteration << " threw: " << error.what());
    return true;
  }
  if (result) return false;
  if (result.error().empty()) BOOST_ERROR("iteration " << iteration << ": failed without a reason");
  for (const auto& diagnostic : result.error()) {
    if (diagnostic.message.empty() || diagnostic.file != "fuzz.json") {
      BOOST_ERROR("iteration " << iteration << ": bad diagnostic " << diagnostic.render());
    }
  }
  return true;
}

BOOST_AUTO_TEST_SUITE(robustness)

BOOST_AUTO_TEST_CASE(two_thousand_mangled_scenarios_never_throw_or_crash) {
  Rng rng(20130226);  // fixed: a failure reproduces
  const std::string named = contoso().dump(2);
  const Json inlined = contoso_inline();
  const std::string inlined_text = inlined.dump(2);
  std::size_t rejected = 0;
  for (std::size_t i = 0; i < 2000; ++i) {
    std::string text;
    switch (i % 3) {
      case 0:
        text = damage_bytes(named, rng);
        break;
      case 1:
        text = damage_bytes(inlined_text, rng);
        break;
      default:
        text = damage_values(inlined, rng);
        break;
    }
    if (expect_diagnostics_or_scenario(text, i)) ++rejected;
  }
  // Most damage must be caught; a few mutations (a changed title) are harmless.
  BOOST_TEST(rejected > 1500u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace lyncupdate::loader::testing
