// JSON text that is not a scenario at all: syntax errors, hostile nesting, duplicate keys.
#include <string>

#include <boost/test/unit_test.hpp>

#include "loader_test_support.hpp"

namespace lyncupdate::loader::testing {
namespace {

std::vector<std::string> load_text(std::string_view text, std::string_view name = "bad.json") {
  return rendered(load_scenario_text(text, name, {}));
}

BOOST_AUTO_TEST_SUITE(syntax)

BOOST_AUTO_TEST_CASE(a_syntax_error_has_line_and_column_of_the_offending_byte) {
  const auto result =
      load_scenario_text("{\n  \"name\": \"x\",\n  \"seed\": tru\n}\n", "bad.json", {});
  BOOST_TEST_REQUIRE(!result.has_value());
  BOOST_TEST_REQUIRE(result.error().size() == 1u);
  const Diagnostic& diagnostic = result.error()[0];
  BOOST_TEST(diagnostic.line == 3);
  BOOST_TEST(diagnostic.column == 14);
  BOOST_TEST(diagnostic.pointer == "");
  BOOST_TEST(diagnostic.render() ==
             "bad.json:3:14: error: syntax error: invalid literal; last read: '\"seed\": "
             "tru<U+000A>'");
}

BOOST_AUTO_TEST_CASE(a_trailing_comma_is_reported_at_the_closing_bracket) {
  BOOST_TEST(load_text("[1, 2,]") ==
             std::vector<std::string>{"bad.json:1:7: error: syntax error: unexpected ']'; "
                                      "expected '[', '{', or a literal"});
}

BOOST_AUTO_TEST_CASE(text_after_the_document_is_a_syntax_error) {
  BOOST_TEST(load_text("{}\n{}") ==
             std::vector<std::string>{"bad.json:2:1: error: syntax error: unexpected '{'; "
                                      "expected end of input"});
}

BOOST_AUTO_TEST_CASE(whitespace_only_text_is_empty) {
  BOOST_TEST(load_text(" \n\t\n") ==
             std::vector<std::string>{
                 "bad.json:3:1: error: syntax error: the file is empty; expected a JSON value"});
}

BOOST_AUTO_TEST_CASE(invalid_utf8_in_a_string_is_a_syntax_error) {
  BOOST_TEST(load_text("{\"name\": \"\xff\xfe\"}") ==
             std::vector<std::string>{"bad.json:1:11: error: syntax error: invalid string: "
                                      "ill-formed UTF-8 byte; last read: '\"\\xff'"});
}

BOOST_AUTO_TEST_CASE(binary_bytes_are_shown_escaped_and_shortened) {
  std::string text = "[\"";
  text.append(200, 'a');
  text += '\x01';
  const auto diags = load_text(text);
  BOOST_TEST_REQUIRE(diags.size() == 1u);
  BOOST_TEST(
      diags[0] ==
      "bad.json:1:203: error: syntax error: invalid string: control character U+0001 (SOH) "
      "must be escaped to \\u0001; last read: '...aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa<U+0001>'");
}

BOOST_AUTO_TEST_CASE(a_number_too_large_for_a_double_is_rejected) {
  BOOST_TEST(load_text("[1e999]") ==
             std::vector<std::string>{"bad.json:1:6: error: syntax error: number overflow "
                                      "parsing '1e999'"});
}

BOOST_AUTO_TEST_CASE(one_hundred_thousand_nested_arrays_stop_at_level_65) {
  const std::string text = std::string(100'000, '[') + std::string(100'000, ']');
  BOOST_TEST(load_text(text, "deep.json") ==
             std::vector<std::string>{"deep.json:1:65: error: nesting deeper than 64 levels"});
}

BOOST_AUTO_TEST_CASE(deeply_nested_objects_stop_where_the_limit_is_crossed) {
  std::string text = "{\n";
  for (int i = 0; i < 100'000; ++i) text += "\"a\":{";
  const auto diags = load_text(text, "deep.json");
  // Level 1 is the outer object on line 1; level 65 opens 64 members into line 2.
  BOOST_TEST(diags ==
             std::vector<std::string>{"deep.json:2:320: error: nesting deeper than 64 levels"});
}

BOOST_AUTO_TEST_CASE(sixty_four_levels_are_allowed) {
  const std::string text = std::string(64, '[') + std::string(64, ']');
  BOOST_TEST(load_text(text) ==
             std::vector<std::string>{"bad.json: error: expected a scenario object, got array"});
}

BOOST_AUTO_TEST_CASE(a_duplicate_key_is_reported_at_its_pointer) {
  Json scenario = contoso();
  std::string text = scenario.dump(2);
  const std::string users = "\"users\": 8000,";
  text.replace(text.find(users), users.size(), users + " \"users\": 9000,");
  BOOST_TEST(load_text(text) ==
             std::vector<std::string>{
                 "bad.json: error: /topology/enterprise_pools/0/users: duplicate key \"users\""});
}

BOOST_AUTO_TEST_CASE(an_object_with_too_many_members_is_refused_before_it_is_built) {
  std::string text = "{\"name\": \"x\", \"description\": {";
  for (int i = 0; i < 10'001; ++i) text += "\"k" + std::to_string(i) + "\": 0,";
  text.back() = '}';
  text += "}";
  BOOST_TEST(load_text(text) ==
             std::vector<std::string>{
                 "bad.json: error: /description: more than 10000 members in one object"});
}

BOOST_AUTO_TEST_CASE(keys_with_slash_tilde_and_control_characters_are_escaped) {
  Json scenario = contoso();
  scenario["timing"]["steps"]["a/b~c"] = {{"distribution", "fixed"}, {"minutes", 1}};
  scenario["timing"]["steps"]["bell\x07"] = {{"distribution", "fixed"}, {"minutes", 1}};
  const auto result = load(scenario);
  BOOST_TEST_REQUIRE(!result.has_value());
  BOOST_TEST_REQUIRE(result.error().size() == 2u);
  BOOST_TEST(result.error()[0].pointer == "/timing/steps/a~1b~0c");
  BOOST_TEST(result.error()[1].pointer == "/timing/steps/bell\x07");
  BOOST_TEST(result.error()[1].render().starts_with(
      "bad.json: error: /timing/steps/bell\\u0007: unknown step \"bell\\u0007\"; "));
}

BOOST_AUTO_TEST_CASE(render_has_three_forms) {
  BOOST_TEST((Diagnostic{"a.json", 3, 7, "", "syntax error: x"}.render()) ==
             "a.json:3:7: error: syntax error: x");
  BOOST_TEST((Diagnostic{"a.json", 0, 0, "/plan/stages", "expected y"}.render()) ==
             "a.json: error: /plan/stages: expected y");
  BOOST_TEST((Diagnostic{"a.json", 0, 0, "", "cannot read file: z"}.render()) ==
             "a.json: error: cannot read file: z");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace lyncupdate::loader::testing
