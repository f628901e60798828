// The foundation's acceptance cases: edits an administrator makes to a copy of contoso, and
// the finding `check` must report for each.

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "run_cli.hpp"

using lyncupdate::test::run_cli;
using lyncupdate::test::scratch_dir;
using lyncupdate::test::write_file;
using Json = nlohmann::ordered_json;

namespace {

Json contoso() { return lyncupdate::test::exported_scenario("contoso"); }

std::size_t step_index(const Json& scenario, const std::string& id) {
  const Json& steps = scenario["runbook"];
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i]["id"] == id) return i;
  }
  BOOST_FAIL("no step " + id);
  return 0;
}

lyncupdate::test::CliResult check(const Json& scenario, const std::string& name,
                                  bool json = false) {
  const auto dir = scratch_dir("done-when-" + name);
  write_file(dir / "scenario.json", scenario.dump(2));
  std::vector<std::string> args{"check", (dir / "scenario.json").string()};
  if (json) args.emplace_back("--json");
  return run_cli(args);
}

std::vector<std::string> rules_of(const lyncupdate::test::CliResult& result) {
  std::vector<std::string> rules;
  const auto doc = nlohmann::json::parse(result.out);
  for (const auto& v : doc["violations"]) {
    rules.push_back(v["rule"].get<std::string>() + " " +
                    (v["server"].is_null() ? "-" : v["server"].get<std::string>()) + " " +
                    (v["step"].is_null() ? "-" : v["step"].get<std::string>()));
  }
  return rules;
}

using Strings = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_SUITE(done_when)

BOOST_AUTO_TEST_CASE(the_unedited_copy_is_clean) {
  const auto result = check(contoso(), "clean", true);
  BOOST_TEST(result.exit_code == 0);
  BOOST_TEST(rules_of(result) == Strings{}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_40_minute_install_breaks_the_outage_limit) {
  Json s = contoso();
  s["timing"]["steps"]["install-update"] = Json{{"distribution", "fixed"}, {"minutes", 40}};
  const auto result = check(s, "install-40", true);
  BOOST_TEST(result.exit_code == 1);
  BOOST_TEST(rules_of(result) == (Strings{"backend-outage-limit sql01.contoso.com install-update",
                                          "backend-outage-limit se01.contoso.com stop-services"}),
             boost::test_tools::per_element());
  const auto text = check(s, "install-40-text");
  BOOST_TEST(text.out.find("back end sql01.contoso.com was unavailable for") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(stopping_w3svc_after_the_install_breaks_a_precondition) {
  Json s = contoso();
  Json& steps = s["runbook"];
  const Json moved = steps[step_index(s, "stop-w3svc")];
  steps.erase(step_index(s, "stop-w3svc"));
  steps.insert(steps.begin() + static_cast<std::ptrdiff_t>(step_index(s, "install-update") + 1),
               moved);
  const auto result = check(s, "w3svc-after-install", true);
  BOOST_TEST(result.exit_code == 1);
  BOOST_TEST(rules_of(result) == (Strings{"step-precondition sql01.contoso.com install-update",
                                          "step-precondition se01.contoso.com install-update"}),
             boost::test_tools::per_element());
  const auto text = check(s, "w3svc-after-install-text");
  BOOST_TEST(text.out.find("w3svc is running (needs stopped)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_enterprise_database_command_on_the_standard_edition_server) {
  Json s = contoso();
  s["runbook"][step_index(s, "update-databases")]["variants"]["standard_edition"]["command"] =
      "Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn {sql_fqdn}";
  const auto result = check(s, "se-database-variant", true);
  BOOST_TEST(result.exit_code == 1);
  BOOST_TEST(rules_of(result) == Strings{"database-variant se01.contoso.com update-databases"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(deleting_the_closing_step_leaves_services_stopped) {
  Json s = contoso();
  s["runbook"].erase(step_index(s, "start-services"));
  s["timing"]["steps"].erase("start-services");
  const auto result = check(s, "no-closing-step", true);
  BOOST_TEST(result.exit_code == 1);
  const Strings rules = rules_of(result);
  BOOST_TEST(std::count(rules.begin(), rules.end(),
                        "services-left-stopped sql01.contoso.com stop-services") == 1);
  BOOST_TEST(std::count(rules.begin(), rules.end(),
                        "services-left-stopped se01.contoso.com stop-services") == 1);
}

BOOST_AUTO_TEST_CASE(a_short_window_overruns) {
  Json s = contoso();
  s["limits"]["window"]["length_min"] = 20;
  const auto result = check(s, "short-window", true);
  BOOST_TEST(result.exit_code == 1);
  BOOST_TEST(rules_of(result) == Strings{"window-overrun - -"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(hostile_fqdns_are_refused_before_anything_runs) {
  for (const char* fqdn : {"a.b;rm -rf /", "$(reboot)", "se01.contoso.com\n", "-rf.example.com"}) {
    Json s = contoso();
    s["topology"]["standard_edition_servers"][0]["fqdn"] = fqdn;
    const auto result = check(s, "hostile");
    BOOST_TEST_CONTEXT(fqdn) {
      BOOST_TEST(result.exit_code == 2);
      BOOST_TEST(result.out == "");
      BOOST_TEST(result.err.find("/topology/standard_edition_servers/0/fqdn") != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
