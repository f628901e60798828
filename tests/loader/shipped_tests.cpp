// The shipped scenarios: they load clean, and an export is a self-contained copy that loads
// back to the same scenario.
#include <filesystem>
#include <fstream>
#include <iterator>

#include <boost/test/unit_test.hpp>

#include "loader_test_support.hpp"
#include "lyncupdate/scenarios/shipped.hpp"

namespace lyncupdate::loader::testing {
namespace {

using Lines = std::vector<std::string>;

BOOST_AUTO_TEST_SUITE(shipped)

BOOST_AUTO_TEST_CASE(contoso_loads_clean) {
  const auto result = load_shipped_scenario("contoso");
  BOOST_TEST_REQUIRE(rendered(result) == Lines{});
  // Compared with the file rather than with constants, so that the data can evolve.
  const Json json = contoso_inline();
  BOOST_TEST(result->name == "contoso");
  BOOST_TEST(result->runbook.name == contoso()["runbook"].get<std::string>());
  BOOST_TEST(result->runbook.steps.size() == json["runbook"].size());
  const Json& pools = json["topology"]["enterprise_pools"];
  BOOST_TEST_REQUIRE(result->topology.pools.size() == pools.size());
  BOOST_TEST_REQUIRE(!pools.empty());
  const auto& pool = result->topology.pools[0];
  BOOST_TEST(pool.fqdn == pools[0]["fqdn"].get<std::string>());
  BOOST_TEST(pool.front_ends == pools[0]["front_ends"].get<std::vector<std::string>>());
  BOOST_TEST(pool.back_end.fqdn == pools[0]["back_end"]["fqdn"].get<std::string>());
  BOOST_TEST(result->topology.standard_edition_servers.size() ==
             json["topology"]["standard_edition_servers"].size());
  BOOST_TEST(result->plan.stages.size() == json["plan"]["stages"].size());
  BOOST_TEST(result->timing.steps.size() == json["timing"]["steps"].size());
}

BOOST_AUTO_TEST_CASE(every_shipped_scenario_loads_clean) {
  for (const auto& file : scenarios::shipped_files()) {
    if (file.name.starts_with("runbooks/") || file.name.starts_with("catalogue/")) continue;
    BOOST_TEST_CONTEXT(file.name) {
      BOOST_TEST(rendered(load_shipped_scenario(file.name)) == Lines{});
    }
  }
}

BOOST_AUTO_TEST_CASE(an_unknown_shipped_scenario_lists_the_shipped_ones) {
  BOOST_TEST(
      rendered(load_shipped_scenario("contso")) ==
      Lines{"<shipped:contso>: error: unknown shipped scenario \"contso\"; the shipped "
            "scenarios are: \"contoso\", \"enterprise\", \"enterprise-rollout\" (did you mean "
            "\"contoso\"?)"});
}

BOOST_AUTO_TEST_CASE(a_shipped_runbook_is_not_a_scenario) {
  BOOST_TEST(rendered(load_shipped_scenario("runbooks/backend-update")) ==
             Lines{"<shipped:runbooks/backend-update>: error: unknown shipped scenario "
                   "\"runbooks/backend-update\"; the shipped scenarios are: \"contoso\", "
                   "\"enterprise\", \"enterprise-rollout\""});
}

BOOST_AUTO_TEST_CASE(an_export_inlines_the_runbook_and_keeps_the_key_order) {
  const auto exported = export_shipped_scenario("contoso");
  BOOST_TEST_REQUIRE(exported.has_value());
  BOOST_TEST(exported->starts_with("{\n  \"name\": \"contoso\",\n  \"description\": "));
  BOOST_TEST(exported->ends_with("\n}\n"));
  const auto topology = exported->find("\n  \"topology\": {");
  const auto runbook = exported->find("\n  \"runbook\": [\n    {\n      \"id\": \"log-on\",");
  const auto timing = exported->find("\n  \"timing\": {");
  BOOST_TEST_REQUIRE(runbook != std::string::npos);
  BOOST_TEST(topology < runbook);
  BOOST_TEST(runbook < timing);
  BOOST_TEST(*exported == *export_shipped_scenario("contoso"));
}

BOOST_AUTO_TEST_CASE(an_export_loads_back_to_the_same_scenario_as_text) {
  const auto shipped = load_shipped_scenario("contoso");
  const auto exported = export_shipped_scenario("contoso");
  BOOST_TEST_REQUIRE(exported.has_value());
  auto reloaded = load_scenario_text(*exported, "contoso.json", {});
  BOOST_TEST_REQUIRE(rendered(reloaded) == Lines{});
  BOOST_TEST(reloaded->runbook.name == "inline");
  reloaded->runbook.name = shipped->runbook.name;
  BOOST_TEST(canonical(*reloaded) == canonical(*shipped));
}

BOOST_AUTO_TEST_CASE(an_export_loads_back_to_the_same_scenario_from_a_file) {
  const ScratchDir dir;
  const auto shipped = load_shipped_scenario("contoso");
  const auto path = dir.path() / "contoso.json";
  write_file(path, *export_shipped_scenario("contoso"));
  auto reloaded = load_scenario_file(path);
  BOOST_TEST_REQUIRE(rendered(reloaded) == Lines{});
  reloaded->runbook.name = shipped->runbook.name;
  BOOST_TEST(canonical(*reloaded) == canonical(*shipped));
}

BOOST_AUTO_TEST_CASE(the_example_in_the_format_reference_loads) {
  std::ifstream in(std::filesystem::path(LYNCUPDATE_SOURCE_DIR) / "docs" / "scenario-format.md");
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string fence = "```json\n";
  const auto begin = doc.find(fence);
  BOOST_TEST_REQUIRE(begin != std::string::npos);
  const auto end = doc.find("```", begin + fence.size());
  const std::string example = doc.substr(begin + fence.size(), end - begin - fence.size());
  const auto result = load_scenario_text(example, "scenario-format.md", {});
  BOOST_TEST_REQUIRE(rendered(result) == Lines{});
  BOOST_TEST(result->name == "branch-office");
}

BOOST_AUTO_TEST_CASE(exporting_an_unknown_scenario_says_so) {
  const auto exported = export_shipped_scenario("fabrikam");
  BOOST_TEST_REQUIRE(!exported.has_value());
  BOOST_TEST_REQUIRE(exported.error().size() == 1u);
  BOOST_TEST(exported.error()[0].render() ==
             "<shipped:fabrikam>: error: unknown shipped scenario \"fabrikam\"; the shipped "
             "scenarios are: \"contoso\", \"enterprise\", \"enterprise-rollout\"");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace lyncupdate::loader::testing
