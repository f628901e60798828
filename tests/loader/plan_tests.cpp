// The plan and the limits.
#include <boost/test/unit_test.hpp>

#include "loader_test_support.hpp"
#include "lyncupdate/model/resolve.hpp"

namespace lyncupdate::loader::testing {
namespace {

using Lines = std::vector<std::string>;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(plan_and_limits)

BOOST_AUTO_TEST_CASE(an_unknown_server_in_the_plan_is_reported_by_resolution) {
  Json scenario = contoso();
  scenario["plan"]["stages"][0][0] = "sql02.contoso.com";
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /plan/stages/0/0: unknown server \"sql02.contoso.com\"; "
                   "expected one of the update targets in the topology: \"sql01.contoso.com\", "
                   "\"se01.contoso.com\", \"se02.contoso.com\", or a front end of a pool"});
}

BOOST_AUTO_TEST_CASE(a_server_named_with_a_trailing_dot_or_another_case_is_the_same_server) {
  Json scenario = contoso();
  scenario["topology"]["enterprise_pools"][0]["back_end"]["fqdn"] = "sql01.contoso.com.";
  scenario["plan"]["stages"][0][0] = "SQL01.contoso.com.";
  scenario["plan"]["stages"][1][0] = "se01.contoso.com.";
  const auto result = load(scenario);
  BOOST_TEST_REQUIRE(rendered(result) == Lines{});
  // Stored, and named in commands, without the dot.
  BOOST_TEST(result->topology.pools[0].back_end.fqdn == "sql01.contoso.com");
  const auto plan = model::resolve_plan(*result);
  BOOST_TEST_REQUIRE(plan.has_value());
  BOOST_TEST(plan->servers.size() == 2U);
  BOOST_TEST(plan->servers[0].target.fqdn == "sql01.contoso.com");
  BOOST_TEST(plan->servers[1].target.fqdn == "se01.contoso.com");
  std::string database;
  for (const auto& step : plan->servers[0].steps) {
    if (step.definition->id == "update-databases") database = step.command;
  }
  BOOST_TEST(database ==
             "Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn sql01.contoso.com "
             "-ExcludeCollocatedStores");
}

BOOST_AUTO_TEST_CASE(a_plan_has_non_empty_stages) {
  Json scenario = contoso();
  scenario["plan"]["stages"] = Json::array();
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /plan/stages: expected a non-empty array of stages, got an "
                   "empty array"});
  scenario["plan"]["stages"] = Json::array({"sql01.contoso.com"});
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /plan/stages/0: expected an array of server FQDNs, got string "
                   "\"sql01.contoso.com\""});
}

BOOST_AUTO_TEST_CASE(stages_keep_their_order) {
  const auto result = load(contoso());
  BOOST_TEST_REQUIRE(result.has_value());
  BOOST_TEST(result->plan.stages ==
             (std::vector<std::vector<std::string>>{{"sql01.contoso.com"}, {"se01.contoso.com"}}));
}

BOOST_AUTO_TEST_CASE(limits_default_to_the_article_and_a_four_hour_window_at_ten_pm) {
  Json scenario = contoso();
  scenario.erase("limits");
  const auto result = load(scenario);
  BOOST_TEST_REQUIRE(result.has_value());
  BOOST_TEST(result->limits.backend_outage_limit == Duration(30min));
  BOOST_TEST(result->limits.window_start == Duration(22h));
  BOOST_TEST(result->limits.window_length == Duration(240min));
}

BOOST_AUTO_TEST_CASE(limits_are_read_in_minutes_and_hh_mm) {
  Json scenario = contoso();
  scenario["limits"] = {{"backend_outage_limit_min", 20.5},
                        {"window", {{"start", "01:30"}, {"length_min", 90}}}};
  const auto result = load(scenario);
  BOOST_TEST_REQUIRE(result.has_value());
  BOOST_TEST(result->limits.backend_outage_limit == Duration(20min + 30s));
  BOOST_TEST(result->limits.window_start == Duration(1h + 30min));
  BOOST_TEST(result->limits.window_length == Duration(90min));
}

BOOST_AUTO_TEST_CASE(bad_limits_are_reported) {
  Json scenario = contoso();
  scenario["limits"] = {{"backend_outage_limit_min", 0},
                        {"window", {{"start", "25:00"}, {"length_min", -1}, {"end", "02:00"}}}};
  BOOST_TEST(rendered(load(scenario)) ==
             (Lines{"bad.json: error: /limits/backend_outage_limit_min: expected a positive number "
                    "of minutes, got 0",
                    "bad.json: error: /limits/window/start: expected a time of day as \"HH:MM\", "
                    "got \"25:00\"",
                    "bad.json: error: /limits/window/length_min: expected a positive number of "
                    "minutes, got -1",
                    "bad.json: error: /limits/window/end: unknown key \"end\"; allowed keys: "
                    "\"length_min\", \"start\""}));
  scenario["limits"]["window"] = {{"start", 2200}};
  scenario["limits"].erase("backend_outage_limit_min");
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /limits/window/start: expected a time of day as \"HH:MM\", "
                   "got number 2200"});
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace lyncupdate::loader::testing
