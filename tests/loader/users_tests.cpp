// The `users` section: profile, sessions, rates and registrar timers; defaults when absent.
#include <boost/test/unit_test.hpp>

#include "loader_test_support.hpp"

namespace lyncupdate::loader::testing {
namespace {

using Lines = std::vector<std::string>;
using namespace std::chrono_literals;

Json profile(double fraction) { return Json(std::vector<double>(24, fraction)); }

BOOST_AUTO_TEST_SUITE(users)

BOOST_AUTO_TEST_CASE(without_the_section_the_documented_defaults_apply) {
  const auto result = load(contoso());
  BOOST_TEST_REQUIRE(result.has_value());
  const model::UserActivity& u = result->users;
  BOOST_TEST(u.profile[22] == 0.05);
  BOOST_TEST(u.session_mean == Duration(120min));
  BOOST_TEST((u.session_length == model::SessionLength::exponential));
  BOOST_TEST(u.rate(model::Operation::contact_change) == 0.1);
  BOOST_TEST(u.failover_timer == Duration(120s));
  BOOST_TEST(u.failback_timer == Duration(240s));
  BOOST_TEST(u.conference_length == Duration(30min));
}

BOOST_AUTO_TEST_CASE(every_key_is_read) {
  Json scenario = contoso();
  scenario["users"] = {{"profile", profile(0.5)},
                       {"session_min", 45},
                       {"session_distribution", "fixed"},
                       {"rates_per_hour", {{"call_park", 3}, {"im", 0}}},
                       {"conference_min", 60},
                       {"failover_min", 1.5},
                       {"failback_min", 8}};
  const auto result = load(scenario);
  BOOST_TEST_REQUIRE(result.has_value());
  const model::UserActivity& u = result->users;
  BOOST_TEST(u.profile[0] == 0.5);
  BOOST_TEST(u.session_mean == Duration(45min));
  BOOST_TEST((u.session_length == model::SessionLength::fixed));
  BOOST_TEST(u.rate(model::Operation::call_park) == 3.0);
  BOOST_TEST(u.rate(model::Operation::im) == 0.0);
  BOOST_TEST(u.rate(model::Operation::presence) == 2.0);  // default kept
  BOOST_TEST(u.conference_length == Duration(60min));
  BOOST_TEST(u.failover_timer == Duration(90s));
  BOOST_TEST(u.failback_timer == Duration(8min));
}

BOOST_AUTO_TEST_CASE(a_profile_needs_24_fractions_between_0_and_1) {
  Json scenario = contoso();
  scenario["users"]["profile"] = Json(std::vector<double>(23, 0.1));
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /users/profile: expected an array of 24 fractions of users "
                   "signed in, one per hour from 00:00, got 23 values"});
  scenario["users"]["profile"] = profile(0.1);
  scenario["users"]["profile"][3] = 1.5;
  scenario["users"]["profile"][4] = "x";
  BOOST_TEST(
      rendered(load(scenario)) ==
      (Lines{"bad.json: error: /users/profile/3: expected a fraction between 0 and 1, got 1.5",
             "bad.json: error: /users/profile/4: expected a fraction between 0 and 1, got "
             "string \"x\""}));
}

BOOST_AUTO_TEST_CASE(rates_are_non_negative_and_name_an_operation) {
  Json scenario = contoso();
  scenario["users"]["rates_per_hour"] = {{"contact_change", -1}, {"presense", 2}};
  BOOST_TEST(rendered(load(scenario)) ==
             (Lines{"bad.json: error: /users/rates_per_hour/contact_change: expected a rate per "
                    "signed-in user and hour, a number between 0 and 3600, got -1",
                    "bad.json: error: /users/rates_per_hour/presense: unknown key \"presense\"; "
                    "allowed keys: \"call\", \"call_park\", \"conference_join\", "
                    "\"conference_organise\", \"contact_change\", \"im\", \"meeting_schedule\", "
                    "\"presence\" (did you mean \"presence\"?)"}));
}

BOOST_AUTO_TEST_CASE(unknown_keys_bad_sessions_and_timers_are_reported_together) {
  Json scenario = contoso();
  scenario["users"] = {{"session_min", 0},
                       {"session_distribution", "normal"},
                       {"failover_min", -2},
                       {"failback", 4}};
  BOOST_TEST(rendered(load(scenario)) ==
             (Lines{"bad.json: error: /users/session_min: expected a positive number of minutes, "
                    "got 0",
                    "bad.json: error: /users/session_distribution: expected one of "
                    "\"exponential\", \"fixed\", got string \"normal\"",
                    "bad.json: error: /users/failover_min: expected a positive number of minutes, "
                    "got -2",
                    "bad.json: error: /users/failback: unknown key \"failback\"; allowed keys: "
                    "\"conference_min\", \"failback_min\", \"failover_min\", \"profile\", "
                    "\"rates_per_hour\", \"session_distribution\", \"session_min\""}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace lyncupdate::loader::testing
