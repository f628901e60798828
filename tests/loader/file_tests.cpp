// Problems with the file itself: it is a folder, it is missing, it is empty or binary, and a
// runbook kept in a second file.
#include <boost/test/unit_test.hpp>

#include "loader_test_support.hpp"

namespace lyncupdate::loader::testing {
namespace {

BOOST_AUTO_TEST_SUITE(files)

BOOST_AUTO_TEST_CASE(a_directory_is_not_a_scenario) {
  const auto path = data_path("runbook-file");
  const auto diags = rendered(load_scenario_file(path));
  BOOST_TEST_REQUIRE(diags.size() == 1u);
  BOOST_TEST(diags[0] == path.string() + ": error: is a directory; expected a scenario JSON file");
}

BOOST_AUTO_TEST_CASE(a_missing_file_says_why_it_cannot_be_read) {
  const auto path = data_path("no-such-scenario.json");
  const auto result = load_scenario_file(path);
  BOOST_TEST_REQUIRE(!result.has_value());
  BOOST_TEST_REQUIRE(result.error().size() == 1u);
  const Diagnostic& diagnostic = result.error()[0];
  BOOST_TEST(diagnostic.file == path.string());
  BOOST_TEST(diagnostic.line == 0);
  BOOST_TEST(diagnostic.pointer == "");
  BOOST_TEST(diagnostic.render() ==
             path.string() + ": error: cannot read file: no such file or directory");
}

BOOST_AUTO_TEST_CASE(an_empty_file_is_a_syntax_error_at_its_start) {
  const auto path = data_path("empty.json");
  const auto diags = rendered(load_scenario_file(path));
  BOOST_TEST_REQUIRE(diags.size() == 1u);
  BOOST_TEST(diags[0] ==
             path.string() + ":1:1: error: syntax error: the file is empty; expected a JSON value");
}

BOOST_AUTO_TEST_CASE(a_syntax_error_in_a_file_has_its_line_and_column) {
  const auto path = data_path("syntax-error.json");
  const auto result = load_scenario_file(path);
  BOOST_TEST_REQUIRE(!result.has_value());
  BOOST_TEST_REQUIRE(result.error().size() == 1u);
  BOOST_TEST(result.error()[0].line == 3);
  BOOST_TEST(result.error()[0].column == 8);
  BOOST_TEST(result.error()[0].render() ==
             path.string() + ":3:8: error: syntax error: unexpected string literal; expected '}'");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_a_syntax_error_with_the_bytes_escaped) {
  const auto path = data_path("invalid-utf8.json");
  const auto diags = rendered(load_scenario_file(path));
  BOOST_TEST_REQUIRE(diags.size() == 1u);
  BOOST_TEST(diags[0] == path.string() +
                             ":2:16: error: syntax error: invalid string: ill-formed UTF-8 byte; "
                             "last read: '\"caf\\xc3('");
}

BOOST_AUTO_TEST_CASE(a_binary_file_is_a_syntax_error_that_prints_no_raw_bytes) {
  const ScratchDir dir;
  const auto path = dir.path() / "picture.png";
  write_file(path, std::string_view("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  const auto diags = rendered(load_scenario_file(path));
  BOOST_TEST_REQUIRE(diags.size() == 1u);
  BOOST_TEST(diags[0] ==
             path.string() + ":1:1: error: syntax error: invalid literal; last read: '\\x89'");
}

BOOST_AUTO_TEST_CASE(a_runbook_file_is_read_next_to_the_scenario_and_named_in_its_problems) {
  const auto dir = data_path("runbook-file");
  const auto diags = rendered(load_scenario_file(dir / "scenario.json"));
  const std::string steps = (dir / "steps.json").string();
  BOOST_TEST_REQUIRE(diags.size() == 2u);
  BOOST_TEST(diags[0] == steps +
                             ": error: /0/kind: unknown step kind \"comand\"; expected one of "
                             "\"manual\", \"command\", \"install\", \"database\", \"wait\", "
                             "\"reboot\" (did you mean \"command\"?)");
  BOOST_TEST(diags[1] == steps +
                             ": error: /1/on_finish/database_schema: unknown value \"updatd\" of "
                             "\"database_schema\"; its values are: \"old\", \"updated\" (did you "
                             "mean \"updated\"?)");
}

BOOST_AUTO_TEST_CASE(a_runbook_file_loads_into_the_scenario) {
  const ScratchDir dir;
  Json scenario = contoso_inline();
  write_file(dir.path() / "steps.json", scenario["runbook"].dump(2));
  scenario["runbook"] = "steps.json";
  write_file(dir.path() / "scenario.json", scenario.dump(2));
  const auto result = load_scenario_file(dir.path() / "scenario.json");
  BOOST_TEST_REQUIRE(rendered(result) == std::vector<std::string>{});
  BOOST_TEST(result->runbook.name == "steps.json");
  BOOST_TEST(result->runbook.steps.size() == contoso_inline()["runbook"].size());
}

BOOST_AUTO_TEST_CASE(a_missing_runbook_file_is_reported_where_the_scenario_names_it) {
  const ScratchDir dir;
  Json scenario = contoso();
  scenario["runbook"] = "missing.json";
  write_file(dir.path() / "scenario.json", scenario.dump(2));
  const auto diags = rendered(load_scenario_file(dir.path() / "scenario.json"));
  BOOST_TEST_REQUIRE(diags.size() == 1u);
  BOOST_TEST(diags[0] == (dir.path() / "scenario.json").string() +
                             ": error: /runbook: cannot read runbook file \"" +
                             (dir.path() / "missing.json").string() +
                             "\": no such file or directory");
}

BOOST_AUTO_TEST_CASE(a_syntax_error_in_a_runbook_file_names_that_file) {
  const ScratchDir dir;
  Json scenario = contoso();
  scenario["runbook"] = "steps.json";
  write_file(dir.path() / "scenario.json", scenario.dump(2));
  write_file(dir.path() / "steps.json", "[\n  {\"id\": \"log-on\",}\n]\n");
  const auto diags = rendered(load_scenario_file(dir.path() / "scenario.json"));
  BOOST_TEST_REQUIRE(diags.size() == 1u);
  BOOST_TEST(diags[0] == (dir.path() / "steps.json").string() +
                             ":2:19: error: syntax error: unexpected '}'; expected string literal");
}

BOOST_AUTO_TEST_CASE(placeholders_of_a_runbook_file_are_reported_in_that_file) {
  const ScratchDir dir;
  Json scenario = contoso_inline();
  scenario["runbook"][3]["command"] = "Stop-CsWindowsService -ComputerName {server}";
  write_file(dir.path() / "steps.json", scenario["runbook"].dump(2));
  scenario["runbook"] = "steps.json";
  write_file(dir.path() / "scenario.json", scenario.dump(2));
  const auto diags = rendered(load_scenario_file(dir.path() / "scenario.json"));
  BOOST_TEST_REQUIRE(diags.size() == 1u);
  BOOST_TEST(diags[0] == (dir.path() / "steps.json").string() +
                             ": error: /3: step \"stop-services\" uses unknown placeholder "
                             "{server}; expected {fqdn}, {sql_fqdn} or {pool_fqdn}");
}

BOOST_AUTO_TEST_CASE(a_runbook_file_needs_a_scenario_that_came_from_a_file) {
  Json scenario = contoso();
  scenario["runbook"] = "steps.json";
  const auto diags = rendered(load(scenario));
  BOOST_TEST_REQUIRE(diags.size() == 1u);
  BOOST_TEST(diags[0] ==
             "bad.json: error: /runbook: cannot read runbook file \"steps.json\": the scenario is "
             "not a file, so there is no folder to find it in; inline the steps or name a shipped "
             "runbook (\"backend-update\", \"frontend-update\", \"mirrored-backend-update\", "
             "\"mirror-update\")");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace lyncupdate::loader::testing
