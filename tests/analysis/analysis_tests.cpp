// The static analysis on the shipped scenario and on edited copies of it: exact findings and
// messages, grouping across servers, --strict, and the lognormal's max_min.

#include <boost/test/unit_test.hpp>

#include "analysis_support.hpp"
#include "lyncupdate/loader/loader.hpp"

using namespace lyncupdate;
using lyncupdate::test::Json;
using lyncupdate::test::Strings;

namespace {

std::size_t step_index(const Json& scenario, const std::string& id) {
  const Json& steps = scenario["runbook"];
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i]["id"] == id) return i;
  }
  BOOST_FAIL("no step " + id);
  return 0;
}

using lyncupdate::test::analyse;

// Bounds every lognormal of contoso. Its own 95th percentiles alone add up to more than 30
// minutes on the back end, so the installer and the database update get shorter tails.
// Retries are removed: each attempt counts in the worst case (tested separately).
void cap(Json& s) {
  for (const char* id : {"install-update", "update-databases"}) {
    s["runbook"][step_index(s, id)].erase("retry");
  }
  Json& steps = s["timing"]["steps"];
  steps["install-update"]["p95_min"] = 14;
  steps["install-update"]["max_min"] = 15;
  steps["update-databases"]["p95_min"] = 7;
  steps["update-databases"]["max_min"] = 8;
  s["timing"]["servers"]["se01.contoso.com"]["update-databases"]["max_min"] = 7;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(analysis)

BOOST_AUTO_TEST_CASE(contoso_has_only_notes_that_its_lognormals_are_unbounded) {
  const auto findings = analyse(test::contoso_json());
  BOOST_REQUIRE(findings.size() == 2U);
  BOOST_TEST(test::line(findings[0]) ==
             "worst-case-outage: all servers: install-update, update-databases");
  BOOST_TEST(check::severity_name(findings[0].severity) == "info");
  BOOST_TEST(findings[0].message ==
             "the back-end outage cannot be proved within 30m00s: install-update, "
             "update-databases have no upper bound (lognormal without max_min)");
  BOOST_TEST(test::line(findings[1]) ==
             "worst-case-window: plan: install-update, update-databases");
  BOOST_TEST(check::severity_name(findings[1].severity) == "info");
}

BOOST_AUTO_TEST_CASE(strict_turns_an_unprovable_bound_into_an_error) {
  const auto findings = analyse(test::contoso_json(), true);
  BOOST_TEST(check::has_errors(findings));
  for (const auto& f : findings) BOOST_TEST(check::severity_name(f.severity) == "error");
}

BOOST_AUTO_TEST_CASE(bounded_lognormals_prove_the_back_end_outage_or_name_the_path) {
  Json s = test::contoso_json();
  cap(s);
  const auto findings = analyse(s);
  BOOST_REQUIRE(findings.size() == 3U);
  BOOST_TEST(findings[0].server == "sql01.contoso.com");
  BOOST_TEST(check::severity_name(findings[0].severity) == "info");
  BOOST_TEST(findings[0].message ==
             "proved within 30m00s: the back end is unavailable for at most 27m30s, from the start "
             "of install-update to the end of update-databases");
  BOOST_TEST(findings[1].server == "se01.contoso.com");
  BOOST_TEST(check::severity_name(findings[1].severity) == "warning");
  BOOST_TEST(findings[1].message ==
             "the back end can be unavailable for 35m00s, at or over the 30m00s limit, from the "
             "start of stop-services to the end of start-services (stop-services 3m00s + "
             "stop-w3svc 1m00s + close-shells 30s + install-update 15m00s + reopen-shell 30s + "
             "stop-services-again 3m00s + start-w3svc 1m00s + update-databases 7m00s + "
             "start-services 4m00s)");
  BOOST_TEST(findings[2].message ==
             "proved within the 4h00m00s window: the plan takes at most 1h30m00s; longest path: "
             "sql01.contoso.com 45m30s, then se01.contoso.com 44m30s");
  BOOST_TEST(!check::has_errors(findings));
  BOOST_TEST(check::has_errors(analyse(s, true)));
}

BOOST_AUTO_TEST_CASE(every_attempt_of_a_retried_step_and_its_delay_count_in_the_worst_case) {
  Json s = test::contoso_json();
  cap(s);
  s["runbook"][step_index(s, "install-update")]["retry"] = Json{{"attempts", 2}, {"delay_min", 5}};
  const auto findings = analyse(s);
  BOOST_REQUIRE(!findings.empty());
  BOOST_TEST(findings[0].message ==
             "the back end can be unavailable for 47m30s, at or over the 30m00s limit, from the "
             "start of install-update to the end of update-databases (install-update 35m00s + "
             "reopen-shell 30s + stop-services-again 3m00s + start-w3svc 1m00s + "
             "update-databases 8m00s)");
}

BOOST_AUTO_TEST_CASE(a_step_needed_only_later_is_an_ordering_violation_with_its_message) {
  Json s = test::contoso_json();
  Json& steps = s["runbook"];
  const Json moved = steps[step_index(s, "stop-w3svc")];
  steps.erase(step_index(s, "stop-w3svc"));
  steps.insert(steps.begin() + static_cast<std::ptrdiff_t>(step_index(s, "install-update") + 1),
               moved);
  const auto findings = analyse(s);
  BOOST_REQUIRE(!findings.empty());
  BOOST_TEST(test::line(findings[0]) == "runbook-order: all servers: stop-w3svc, install-update");
  BOOST_TEST(findings[0].message ==
             "stop-w3svc must come before install-update: install-update requires w3svc=stopped, "
             "which only stop-w3svc establishes, later in the runbook");
}

BOOST_AUTO_TEST_CASE(a_cycle_names_its_steps_and_the_conditions_that_close_it) {
  Json s = test::contoso_json();
  s["runbook"][step_index(s, "log-on")]["requires"] = Json{{"management_shell", "open"}};
  const auto findings = analyse(s);
  BOOST_TEST(
      test::problem_lines(findings) == Strings{"runbook-cycle: all servers: log-on, open-shell"},
      boost::test_tools::per_element());
  BOOST_TEST(findings[0].message ==
             "no order of the steps satisfies their conditions: log-on before open-shell "
             "(open-shell requires session=logged_on), open-shell before log-on (log-on requires "
             "management_shell=open)");
}

BOOST_AUTO_TEST_CASE(the_second_stop_is_not_a_duplicate_but_a_third_one_is) {
  Json s = test::contoso_json();
  Json third = s["runbook"][step_index(s, "stop-services-again")];
  third["id"] = "stop-services-third";
  s["runbook"].insert(
      s["runbook"].begin() + static_cast<std::ptrdiff_t>(step_index(s, "stop-services-again") + 1),
      third);
  s["timing"]["steps"]["stop-services-third"] = s["timing"]["steps"]["stop-services-again"];
  const auto findings = analyse(s);
  BOOST_TEST(test::problem_lines(findings) ==
                 Strings{"duplicate-step: all servers: stop-services-third, stop-services-again"},
             boost::test_tools::per_element());
  BOOST_TEST(check::severity_name(findings[0].severity) == "warning");
  BOOST_TEST(findings[0].message ==
             "stop-services-third repeats stop-services-again and changes nothing: "
             "lync_services=stopped, assemblies=current already hold when it runs");
}

BOOST_AUTO_TEST_CASE(identical_findings_on_every_server_of_a_role_are_grouped_by_role) {
  Json s = test::contoso_json();
  s["topology"]["standard_edition_servers"].push_back(
      Json{{"fqdn", "se03.contoso.com"}, {"users", 700}});
  s["plan"]["stages"].push_back(Json::array({"se03.contoso.com"}));
  s["runbook"][step_index(s, "update-databases")]["variants"]["standard_edition"]["command"] =
      "Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn {sql_fqdn}";
  const auto findings = analyse(s);
  BOOST_TEST(test::problem_lines(findings) ==
                 Strings{"database-variant: all standard_edition servers: update-databases"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(cmdlets_the_product_lacks_are_refused_in_any_position) {
  Json s = test::contoso_json();
  s["runbook"][step_index(s, "start-services")]["command"] =
      "Start-CsWindowsService; start-cspool -PoolFqdn pool01.contoso.com";
  const auto findings = analyse(s);
  // Live mode would pass `;` as text (live-command-form).
  BOOST_TEST(
      test::problem_lines(findings) == (Strings{"not-in-product: all servers: start-services",
                                                "live-command-form: all servers: start-services"}),
      boost::test_tools::per_element());
  BOOST_TEST(findings[0].message ==
             "start-services: Start-CsPool is not in Lync Server 2013 (only in Skype for "
             "Business Server 2015, Skype for Business Server 2019) "
             "(https://learn.microsoft.com/powershell/module/skypeforbusiness/start-cspool)");
}

BOOST_AUTO_TEST_CASE(a_typo_in_a_command_is_an_unknown_command_with_a_suggestion) {
  Json s = test::contoso_json();
  s["runbook"][step_index(s, "stop-services")]["command"] = "Stop-CsWindowService";
  const auto findings = analyse(s);
  BOOST_TEST(
      test::problem_lines(findings) == Strings{"unknown-command: all servers: stop-services"},
      boost::test_tools::per_element());
  BOOST_TEST(
      findings[0].message ==
      "stop-services: Stop-CsWindowService is no cmdlet or program the catalogue knows; "
      "did you mean Stop-CsWindowsService? "
      "(https://learn.microsoft.com/powershell/module/skypeforbusiness/stop-cswindowsservice)");
}

BOOST_AUTO_TEST_CASE(probes_and_unattended_checks_are_commands_too) {
  Json s = test::contoso_json();
  s["runbook"][step_index(s, "stop-w3svc")]["probe"]["pipeline"] =
      Json::array({Json::array({"Get-Service", "-Nmae", "W3SVC"})});
  s["runbook"][step_index(s, "log-on")]["unattended"]["pipeline"] =
      Json::array({Json::array({"whoami", "/bogus"})});
  const auto findings = analyse(s);
  BOOST_TEST(
      test::problem_lines(findings) == (Strings{"unknown-parameter: all servers: log-on",
                                                "unknown-parameter: all servers: stop-w3svc"}),
      boost::test_tools::per_element());
  BOOST_TEST(findings[0].message ==
             "log-on's unattended check: whoami takes no argument /bogus here (it takes /upn, "
             "/fqdn, /logonid, /user, /groups, /claims, /priv, /all, each once) "
             "(https://learn.microsoft.com/windows-server/administration/windows-commands/whoami)");
  BOOST_TEST(findings[1].message ==
             "stop-w3svc's probe: Get-Service has no parameter -Nmae "
             "(https://learn.microsoft.com/powershell/module/microsoft.powershell.management/"
             "get-service?view=powershell-5.1)");
}

BOOST_AUTO_TEST_CASE(whatif_on_a_step_that_declares_effects_changes_nothing) {
  Json s = test::contoso_json();
  s["runbook"][step_index(s, "start-services")]["command"] = "Start-CsWindowsService -WhatIf";
  const auto findings = analyse(s);
  // The Standard Edition server's variant declares one more effect: two messages.
  BOOST_TEST(test::problem_lines(findings) ==
                 (Strings{"whatif-changes-nothing: sql01.contoso.com: start-services",
                          "whatif-changes-nothing: se01.contoso.com: start-services"}),
             boost::test_tools::per_element());
  BOOST_TEST(findings[0].message ==
             "start-services: -WhatIf makes Start-CsWindowsService only report what it would do, "
             "so the effects the step declares (lync_services running) would not happen "
             "(https://learn.microsoft.com/powershell/module/skypeforbusiness/"
             "start-cswindowsservice)");
  // -WhatIf:$false is not set: PowerShell runs the command (though live mode would pass the
  // word as text).
  s["runbook"][step_index(s, "start-services")]["command"] =
      "Start-CsWindowsService -WhatIf:$false";
  BOOST_TEST(
      test::problem_lines(analyse(s)) == Strings{"live-command-form: all servers: start-services"},
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_database_step_must_run_install_csdatabase_alone) {
  Json s = test::contoso_json();
  Json& variants = s["runbook"][step_index(s, "update-databases")]["variants"];
  variants["enterprise_backend_collocated"]["command"] = "echo databases updated";
  variants["standard_edition"]["command"] =
      "Install-CsDatabase -Update -LocalDatabases; Write-Output done";
  const auto findings = analyse(s);
  BOOST_TEST(test::problem_lines(findings) ==
                 (Strings{"database-step-command: sql01.contoso.com: update-databases",
                          "live-command-form: se01.contoso.com: update-databases",
                          "database-step-command: se01.contoso.com: update-databases"}),
             boost::test_tools::per_element());
  BOOST_TEST(findings[0].message ==
             "update-databases is a database step, but it runs echo; it must run one "
             "Install-CsDatabase command with -Update, or the databases are not updated");
  BOOST_TEST(findings[2].message ==
             "update-databases is a database step, but it runs 2 commands: Install-CsDatabase, "
             "Write-Output; it must run one Install-CsDatabase command with -Update, or the "
             "databases are not updated");
}

BOOST_AUTO_TEST_CASE(the_role_check_reads_install_csdatabase_as_powershell_binds_it) {
  Json s = test::contoso_json();
  Json& variants = s["runbook"][step_index(s, "update-databases")]["variants"];
  // A prefix and a module-qualified name mean the article's form.
  variants["standard_edition"]["command"] = "Lync\\Install-CsDatabase -Upd -LocalDatabases";
  BOOST_TEST(test::problem_lines(analyse(s)) == Strings{}, boost::test_tools::per_element());
  // So does -Switch:$true, which live mode would pass as text, though.
  variants["standard_edition"]["command"] = "Install-CsDatabase -Update -LocalDatabases:$true";
  BOOST_TEST(test::problem_lines(analyse(s)) ==
                 Strings{"live-command-form: se01.contoso.com: update-databases"},
             boost::test_tools::per_element());
  // -Update:$false does not update.
  variants["standard_edition"]["command"] = "Install-CsDatabase -Update:$false -LocalDatabases";
  BOOST_TEST(test::problem_lines(analyse(s)) ==
                 (Strings{"database-variant: se01.contoso.com: update-databases",
                          "live-command-form: se01.contoso.com: update-databases"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(max_min_must_lie_above_p95_and_applies_to_lognormals_only) {
  Json s = test::contoso_json();
  s["timing"]["steps"]["install-update"]["max_min"] = 17;
  s["timing"]["steps"]["log-on"]["max_min"] = 3;
  const auto loaded = loader::load_scenario_text(s.dump(2), "t.json", ".");
  BOOST_REQUIRE(!loaded.has_value());
  Strings messages;
  for (const auto& d : loaded.error()) messages.push_back(d.render());
  BOOST_TEST(
      messages == (Strings{"t.json: error: /timing/steps/log-on/max_min: key \"max_min\" does not "
                           "apply to a fixed distribution; allowed keys: \"distribution\", "
                           "\"drain_per_1000_users_min\", \"failure_probability\", "
                           "\"minutes\"",
                           "t.json: error: /timing/steps/install-update/max_min: expected max_min "
                           "above p95_min (17 minutes), got 17"}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
