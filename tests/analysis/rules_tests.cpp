// The rules the analysis holds about a runbook's end and a front end's settle: services left
// stopped (the Lync services and W3SVC alike) and the 20-minute wait between upgrade domains.
// Each on a hand-made bad case with its exact message, and on the good one.

#include <filesystem>

#include <boost/test/unit_test.hpp>

#include "analysis_support.hpp"
#include "lyncupdate/checker/violation.hpp"

using namespace lyncupdate;
using lyncupdate::test::analyse;
using lyncupdate::test::Json;
using lyncupdate::test::Strings;

namespace {

void erase_step(Json& scenario, const std::string& id, const char* runbook = "runbook") {
  Json& steps = scenario[runbook];
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i]["id"] == id) {
      steps.erase(i);
      break;
    }
  }
  scenario["timing"]["steps"].erase(id);
  if (scenario["timing"].contains("servers")) {
    for (auto& [fqdn, server] : scenario["timing"]["servers"].items()) server.erase(id);
  }
}

std::vector<check::Finding> of_rule(const std::vector<check::Finding>& findings,
                                    std::string_view rule) {
  std::vector<check::Finding> out;
  for (const auto& f : findings) {
    if (f.rule == rule) out.push_back(f);
  }
  return out;
}

Json read_json(const std::filesystem::path& relative) {
  return Json::parse(test::read_text(std::filesystem::path(LYNCUPDATE_SOURCE_DIR) / relative));
}

// A pool of four front ends in two upgrade domains, updated one domain per stage with the
// shipped front-end runbook (inlined); its settle is fixed at 10 minutes (scenarios/broken).
Json front_ends() {
  Json s = read_json("scenarios/broken/front-end-settle-short.json");
  s["front_end_runbook"] = read_json("scenarios/runbooks/frontend-update.json");
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(runbook_rules)

BOOST_AUTO_TEST_CASE(w3svc_left_stopped_is_an_error_naming_the_step_that_stopped_it) {
  Json s = test::contoso_json();
  erase_step(s, "start-w3svc");
  const auto findings = of_rule(analyse(s), check::rules::services_left_stopped);
  BOOST_REQUIRE(findings.size() == 1U);
  BOOST_TEST(test::line(findings[0]) == "services-left-stopped: all servers: stop-w3svc");
  BOOST_TEST(check::severity_name(findings[0].severity) == "error");
  BOOST_TEST(findings[0].message ==
             "the runbook ends with the World Wide Web service (W3SVC) stopped: stop-w3svc stops "
             "it and no later step starts it again, so its IIS web services stay down; net start "
             "w3svc (article step 10) must follow");
}

BOOST_AUTO_TEST_CASE(lync_services_left_stopped_is_the_same_rule) {
  Json s = test::contoso_json();
  erase_step(s, "start-services");
  const auto findings = of_rule(analyse(s), check::rules::services_left_stopped);
  BOOST_REQUIRE(findings.size() == 1U);
  BOOST_TEST(test::line(findings[0]) == "services-left-stopped: all servers: stop-services");
  BOOST_TEST(findings[0].message ==
             "the runbook ends with the Lync services stopped: stop-services stops them and no "
             "later step starts them again, so its users stay without service; "
             "Start-CsWindowsService (DOMAIN.md section 1) must follow");
}

BOOST_AUTO_TEST_CASE(services_started_again_leave_nothing_stopped) {
  BOOST_TEST(of_rule(analyse(test::contoso_json()), check::rules::services_left_stopped).empty());
}

BOOST_AUTO_TEST_CASE(a_settle_shorter_than_20_minutes_is_an_error_citing_its_source) {
  const auto findings = of_rule(analyse(front_ends()), check::rules::upgrade_domain_settle);
  BOOST_REQUIRE(findings.size() == 1U);
  BOOST_TEST(test::line(findings[0]) == "upgrade-domain-settle: all servers: fe-domain-settle");
  BOOST_TEST(check::severity_name(findings[0].severity) == "error");
  BOOST_TEST(findings[0].message ==
             "fe-domain-settle after fe-start-services can last 10m00s, less than the 20m00s the "
             "pool is given after an upgrade domain reports Ready (Gg412996, \"Improving the "
             "Reliability of Pool Upgrades\")");
}

BOOST_AUTO_TEST_CASE(a_settle_that_can_end_early_is_judged_by_its_shortest_time) {
  Json s = front_ends();
  s["timing"]["steps"]["fe-domain-settle"] =
      Json{{"distribution", "uniform"}, {"low_min", 19}, {"high_min", 25}};
  const auto findings = of_rule(analyse(s), check::rules::upgrade_domain_settle);
  BOOST_REQUIRE(findings.size() == 1U);
  BOOST_TEST(findings[0].message.starts_with(
      "fe-domain-settle after fe-start-services can last 19m00s, less than the 20m00s"));
}

BOOST_AUTO_TEST_CASE(a_front_end_runbook_without_a_settle_is_an_error) {
  Json s = front_ends();
  erase_step(s, "fe-domain-settle", "front_end_runbook");
  const auto findings = of_rule(analyse(s), check::rules::upgrade_domain_settle);
  BOOST_REQUIRE(findings.size() == 1U);
  BOOST_TEST(test::line(findings[0]) == "upgrade-domain-settle: all servers: fe-start-services");
  BOOST_TEST(findings[0].message ==
             "no wait follows fe-start-services: the next upgrade domain must wait 20m00s after "
             "this one reports Ready, restarting the timer if it goes Not Ready (Gg412996, "
             "\"Improving the Reliability of Pool Upgrades\")");
}

BOOST_AUTO_TEST_CASE(a_20_minute_settle_passes) {
  Json s = front_ends();
  s["timing"]["steps"]["fe-domain-settle"] = Json{{"distribution", "fixed"}, {"minutes", 20}};
  const auto findings = analyse(s);
  BOOST_TEST(of_rule(findings, check::rules::upgrade_domain_settle).empty());
  BOOST_TEST(!check::has_errors(findings));
}

BOOST_AUTO_TEST_SUITE_END()
