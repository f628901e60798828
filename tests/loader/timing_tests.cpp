// Timing: distributions, their parameters in minutes, probabilities, per-server overrides.
#include <boost/test/unit_test.hpp>

#include "loader_test_support.hpp"

namespace lyncupdate::loader::testing {
namespace {

using Lines = std::vector<std::string>;
using namespace std::chrono_literals;

Json& steps(Json& scenario) { return scenario["timing"]["steps"]; }

BOOST_AUTO_TEST_SUITE(timing)

BOOST_AUTO_TEST_CASE(a_step_that_is_not_in_the_runbook_lists_the_runbook_steps) {
  Json scenario = contoso();
  steps(scenario)["install-updates"] = {{"distribution", "fixed"}, {"minutes", 1}};
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /timing/steps/install-updates: unknown step "
                   "\"install-updates\"; the runbook's steps are: " +
                   quoted_step_ids() + " (did you mean \"install-update\"?)"});
  BOOST_TEST(quoted_step_ids().starts_with("\"log-on\", \"extract-update\", \"open-shell\", "));
}

BOOST_AUTO_TEST_CASE(a_server_that_is_not_an_update_target_is_unknown) {
  Json scenario = contoso();
  scenario["timing"]["servers"]["fe09.contoso.com"] = Json::object();
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /timing/servers/fe09.contoso.com: unknown server "
                   "\"fe09.contoso.com\"; expected the FQDN of a back end, mirror, Standard "
                   "Edition server or front end in the topology"});
}

BOOST_AUTO_TEST_CASE(server_timing_is_stored_under_the_topology_spelling) {
  Json scenario = contoso();
  scenario["timing"]["servers"] = {
      {"SE01.CONTOSO.COM",
       {{"update-databases", {{"distribution", "lognormal"}, {"median_min", 3}, {"p95_min", 6}}}}}};
  const auto result = load(scenario);
  BOOST_TEST_REQUIRE(result.has_value());
  BOOST_TEST(result->timing.servers.contains("se01.contoso.com"));
  BOOST_TEST(result->timing.for_step("se01.contoso.com", "update-databases").duration.median ==
             Duration(3min));
}

BOOST_AUTO_TEST_CASE(zero_and_negative_durations_are_rejected) {
  Json scenario = contoso();
  steps(scenario)["log-on"]["minutes"] = 0;
  steps(scenario)["extract-update"]["low_min"] = -3;
  BOOST_TEST(rendered(load(scenario)) ==
             (Lines{"bad.json: error: /timing/steps/log-on/minutes: expected a positive number of "
                    "minutes, got 0",
                    "bad.json: error: /timing/steps/extract-update/low_min: expected a positive "
                    "number of minutes, got -3"}));
}

BOOST_AUTO_TEST_CASE(a_duration_is_at_most_one_week) {
  Json scenario = contoso();
  steps(scenario)["log-on"]["minutes"] = 20000;
  steps(scenario)["open-shell"]["minutes"] = "5";
  BOOST_TEST(rendered(load(scenario)) ==
             (Lines{"bad.json: error: /timing/steps/log-on/minutes: expected at most 10080 minutes "
                    "(one week), got 20000",
                    "bad.json: error: /timing/steps/open-shell/minutes: expected a number of "
                    "minutes, got string \"5\""}));
}

BOOST_AUTO_TEST_CASE(p95_below_the_median_is_rejected) {
  Json scenario = contoso();
  steps(scenario)["install-update"]["median_min"] = 12;
  steps(scenario)["install-update"]["p95_min"] = 10;
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /timing/steps/install-update/p95_min: expected p95_min above "
                   "median_min (12 minutes), got 10"});
}

BOOST_AUTO_TEST_CASE(uniform_and_triangular_bounds_are_ordered) {
  Json scenario = contoso();
  steps(scenario)["extract-update"] = {
      {"distribution", "uniform"}, {"low_min", 3}, {"high_min", 3}};
  steps(scenario)["stop-services"] = {
      {"distribution", "triangular"}, {"low_min", 1}, {"mode_min", 6.5}, {"high_min", 5}};
  BOOST_TEST(rendered(load(scenario)) ==
             (Lines{"bad.json: error: /timing/steps/extract-update/high_min: expected high_min "
                    "above low_min (3 minutes), got 3",
                    "bad.json: error: /timing/steps/stop-services/mode_min: expected mode_min "
                    "between low_min (1 minutes) and high_min (5 minutes), got 6.5"}));
}

BOOST_AUTO_TEST_CASE(a_probability_is_between_zero_and_one) {
  Json scenario = contoso();
  steps(scenario)["install-update"]["failure_probability"] = 1.5;
  steps(scenario)["update-databases"]["failure_probability"] = -0.1;
  BOOST_TEST(
      rendered(load(scenario)) ==
      (Lines{"bad.json: error: /timing/steps/install-update/failure_probability: expected a "
             "probability between 0 and 1, got 1.5",
             "bad.json: error: /timing/steps/update-databases/failure_probability: expected a "
             "probability between 0 and 1, got -0.1"}));
}

BOOST_AUTO_TEST_CASE(a_parameter_of_another_distribution_does_not_apply) {
  Json scenario = contoso();
  steps(scenario)["install-update"]["high_min"] = 30;
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /timing/steps/install-update/high_min: key \"high_min\" does "
                   "not apply to a lognormal distribution; allowed keys: \"distribution\", "
                   "\"drain_per_1000_users_min\", \"failure_probability\", \"max_min\", "
                   "\"median_min\", \"p95_min\""});
}

BOOST_AUTO_TEST_CASE(an_unknown_distribution_lists_the_distributions) {
  Json scenario = contoso();
  steps(scenario)["extract-update"]["distribution"] = "uniforn";
  steps(scenario)["log-on"].erase("distribution");
  BOOST_TEST(rendered(load(scenario)) ==
             (Lines{"bad.json: error: /timing/steps/log-on: missing required key \"distribution\"",
                    "bad.json: error: /timing/steps/extract-update/distribution: unknown "
                    "distribution \"uniforn\"; expected one of \"fixed\", \"uniform\", "
                    "\"triangular\", \"lognormal\" (did you mean \"uniform\"?)"}));
}

BOOST_AUTO_TEST_CASE(a_missing_parameter_is_a_missing_key) {
  Json scenario = contoso();
  steps(scenario)["stop-services"].erase("mode_min");
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /timing/steps/stop-services: missing required key "
                   "\"mode_min\""});
}

BOOST_AUTO_TEST_CASE(a_step_without_timing_is_reported_by_resolution) {
  Json scenario = contoso();
  steps(scenario).erase("start-services");
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /timing/steps: missing timing for step \"start-services\"; "
                   "every runbook step needs a duration distribution"});
}

BOOST_AUTO_TEST_CASE(minutes_become_milliseconds_in_every_distribution) {
  Json scenario = contoso();
  steps(scenario)["open-shell"] = {{"distribution", "fixed"}, {"minutes", 0.5}};
  steps(scenario)["extract-update"] = {
      {"distribution", "uniform"}, {"low_min", 3}, {"high_min", 8}};
  steps(scenario)["stop-w3svc"] = {
      {"distribution", "triangular"}, {"low_min", 0.2}, {"mode_min", 0.5}, {"high_min", 1}};
  steps(scenario)["install-update"] = {{"distribution", "lognormal"},
                                       {"median_min", 11},
                                       {"p95_min", 17},
                                       {"failure_probability", 0.01}};
  steps(scenario)["log-on"] = {{"distribution", "fixed"}, {"minutes", 1}};
  const auto result = load(scenario);
  BOOST_TEST_REQUIRE(rendered(result) == Lines{});
  const auto& t = result->timing.steps;
  BOOST_TEST(model::distribution_name(t.at("open-shell").duration.kind) == "fixed");
  BOOST_TEST(t.at("open-shell").duration.low == Duration(30s));
  BOOST_TEST(model::distribution_name(t.at("extract-update").duration.kind) == "uniform");
  BOOST_TEST(t.at("extract-update").duration.low == Duration(3min));
  BOOST_TEST(t.at("extract-update").duration.high == Duration(8min));
  const auto& w3svc = t.at("stop-w3svc").duration;
  BOOST_TEST(model::distribution_name(w3svc.kind) == "triangular");
  BOOST_TEST(w3svc.low == Duration(12s));
  BOOST_TEST(w3svc.mode == Duration(30s));
  BOOST_TEST(w3svc.high == Duration(1min));
  const auto& install = t.at("install-update");
  BOOST_TEST(model::distribution_name(install.duration.kind) == "lognormal");
  BOOST_TEST(install.duration.median == Duration(11min));
  BOOST_TEST(install.duration.p95 == Duration(17min));
  BOOST_TEST(install.failure_probability == 0.01);
  BOOST_TEST(t.at("log-on").failure_probability == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace lyncupdate::loader::testing
