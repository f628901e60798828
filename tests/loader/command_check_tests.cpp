// Command checks (a step's `probe` and `unattended`) and the scenario's `live` section: their
// shape, where they are allowed, and their placeholders once resolved.
#include <boost/test/unit_test.hpp>

#include "loader_test_support.hpp"
#include "lyncupdate/model/resolve.hpp"

namespace lyncupdate::loader::testing {
namespace {

using Lines = std::vector<std::string>;
using Pipeline = std::vector<std::vector<std::string>>;

Json& step(Json& scenario, std::string_view id) {
  return scenario["runbook"][step_index(scenario, id)];
}

// "bad.json: error: /runbook/N<rest>: <message>" for the step called `id`.
std::string at_step(const Json& scenario, std::string_view id, std::string_view rest,
                    std::string_view message) {
  return "bad.json: error: " + step_pointer(scenario, id) + std::string(rest) + ": " +
         std::string(message);
}

// JSON from text: nested initializer lists would turn ["a", "b"] into {"a": "b"}.
Json json(std::string_view text) { return Json::parse(text); }

const model::RunbookStep& step_of(const model::Scenario& scenario, std::string_view id) {
  for (const auto& s : scenario.runbook.steps) {
    if (s.id == id) return s;
  }
  BOOST_FAIL("no step " << id);
  return scenario.runbook.steps.front();
}

// The resolved step `id` of the planned server `fqdn`.
const model::ResolvedStep& resolved_step(const model::ResolvedPlan& plan, std::string_view fqdn,
                                         std::string_view id) {
  for (const auto& server : plan.servers) {
    if (server.target.fqdn != fqdn) continue;
    for (const auto& s : server.steps) {
      if (s.definition->id == id) return s;
    }
  }
  BOOST_FAIL("no step " << id << " on " << fqdn);
  return plan.servers.front().steps.front();
}

BOOST_AUTO_TEST_SUITE(command_checks)

BOOST_AUTO_TEST_CASE(a_probe_and_an_unattended_check_are_read_as_written) {
  Json scenario = contoso_inline();
  step(scenario, "stop-w3svc")["probe"] =
      json(R"({"pipeline": [["Get-Service", "W3SVC"]], "present": "Stopped"})");
  step(scenario, "log-on")["unattended"] =
      json(R"({"pipeline": [["Get-Process", "-Name", "explorer"], ["Measure-Object"]]})");
  const auto result = load(scenario);
  BOOST_TEST_REQUIRE(result.has_value());
  const auto& probe = step_of(*result, "stop-w3svc").probe;
  BOOST_TEST_REQUIRE(probe.has_value());
  BOOST_TEST(probe->pipeline == (Pipeline{{"Get-Service", "W3SVC"}}));
  BOOST_TEST(probe->present == "Stopped");
  BOOST_TEST(probe->absent == "");
  const auto& unattended = step_of(*result, "log-on").unattended;
  BOOST_TEST_REQUIRE(unattended.has_value());
  BOOST_TEST(unattended->pipeline ==
             (Pipeline{{"Get-Process", "-Name", "explorer"}, {"Measure-Object"}}));
  BOOST_TEST(unattended->present == "");
  BOOST_TEST(unattended->absent == "");
}

BOOST_AUTO_TEST_CASE(a_step_without_checks_has_none) {
  Json scenario = contoso_inline();
  step(scenario, "stop-w3svc").erase("probe");
  step(scenario, "log-on").erase("unattended");
  const auto result = load(scenario);
  BOOST_TEST_REQUIRE(result.has_value());
  BOOST_TEST(!step_of(*result, "stop-w3svc").probe.has_value());
  BOOST_TEST(!step_of(*result, "log-on").unattended.has_value());
}

BOOST_AUTO_TEST_CASE(the_shipped_runbook_checks_every_step_but_the_database_step_by_role) {
  const auto result = load(contoso());
  BOOST_TEST_REQUIRE(result.has_value());
  const auto& close_shells = step_of(*result, "close-shells").unattended;
  BOOST_TEST_REQUIRE(close_shells.has_value());
  BOOST_TEST(close_shells->pipeline ==
             (Pipeline{{"Get-CimInstance", "-ClassName", "Win32_Process", "-Filter",
                        "Name = 'powershell.exe'"},
                       {"Select-Object", "-ExpandProperty", "CommandLine"}}));
  BOOST_TEST(close_shells->absent == "Lync.psd1");
  for (const auto& s : result->runbook.steps) {
    BOOST_TEST((s.kind == model::StepKind::manual ? s.unattended : s.probe).has_value(),
               "step " << s.id << " has its check");
  }
}

BOOST_AUTO_TEST_CASE(a_probe_belongs_to_a_step_that_runs_a_command) {
  Json scenario = contoso_inline();
  step(scenario, "log-on")["probe"] = json(R"({"pipeline": [["whoami"]]})");
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{at_step(scenario, "log-on", "/probe",
                           "\"probe\" applies to steps of kind \"command\", \"install\" or "
                           "\"database\" only, got kind \"manual\"")});
}

BOOST_AUTO_TEST_CASE(an_unattended_check_belongs_to_a_manual_step) {
  Json scenario = contoso_inline();
  step(scenario, "stop-w3svc")["unattended"] = json(R"({"pipeline": [["whoami"]]})");
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{at_step(scenario, "stop-w3svc", "/unattended",
                           "\"unattended\" applies to steps of kind \"manual\" only, got kind "
                           "\"command\"")});
}

BOOST_AUTO_TEST_CASE(a_pipeline_has_stages_of_non_empty_strings) {
  Json scenario = contoso_inline();
  step(scenario, "stop-w3svc")["probe"] = json(R"({"pipeline": []})");
  step(scenario, "start-w3svc")["probe"] = json(R"({"pipeline": [[]]})");
  step(scenario, "stop-services")["probe"] = json(R"({"pipeline": [["Get-Service", ""]]})");
  step(scenario, "start-services")["probe"] = json(R"({"pipeline": [["Get-Service", 3]]})");
  step(scenario, "install-update")["probe"] = json(R"({"pipeline": "Get-CsServerPatchVersion"})");
  step(scenario, "log-on")["unattended"] = json(R"({"pipeline": ["whoami"]})");
  BOOST_TEST(
      rendered(load(scenario)) ==
      (Lines{at_step(scenario, "log-on", "/unattended/pipeline/0",
                     "expected an array of strings (a command and its arguments), got string "
                     "\"whoami\""),
             at_step(scenario, "stop-services", "/probe/pipeline/0/1",
                     "expected a non-empty string, got string \"\""),
             at_step(scenario, "stop-w3svc", "/probe/pipeline",
                     "expected a non-empty array of stages, got an empty array"),
             at_step(scenario, "install-update", "/probe/pipeline",
                     "expected an array of stages (arrays of a command and its arguments), got "
                     "string \"Get-CsServerPatchVersion\""),
             at_step(scenario, "start-w3svc", "/probe/pipeline/0",
                     "expected a non-empty array of strings (a command and its arguments), got "
                     "an empty array"),
             at_step(scenario, "start-services", "/probe/pipeline/0/1",
                     "expected a non-empty string, got number 3")}));
}

BOOST_AUTO_TEST_CASE(check_strings_hold_no_control_characters) {
  Json scenario = contoso_inline();
  step(scenario, "stop-w3svc")["probe"] =
      json(R"({"pipeline": [["Get-Service", "W3SVC\nshutdown"]]})");
  step(scenario, "start-w3svc")["probe"] =
      json(R"({"pipeline": [["Get-Service", "W3SVC"]], "present": "Run\u007fning"})");
  BOOST_TEST(rendered(load(scenario)) ==
             (Lines{at_step(scenario, "stop-w3svc", "/probe/pipeline/0/1",
                            "expected text without control characters, got "
                            "\"W3SVC\\nshutdown\" (it holds U+000A)"),
                    at_step(scenario, "start-w3svc", "/probe/present",
                            "expected text without control characters, got \"Run\\u007fning\" "
                            "(it holds U+007F)")}));
}

BOOST_AUTO_TEST_CASE(a_check_has_at_most_one_of_present_and_absent) {
  Json scenario = contoso_inline();
  step(scenario, "stop-w3svc")["probe"] = json(
      R"({"pipeline": [["Get-Service", "W3SVC"]], "present": "Stopped", "absent": "Running"})");
  step(scenario, "start-w3svc")["probe"] =
      json(R"({"pipeline": [["Get-Service", "W3SVC"]], "present": ""})");
  BOOST_TEST(rendered(load(scenario)) ==
             (Lines{at_step(scenario, "stop-w3svc", "/probe",
                            "expected at most one of \"present\" and \"absent\", got both"),
                    at_step(scenario, "start-w3svc", "/probe/present",
                            "expected a non-empty string, got string \"\"")}));
}

BOOST_AUTO_TEST_CASE(a_check_is_an_object_with_known_keys) {
  Json scenario = contoso_inline();
  step(scenario, "stop-w3svc")["probe"] = "Get-Service W3SVC";
  step(scenario, "start-w3svc")["probe"] =
      json(R"({"pipeline": [["Get-Service", "W3SVC"]], "presnt": "Running"})");
  step(scenario, "log-on")["unattended"] = Json::object();
  BOOST_TEST(rendered(load(scenario)) ==
             (Lines{at_step(scenario, "log-on", "/unattended", "missing required key \"pipeline\""),
                    at_step(scenario, "stop-w3svc", "/probe",
                            "expected a command check object ({\"pipeline\": [[...]], ...}), got "
                            "string \"Get-Service W3SVC\""),
                    at_step(scenario, "start-w3svc", "/probe/presnt",
                            "unknown key \"presnt\"; allowed keys: \"absent\", \"pipeline\", "
                            "\"present\" (did you mean \"present\"?)")}));
}

BOOST_AUTO_TEST_CASE(an_unknown_placeholder_in_a_check_is_reported_once_at_its_string) {
  Json scenario = contoso_inline();
  step(scenario, "update-databases")["probe"] = json(
      R"({"pipeline": [["Test-CsDatabase", "-SqlServerFqdn", "{sql_server}"]], "absent": "False"})");
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{at_step(scenario, "update-databases", "/probe/pipeline/0/2",
                           "step \"update-databases\" uses unknown placeholder {sql_server}; "
                           "expected {fqdn}, {sql_fqdn}, {pool_fqdn} or {update_version}")});
}

BOOST_AUTO_TEST_CASE(resolution_substitutes_placeholders_in_every_string) {
  Json scenario = contoso_inline();
  scenario["live"] = {{"update_version", "5.0.8308.1001"}};
  step(scenario, "stop-w3svc")["probe"] = json(R"({
      "pipeline": [["Get-Service", "-ComputerName", "{fqdn}"], ["Select-Object", "{update_version}"]],
      "absent": "{sql_fqdn}"})");
  const auto result = load(scenario);
  BOOST_TEST_REQUIRE(result.has_value());
  BOOST_TEST(result->live.update_version == "5.0.8308.1001");
  const auto plan = model::resolve_plan(*result);
  BOOST_TEST_REQUIRE(plan.has_value());
  const auto& stop = resolved_step(*plan, "se01.contoso.com", "stop-w3svc");
  BOOST_TEST_REQUIRE(stop.probe.has_value());
  BOOST_TEST(stop.probe->pipeline == (Pipeline{{"Get-Service", "-ComputerName", "se01.contoso.com"},
                                               {"Select-Object", "5.0.8308.1001"}}));
  BOOST_TEST(stop.probe->absent == "se01.contoso.com");
  const auto& install = resolved_step(*plan, "sql01.contoso.com", "install-update");
  BOOST_TEST_REQUIRE(install.probe.has_value());
  // The version is looked for among the installed programs' entries (Lync Server 2013 has no
  // Get-CsServerPatchVersion): stage 2 of the probe compares it.
  BOOST_TEST(install.probe->pipeline.at(1) ==
             (std::vector<std::string>{"Where-Object", "-Property", "DisplayVersion", "-EQ",
                                       "-Value", "5.0.8308.1001"}));
  BOOST_TEST(install.probe->present == "Microsoft Lync Server 2013");
  const auto& databases = resolved_step(*plan, "sql01.contoso.com", "update-databases");
  BOOST_TEST_REQUIRE(databases.probe.has_value());
  BOOST_TEST(databases.probe->pipeline == (Pipeline{{"Test-CsDatabase", "-ConfiguredDatabases",
                                                     "-SqlServerFqdn", "sql01.contoso.com"}}));
  const auto& log_on = resolved_step(*plan, "sql01.contoso.com", "log-on");
  BOOST_TEST_REQUIRE(log_on.unattended.has_value());
  BOOST_TEST(log_on.unattended->pipeline == (Pipeline{{"whoami"}}));
  BOOST_TEST(!log_on.probe.has_value());
}

BOOST_AUTO_TEST_CASE(without_an_update_version_the_placeholder_stays_as_written) {
  const auto result = load(contoso());
  BOOST_TEST_REQUIRE(result.has_value());
  BOOST_TEST(result->live.update_version == "");
  const auto plan = model::resolve_plan(*result);
  BOOST_TEST_REQUIRE(plan.has_value());
  const auto& install = resolved_step(*plan, "sql01.contoso.com", "install-update");
  BOOST_TEST_REQUIRE(install.probe.has_value());
  BOOST_TEST(install.probe->pipeline.at(1).back() == "{update_version}");
}

BOOST_AUTO_TEST_CASE(an_update_version_has_two_to_four_numeric_parts) {
  for (const char* good : {"5.0", "5.0.8308", "5.0.8308.1001"}) {
    Json scenario = contoso();
    scenario["live"] = {{"update_version", good}};
    const auto result = load(scenario);
    BOOST_TEST_REQUIRE(result.has_value(), good);
    BOOST_TEST(result->live.update_version == good);
  }
  const std::string expected =
      "bad.json: error: /live/update_version: expected a version of 2 to 4 numeric parts "
      "separated by dots, such as \"5.0.8308.1001\", got ";
  const std::vector<std::pair<Json, std::string>> bad{
      {"5", "string \"5\""},
      {"5.0.8308.1001.7", "string \"5.0.8308.1001.7\""},
      {"5..8308", "string \"5..8308\""},
      {"v5.0", "string \"v5.0\""},
      {"5.0;reboot", "string \"5.0;reboot\""},
      {"", "string \"\""},
      {5.0, "number 5.0"}};
  for (const auto& [value, shown] : bad) {
    Json scenario = contoso();
    scenario["live"] = {{"update_version", value}};
    BOOST_TEST(rendered(load(scenario)) == Lines{expected + shown});
  }
}

BOOST_AUTO_TEST_CASE(the_live_section_is_an_object_with_known_keys) {
  Json scenario = contoso();
  scenario["live"] = {{"update_versoin", "5.0.8308.1001"}};
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /live/update_versoin: unknown key \"update_versoin\"; "
                   "allowed keys: \"update_version\" (did you mean \"update_version\"?)"});
  scenario["live"] = "5.0.8308.1001";
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /live: expected an object, got string \"5.0.8308.1001\""});
  scenario["live"] = Json::object();
  BOOST_TEST(rendered(load(scenario)).empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace lyncupdate::loader::testing
