// The shipped scenarios: they load clean, and an export is a self-contained copy that loads
// back to the same scenario.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>

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

// Numbers without a published source say so (docs/domain-notes.md, "Assumed numbers"): the
// loader keeps a scenario's `timing.assumed` and a step's `assumed`.
BOOST_AUTO_TEST_CASE(assumed_numbers_are_kept_where_the_files_say_them) {
  const auto rollout = load_shipped_scenario("enterprise-rollout");
  BOOST_TEST_REQUIRE(rendered(rollout) == Lines{});
  BOOST_TEST(rollout->timing.assumed.starts_with(
      "Every duration and failure probability below is ASSUMED: no published figure exists"));
  BOOST_TEST(rollout->timing.assumed.find("fe-domain-settle's 20 minutes (OD Gg412996") !=
             std::string::npos);
  std::map<std::string, std::string> assumed;
  for (const auto& step : rollout->front_end_runbook->steps) {
    if (!step.assumed.empty()) assumed[step.id] = step.assumed;
  }
  BOOST_TEST(assumed.size() == 2U);
  BOOST_TEST(assumed["fe-install-update"].find("probability 0.1 and 6 minutes are ASSUMED") !=
             std::string::npos);
  BOOST_TEST(assumed["fe-domain-settle"].find("4 attempts, 1 minute apart, are ASSUMED") !=
             std::string::npos);
  for (const auto& step : rollout->runbook.steps) {
    BOOST_TEST(step.assumed.empty() == (step.id != "install-update"), step.id);
  }
}

BOOST_AUTO_TEST_CASE(an_empty_assumed_is_an_error_with_its_pointer) {
  Json json = contoso_inline();
  json["timing"]["assumed"] = "";
  json["runbook"][step_index(json, "install-update")]["assumed"] = "";
  BOOST_TEST(
      rendered(load(json)) ==
          (Lines{
              "bad.json: error: /runbook/6/assumed: expected a non-empty string, got string \"\"",
              "bad.json: error: /timing/assumed: expected a non-empty string, got string \"\""}),
      boost::test_tools::per_element());
}

// What Get-CsDatabaseMirrorState prints for the user store's databases (office-docs-powershell
// Get-CsDatabaseMirrorState: one object per database, with StateOnPrimary and StateOnMirror),
// through the stages of `probe`: the whole list, or the values of the property that a
// `Select-Object -ExpandProperty` stage selects.
std::string mirror_state_output(const model::CommandCheck& probe, std::string_view on_primary,
                                std::string_view on_mirror) {
  BOOST_TEST_REQUIRE(probe.pipeline.front().front() == "Get-CsDatabaseMirrorState");
  std::string out;
  for (const std::string_view database : {"rtcab", "rtcshared", "rtcxds"}) {
    if (probe.pipeline.size() == 1) {
      out += fmt::format(
          "DatabaseName : {}\r\nStateOnPrimary : {}\r\nStateOnMirror : {}\r\n"
          "MirroringStatusOnPrimary :\r\nMirroringStatusOnSecondary :\r\n\r\n",
          database, on_primary, on_mirror);
      continue;
    }
    const std::vector<std::string>& select = probe.pipeline.at(1);
    BOOST_TEST_REQUIRE(select.size() == 3U);
    BOOST_TEST_REQUIRE(select[0] == "Select-Object");
    BOOST_TEST_REQUIRE(select[1] == "-ExpandProperty");
    BOOST_TEST_REQUIRE((select[2] == "StateOnPrimary" || select[2] == "StateOnMirror"));
    out += fmt::format("{}\r\n", select[2] == "StateOnPrimary" ? on_primary : on_mirror);
  }
  return out;
}

BOOST_AUTO_TEST_CASE(mirror_state_probes_read_the_value_not_the_property_names) {
  const auto scenario = load_shipped_scenario("enterprise-rollout");
  BOOST_TEST_REQUIRE(rendered(scenario) == Lines{});
  BOOST_TEST_REQUIRE(scenario->mirrored_backend_runbook.has_value());
  const auto probe = [&](std::string_view id) {
    for (const auto& step : scenario->mirrored_backend_runbook->steps) {
      if (step.id == id) return *step.probe;
    }
    BOOST_FAIL("no step " << id);
    return model::CommandCheck{};
  };
  const model::CommandCheck before = probe("check-mirror-state");
  const model::CommandCheck over = probe("fail-over-to-mirror");
  const model::CommandCheck back = probe("fail-back-to-principal");
  constexpr std::string_view not_mirrored = "DatabaseInaccessibleOrMirroringNotEnabled";
  const auto holds = [](const model::CommandCheck& check, std::string_view primary,
                        std::string_view mirror) {
    return model::output_satisfies(check, mirror_state_output(check, primary, mirror));
  };
  // The principal serves the pool: the check and the failback are done, the failover is not.
  BOOST_TEST(holds(before, "Principal", "Mirror"));
  BOOST_TEST(!holds(over, "Principal", "Mirror"));
  BOOST_TEST(holds(back, "Principal", "Mirror"));
  // Failed over: only the failover is done.
  BOOST_TEST(!holds(before, "Mirror", "Principal"));
  BOOST_TEST(holds(over, "Mirror", "Principal"));
  BOOST_TEST(!holds(back, "Mirror", "Principal"));
  // Not mirrored or unreachable: nothing is done, although the output names both properties.
  BOOST_TEST(!holds(before, not_mirrored, not_mirrored));
  BOOST_TEST(!holds(over, not_mirrored, not_mirrored));
  BOOST_TEST(!holds(back, not_mirrored, not_mirrored));
  // The former probes read the whole output: "Mirror" is in its property names, and
  // "Principal" is a value of one of the two properties in either role, so they held whatever
  // the state.
  const model::CommandCheck whole_principal{{before.pipeline.front()}, "Principal", ""};
  const model::CommandCheck whole_mirror{{over.pipeline.front()}, "Mirror", ""};
  BOOST_TEST(holds(whole_principal, "Mirror", "Principal"));
  BOOST_TEST(holds(whole_mirror, "Principal", "Mirror"));
  BOOST_TEST(holds(whole_mirror, not_mirrored, not_mirrored));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace lyncupdate::loader::testing
