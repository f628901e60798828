// The rules of a mirrored back end's two servers: the mirror runs no Install-CsDatabase
// (mirror-database-step), a principal holding the Central Management store fails the store
// over and back with the pool (central-mgmt-failover, and the steps that run only there), and
// step commands are written as live mode runs them (live-command-form). Each on a hand-made
// bad case with its exact message, and on the good one.

#include <filesystem>

#include <boost/test/unit_test.hpp>

#include "analysis_support.hpp"

using namespace lyncupdate;
using lyncupdate::test::analyse;
using lyncupdate::test::Json;
using lyncupdate::test::Strings;

namespace {

const std::filesystem::path broken =
    std::filesystem::path(LYNCUPDATE_SOURCE_DIR) / "scenarios" / "broken";

Json broken_case(const char* name) { return Json::parse(test::read_text(broken / name)); }

std::vector<check::Finding> of(const std::vector<check::Finding>& findings, std::string_view rule) {
  std::vector<check::Finding> out;
  for (const auto& f : findings) {
    if (f.rule == rule) out.push_back(f);
  }
  return out;
}

// The step ids `fqdn` runs in `scenario`'s resolved plan.
Strings resolved_steps(const Json& scenario, std::string_view fqdn) {
  const auto loaded = test::load_text(scenario.dump());
  for (const auto& server : loaded.plan.servers) {
    if (server.target.fqdn != fqdn) continue;
    Strings ids;
    for (const auto& step : server.steps) ids.push_back(step.definition->id);
    return ids;
  }
  BOOST_FAIL("no planned server " + std::string(fqdn));
  return {};
}

// The index of step `id` in `steps` (a runbook array).
std::size_t step_at(const Json& steps, std::string_view id) {
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i]["id"] == id) return i;
  }
  BOOST_FAIL("no step " + std::string(id));
  return 0;
}

// The case whose principal holds the Central Management store, with the shipped mirrored
// runbook (which fails the store over and back) inlined.
Json central_management_case() {
  Json s = broken_case("cms-not-failed-over.json");
  s["mirrored_backend_runbook"] = "mirrored-backend-update";
  for (const char* id : {"fail-over-cms-to-mirror", "fail-back-cms-to-principal"}) {
    s["timing"]["steps"][id] = Json{{"distribution", "fixed"}, {"minutes", 1}};
  }
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(mirrored_pair)

BOOST_AUTO_TEST_CASE(a_mirror_running_install_csdatabase_is_an_error) {
  const auto findings = of(analyse(broken_case("mirror-runs-database-update.json")),
                           check::rules::mirror_database_step);
  BOOST_REQUIRE(findings.size() == 1U);
  BOOST_TEST(test::line(findings[0]) ==
             "mirror-database-step: sql01m.contoso.com: update-databases");
  BOOST_TEST(findings[0].message ==
             "sql01m.contoso.com is the mirror of pool01.contoso.com's back end, and "
             "update-databases runs Install-CsDatabase on it: the principal updates the pair's "
             "databases, which mirroring copies here, and -Update cannot run against mirrored "
             "databases (office-docs-powershell Install-CsDatabase); give mirrors "
             "\"mirror_runbook\": \"mirror-update\"");
}

BOOST_AUTO_TEST_CASE(the_mirror_runbook_leaves_the_database_update_to_the_principal) {
  Json s = broken_case("mirror-runs-database-update.json");
  s["mirror_runbook"] = "mirror-update";
  BOOST_TEST(of(analyse(s), check::rules::mirror_database_step).empty());
  const Strings mirror = resolved_steps(s, "sql01m.contoso.com");
  BOOST_TEST(mirror == (Strings{"log-on", "extract-update", "open-shell", "stop-services",
                                "stop-w3svc", "close-shells", "install-update", "reopen-shell",
                                "stop-services-again", "start-w3svc", "start-services"}),
             boost::test_tools::per_element());
  // The principal still runs the database update for the pair.
  const Strings principal = resolved_steps(s, "sql01.contoso.com");
  BOOST_TEST(std::ranges::count(principal, "update-databases") == 1);
}

BOOST_AUTO_TEST_CASE(a_store_holder_failing_over_only_the_user_store_is_an_error) {
  const auto findings =
      of(analyse(broken_case("cms-not-failed-over.json")), check::rules::central_mgmt_failover);
  BOOST_REQUIRE(findings.size() == 1U);
  BOOST_TEST(test::line(findings[0]) ==
             "central-mgmt-failover: sql01.contoso.com: fail-over-to-mirror, install-update");
  BOOST_TEST(check::severity_name(findings[0].severity) == "error");
  BOOST_TEST(findings[0].message ==
             "sql01.contoso.com holds the Central Management store, and fail-over-to-mirror "
             "fails the pool over to the mirror, but the store is not failed over before "
             "install-update: add Invoke-CsDatabaseFailover -PoolFqdn pool01.contoso.com "
             "-DatabaseType CentralMgmt -NewPrincipal Mirror, one call per database type (Lync "
             "Server 2013, \"Failing over a mirrored database\", JJ204991)");
}

BOOST_AUTO_TEST_CASE(the_shipped_mirrored_runbook_fails_the_store_over_and_back_where_it_is) {
  const Json s = central_management_case();
  BOOST_TEST(of(analyse(s), check::rules::central_mgmt_failover).empty());
  const Strings principal = resolved_steps(s, "sql01.contoso.com");
  const auto at = [&](std::string_view id) {
    return std::ranges::find(principal, id) - principal.begin();
  };
  BOOST_TEST(at("fail-over-cms-to-mirror") == at("fail-over-to-mirror") + 1);
  BOOST_TEST(at("fail-back-cms-to-principal") == at("fail-back-to-principal") + 1);
  BOOST_TEST(at("fail-back-cms-to-principal") < static_cast<std::ptrdiff_t>(principal.size()));
  // A pool without the store leaves both steps out, and needs no timing for them.
  Json other = s;
  other["topology"]["enterprise_pools"][0].erase("central_management_store");
  other["timing"]["steps"].erase("fail-over-cms-to-mirror");
  other["timing"]["steps"].erase("fail-back-cms-to-principal");
  const Strings plain = resolved_steps(other, "sql01.contoso.com");
  BOOST_TEST(std::ranges::count(plain, "fail-over-cms-to-mirror") == 0);
  BOOST_TEST(std::ranges::count(plain, "fail-back-cms-to-principal") == 0);
  BOOST_TEST(plain.size() + 2 == principal.size());
}

BOOST_AUTO_TEST_CASE(the_store_failed_over_after_the_installer_is_too_late) {
  Json s = broken_case("cms-not-failed-over.json");
  Json& steps = s["mirrored_backend_runbook"];
  Json late = steps[step_at(steps, "fail-over-to-mirror")];
  late["id"] = "fail-over-cms-late";
  late["command"] =
      "Invoke-CsDatabaseFailover -PoolFqdn {pool_fqdn} -DatabaseType CentralMgmt "
      "-NewPrincipal Mirror";
  late.erase("on_start");
  late.erase("on_finish");
  late["requires"] = Json{{"database_principal", "mirror"}};
  late.erase("probe");
  steps.insert(steps.begin() + static_cast<std::ptrdiff_t>(step_at(steps, "install-update") + 1),
               late);
  s["timing"]["steps"]["fail-over-cms-late"] = Json{{"distribution", "fixed"}, {"minutes", 1}};
  const auto findings = of(analyse(s), check::rules::central_mgmt_failover);
  BOOST_REQUIRE(findings.size() == 1U);
  BOOST_TEST(test::line(findings[0]) ==
             "central-mgmt-failover: sql01.contoso.com: fail-over-to-mirror, install-update");
}

BOOST_AUTO_TEST_CASE(a_store_failed_over_and_never_back_is_a_warning) {
  Json s = central_management_case();
  auto runbook =
      Json::parse(test::read_text(std::filesystem::path(LYNCUPDATE_SOURCE_DIR) / "scenarios" /
                                  "runbooks" / "mirrored-backend-update.json"));
  runbook.erase(step_at(runbook, "fail-back-cms-to-principal"));
  s["mirrored_backend_runbook"] = runbook;
  s["timing"]["steps"].erase("fail-back-cms-to-principal");
  const auto findings = of(analyse(s), check::rules::central_mgmt_failover);
  BOOST_REQUIRE(findings.size() == 1U);
  BOOST_TEST(test::line(findings[0]) ==
             "central-mgmt-failover: sql01.contoso.com: fail-over-cms-to-mirror");
  BOOST_TEST(check::severity_name(findings[0].severity) == "warning");
  BOOST_TEST(findings[0].message ==
             "fail-over-cms-to-mirror fails the Central Management store over to the mirror and "
             "never back: add Invoke-CsDatabaseFailover -PoolFqdn pool01.contoso.com "
             "-DatabaseType CentralMgmt -NewPrincipal Primary after the update (Lync Server "
             "2013, \"Failing over a mirrored database\", JJ204991)");
}

BOOST_AUTO_TEST_CASE(a_database_type_or_role_the_failover_cmdlet_lacks_is_an_error) {
  Json s = broken_case("mirror-runs-database-update.json");
  s["mirror_runbook"] = "mirror-update";
  auto runbook =
      Json::parse(test::read_text(std::filesystem::path(LYNCUPDATE_SOURCE_DIR) / "scenarios" /
                                  "runbooks" / "mirrored-backend-update.json"));
  runbook[step_at(runbook, "fail-over-to-mirror")]["command"] =
      "Invoke-CsDatabaseFailover -PoolFqdn {pool_fqdn} -DatabaseType User -NewPrincipal Mirorr";
  runbook[step_at(runbook, "fail-back-to-principal")]["command"] =
      "Invoke-CsDatabaseFailover -PoolFqdn {pool_fqdn} -DatabaseType CentralMgt -NewPrincipal "
      "Primary";
  s["mirrored_backend_runbook"] = runbook;
  const auto findings = of(analyse(s), check::rules::invalid_parameter_value);
  Strings messages;
  for (const auto& f : findings) messages.push_back(test::line(f) + ": " + f.message);
  BOOST_TEST(
      messages == (Strings{"invalid-parameter-value: sql01.contoso.com: fail-over-to-mirror: "
                           "fail-over-to-mirror: -NewPrincipal of Invoke-CsDatabaseFailover is "
                           "Mirorr, which is none of its values (Mirror, Primary) "
                           "(https://learn.microsoft.com/powershell/module/skypeforbusiness/"
                           "invoke-csdatabasefailover)",
                           "invalid-parameter-value: sql01.contoso.com: fail-back-to-principal: "
                           "fail-back-to-principal: -DatabaseType of Invoke-CsDatabaseFailover is "
                           "CentralMgt, which is none of its values (ActiveMonitoring, "
                           "Application, Archiving, CentralMgmt, Edge, Lyss, Monitoring, "
                           "PersistentChat, PersistentChatCompliance, Provision, Registrar, "
                           "SigninTelemetry, User) "
                           "(https://learn.microsoft.com/powershell/module/skypeforbusiness/"
                           "invoke-csdatabasefailover)"}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_quoted_word_in_a_step_command_is_a_live_form_error) {
  const auto findings =
      of(analyse(broken_case("quoted-service-name.json")), check::rules::live_command_form);
  BOOST_REQUIRE(findings.size() == 1U);
  BOOST_TEST(test::line(findings[0]) == "live-command-form: all servers: stop-w3svc");
  BOOST_TEST(findings[0].message ==
             "stop-w3svc: live mode passes a step command's words literally, so 'w3svc' would "
             "reach the server as literal text, not as PowerShell reads it; write step commands "
             "as plain words and bare parameter names");
}

BOOST_AUTO_TEST_CASE(name_value_and_chained_commands_are_live_form_errors_too) {
  Json s = test::contoso_json();
  Json& steps = s["runbook"];
  steps[step_at(steps, "start-services")]["command"] = "Start-CsWindowsService -Report:C:\\x.html";
  steps[step_at(steps, "stop-services")]["command"] = "Stop-CsWindowsService; Get-CsWindowsService";
  const auto findings = of(analyse(s), check::rules::live_command_form);
  Strings messages;
  for (const auto& f : findings) messages.push_back(f.message);
  BOOST_TEST(
      messages == (Strings{"stop-services: live mode passes a step command's words literally, so "
                           "Stop-CsWindowsService; would reach the server as literal text, not "
                           "as PowerShell reads it; write step commands as plain words and bare "
                           "parameter names",
                           "start-services: live mode passes a step command's words literally, "
                           "so -Report:C:\\x.html would reach the server as literal text, not as "
                           "PowerShell reads it; write step commands as plain words and bare "
                           "parameter names"}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(plain_words_and_bare_parameters_are_what_live_mode_runs) {
  BOOST_TEST(of(analyse(test::contoso_json()), check::rules::live_command_form).empty());
}

BOOST_AUTO_TEST_SUITE_END()
