// The whole rollout of the enterprise deployment (enterprise-rollout): front ends by upgrade
// domain, then the back ends, the mirrored principal failing over to its updated mirror.

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "run_cli.hpp"

using lyncupdate::test::occurrences;
using lyncupdate::test::run_cli;
using Json = nlohmann::json;

namespace {

const Json& server(const Json& doc, const std::string& fqdn) {
  for (const Json& s : doc["servers"]) {
    if (s["fqdn"] == fqdn) return s;
  }
  BOOST_FAIL("no server " + fqdn);
  return doc;
}

const Json& totals(const Json& doc, const std::string& fqdn) {
  for (const Json& t : doc["outage_totals"]) {
    if (t["server"] == fqdn) return t;
  }
  BOOST_FAIL("no outage totals for " + fqdn);
  return doc;
}

std::vector<std::string> step_ids(const Json& s) {
  std::vector<std::string> ids;
  for (const Json& step : s["steps"]) ids.push_back(step["id"].get<std::string>());
  return ids;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rollout)

BOOST_AUTO_TEST_CASE(the_hand_plan_checks_clean_with_every_front_end_and_back_end) {
  const auto check = run_cli({"check", "enterprise-rollout", "--json"});
  BOOST_TEST(check.exit_code == 0, check.err);
  const Json checked = Json::parse(check.out);
  BOOST_TEST(checked["violations"].empty());
  for (const Json& finding : checked["findings"]) BOOST_TEST(finding["severity"] == "info");
  const auto simulated = run_cli({"simulate", "enterprise-rollout", "--json"});
  const Json doc = Json::parse(simulated.out);
  BOOST_TEST(doc["servers"].size() == 36U);  // 28 front ends, 4 back ends and a mirror, 4 SE
  BOOST_TEST(server(doc, "fe3-12.fabrikam.com")["role"] == "front_end");
  BOOST_TEST(server(doc, "fe3-12.fabrikam.com")["stage"] == 4);
}

BOOST_AUTO_TEST_CASE(front_ends_run_the_readiness_gate_with_their_pool) {
  const auto result = run_cli({"simulate", "enterprise-rollout", "--json"});
  BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
  const Json doc = Json::parse(result.out);
  const Json& fe = server(doc, "fe2-05.fabrikam.com");
  BOOST_TEST(step_ids(fe) == (std::vector<std::string>{
                                 "fe-log-on", "fe-extract-update", "fe-open-shell",
                                 "fe-check-readiness", "fe-stop-services", "fe-close-shells",
                                 "fe-install-update", "fe-reopen-shell", "fe-stop-services-again",
                                 "fe-start-services", "fe-confirm", "fe-domain-settle"}),
             boost::test_tools::per_element());
  // The cmdlet has no -PoolFqdn: it runs locally on a front end of the pool it checks
  // (office-docs-powershell, Get-CsPoolUpgradeReadinessState).
  BOOST_TEST(fe["steps"][3]["command"] == "Get-CsPoolUpgradeReadinessState");
  BOOST_TEST(fe["steps"][4]["command"] == "Stop-CsWindowsService -Graceful");
  // A front end is no back end: its stopped services are no outage.
  BOOST_TEST(totals(doc, "fe2-05.fabrikam.com")["outages"] == 0);
}

BOOST_AUTO_TEST_CASE(the_mirrored_principal_is_down_only_for_failovers_and_its_databases) {
  const auto result = run_cli({"simulate", "enterprise-rollout", "--json"});
  BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
  const Json doc = Json::parse(result.out);
  const Json& principal = server(doc, "sql02.fabrikam.com");
  const std::vector<std::string> ids = step_ids(principal);
  BOOST_TEST(ids.size() == 15U);
  BOOST_TEST(ids[3] == "check-mirror-state");
  BOOST_TEST(ids[4] == "fail-over-to-mirror");
  BOOST_TEST(ids[12] == "fail-back-to-principal");
  BOOST_TEST(ids[13] == "update-databases");
  BOOST_TEST(principal["steps"][4]["command"] ==
             "Invoke-CsDatabaseFailover -PoolFqdn pool02.fabrikam.com -DatabaseType User "
             "-NewPrincipal Mirror");
  BOOST_TEST(principal["steps"][12]["command"] ==
             "Invoke-CsDatabaseFailover -PoolFqdn pool02.fabrikam.com -DatabaseType User "
             "-NewPrincipal Primary");
  // Three outages: the failover, the failback and the database update; the install, which
  // takes most of the time, runs while the mirror serves the pool.
  const Json& principal_outages = totals(doc, "sql02.fabrikam.com");
  BOOST_TEST(principal_outages["outages"] == 3);
  const std::int64_t longest = principal_outages["longest_ms"];
  std::int64_t install = 0;
  std::int64_t failover = 0;
  std::int64_t failback = 0;
  std::int64_t databases = 0;
  for (const Json& step : principal["steps"]) {
    if (step["id"] == "install-update") install = step["duration_ms"];
    if (step["id"] == "fail-over-to-mirror") failover = step["duration_ms"];
    if (step["id"] == "fail-back-to-principal") failback = step["duration_ms"];
    if (step["id"] == "update-databases") databases = step["duration_ms"];
  }
  BOOST_TEST(longest == std::max({failover, failback, databases}));
  BOOST_TEST(principal_outages["total_ms"] == failover + failback + databases);
  BOOST_TEST(longest < install);
  // The mirror, updated with the ordinary runbook, is down from its install to its databases.
  BOOST_TEST(totals(doc, "sql02-mirror.fabrikam.com")["outages"] == 1);
}

// What `live --dry-run` would run on a Lync Server 2013 front end: the readiness check on the
// front end itself, without -PoolFqdn, its answer read from PoolUpgradeState; and probes that
// Lync 2013 has (no Get-CsServerPatchVersion, which arrived with Skype for Business Server 2015).
BOOST_AUTO_TEST_CASE(a_dry_run_checks_readiness_on_the_front_end_with_lync_2013_probes) {
  auto scenario = lyncupdate::test::exported_scenario("enterprise-rollout");
  scenario["live"] = {{"update_version", "5.0.8308.1001"}};
  const auto dir = lyncupdate::test::scratch_dir("rollout-dry-run");
  lyncupdate::test::write_file(dir / "rollout.json", scenario.dump(2));
  const auto result = run_cli({"live", (dir / "rollout.json").string(), "--dry-run", "--ssh-user",
                               "lyncadmin", "--gate-runs", "400"});
  // The gate refuses the hand plan on its risk (README), but the dry run still lists it.
  BOOST_TEST(result.exit_code == 1, result.err);
  BOOST_TEST(result.err.empty(), result.err);
  const std::string& out = result.out;
  const std::string readiness =
      "fe2-05.fabrikam.com  fe-check-readiness  [command]\n"
      "     ssh lyncadmin@fe2-05.fabrikam.com: & 'Get-CsPoolUpgradeReadinessState' | "
      "& 'Select-Object' -ExpandProperty 'PoolUpgradeState'\n";
  BOOST_TEST(occurrences(out, readiness) == 1U);
  BOOST_TEST(occurrences(out,
                         "     probe: & 'Get-CsPoolUpgradeReadinessState' | & 'Select-Object' "
                         "-ExpandProperty 'PoolUpgradeState' (done when exit 0 with "
                         "\"Ready\" in the output)\n") == 28U);
  const std::string install_probe =
      "     probe: & 'Get-ItemProperty' -Path "
      "'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*' | & 'Where-Object' "
      "-Property 'DisplayVersion' -EQ -Value '5.0.8308.1001' | & 'Select-Object' -ExpandProperty "
      "'DisplayName' (done when exit 0 with \"Microsoft Lync Server 2013\" in the output)\n";
  // Every server installs the update: 28 front ends, 3 back ends, a mirror, 4 SE servers.
  BOOST_TEST(occurrences(out, install_probe) == 36U);
  BOOST_TEST(occurrences(out, "Get-CsServerPatchVersion") == 0U);
  BOOST_TEST(occurrences(out, "'Get-CsPoolUpgradeReadinessState' -PoolFqdn") == 0U);
}

BOOST_AUTO_TEST_SUITE_END()
