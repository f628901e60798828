// The shape of a scenario: unknown and missing keys, wrong types, and every problem at once.
#include <boost/test/unit_test.hpp>

#include "loader_test_support.hpp"

namespace lyncupdate::loader::testing {
namespace {

using Lines = std::vector<std::string>;

BOOST_AUTO_TEST_SUITE(structure)

BOOST_AUTO_TEST_CASE(an_unknown_key_lists_the_allowed_ones_and_suggests_the_closest) {
  Json scenario = contoso();
  scenario["timing"]["steps"]["install-update"]["failure_probabilty"] = 0.1;
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /timing/steps/install-update/failure_probabilty: unknown key "
                   "\"failure_probabilty\"; allowed keys: \"distribution\", "
                   "\"drain_per_1000_users_min\", \"failure_probability\", \"max_min\", "
                   "\"median_min\", \"p95_min\" (did you "
                   "mean \"failure_probability\"?)"});
}

BOOST_AUTO_TEST_CASE(an_unknown_key_far_from_every_allowed_one_gets_no_suggestion) {
  Json scenario = contoso();
  scenario["owner"] = "ops";
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /owner: unknown key \"owner\"; allowed keys: \"description\", "
                   "\"front_end_runbook\", \"limits\", \"live\", \"mirror_runbook\", "
                   "\"mirrored_backend_runbook\", "
                   "\"name\", \"plan\", \"runbook\", \"seed\", \"timing\", \"topology\", "
                   "\"users\""});
}

BOOST_AUTO_TEST_CASE(a_swapped_pair_of_letters_is_one_edit) {
  Json scenario = contoso();
  auto& back_end = scenario["topology"]["enterprise_pools"][0]["back_end"];
  back_end["mirorr"] = "sql02.contoso.com";
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /topology/enterprise_pools/0/back_end/mirorr: unknown key "
                   "\"mirorr\"; allowed keys: \"collocated_stores\", \"fqdn\", \"mirror\", "
                   "\"mirrored_database_update\", \"witness\" (did you mean \"mirror\"?)"});
}

BOOST_AUTO_TEST_CASE(a_missing_required_key_is_reported_on_its_parent) {
  Json scenario = contoso();
  scenario["topology"]["enterprise_pools"][0]["back_end"].erase("fqdn");
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /topology/enterprise_pools/0/back_end: missing required key "
                   "\"fqdn\""});
}

BOOST_AUTO_TEST_CASE(a_missing_top_level_key_has_no_pointer) {
  Json scenario = contoso();
  scenario.erase("plan");
  BOOST_TEST(rendered(load(scenario)) == Lines{"bad.json: error: missing required key \"plan\""});
}

BOOST_AUTO_TEST_CASE(wrong_types_say_what_was_found) {
  Json scenario = contoso();
  scenario["description"] = 3;
  scenario["topology"]["enterprise_pools"][0]["users"] = "8000";
  scenario["topology"]["standard_edition_servers"][0]["fqdn"] = Json::array();
  scenario["plan"] = Json::array({"sql01.contoso.com"});
  BOOST_TEST(rendered(load(scenario)) ==
             (Lines{"bad.json: error: /description: expected a string, got number 3",
                    "bad.json: error: /topology/enterprise_pools/0/users: expected an integer "
                    "between 0 and 4294967295, got string \"8000\"",
                    "bad.json: error: /topology/standard_edition_servers/0/fqdn: expected an FQDN "
                    "string, got array",
                    "bad.json: error: /plan: expected an object, got array"}));
}

BOOST_AUTO_TEST_CASE(a_scenario_must_be_an_object) {
  BOOST_TEST(rendered(load(Json::array())) ==
             Lines{"bad.json: error: expected a scenario object, got array"});
  BOOST_TEST(rendered(load(Json("contoso"))) ==
             Lines{"bad.json: error: expected a scenario object, got string \"contoso\""});
}

BOOST_AUTO_TEST_CASE(the_name_must_not_be_empty) {
  Json scenario = contoso();
  scenario["name"] = "";
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /name: expected a non-empty string, got string \"\""});
}

BOOST_AUTO_TEST_CASE(the_seed_is_an_unsigned_64_bit_integer) {
  Json scenario = contoso();
  scenario["seed"] = 18446744073709551615u;
  const auto result = load(scenario);
  BOOST_TEST_REQUIRE(result.has_value());
  BOOST_TEST(result->seed == 18446744073709551615u);
  for (const Json& bad : {Json(-1), Json(1.5), Json("7")}) {
    scenario["seed"] = bad;
    const auto got = bad.is_string() ? std::string("string \"7\"") : bad.dump();
    BOOST_TEST(rendered(load(scenario)) ==
               Lines{"bad.json: error: /seed: expected an integer between 0 and "
                     "18446744073709551615, got " +
                     got});
  }
}

BOOST_AUTO_TEST_CASE(the_seed_defaults_to_one) {
  Json scenario = contoso();
  scenario.erase("seed");
  const auto result = load(scenario);
  BOOST_TEST_REQUIRE(result.has_value());
  BOOST_TEST(result->seed == 1u);
}

BOOST_AUTO_TEST_CASE(every_problem_is_reported_in_one_pass_in_document_order) {
  Json scenario = contoso();
  // Broken in an order different from the document's, to show the result is sorted.
  scenario["limits"]["window"]["start"] = "25:00";
  scenario["timing"]["steps"]["install-update"]["p95_min"] = 10;
  scenario["timing"]["steps"]["install-update"]["median_min"] = 12;
  scenario["topology"]["standard_edition_servers"][0]["backup_pool"] = "pool02.contoso.com";
  scenario["name"] = 42;
  scenario["timing"]["steps"]["log-on"]["minutes"] = 0;
  scenario["topology"]["enterprise_pools"][0]["front_ends"][2] = "fe03..contoso.com";
  scenario["plan"]["stages"][1] = Json::array();
  const auto result = load(scenario);
  BOOST_TEST_REQUIRE(!result.has_value());
  BOOST_TEST(result.error().size() == 7u);
  BOOST_TEST(
      rendered(result) ==
      (Lines{
          "bad.json: error: /name: expected a non-empty string, got number 42",
          "bad.json: error: /topology/enterprise_pools/0/front_ends/2: \"fe03..contoso.com\" "
          "is not a valid FQDN: it has an empty label (two dots in a row, or a leading "
          "dot)",
          "bad.json: error: /topology/standard_edition_servers/0/backup_pool: unknown pool "
          "\"pool02.contoso.com\"; expected another Standard Edition server: "
          "\"se02.contoso.com\"",
          "bad.json: error: /timing/steps/log-on/minutes: expected a positive number of "
          "minutes, got 0",
          "bad.json: error: /timing/steps/install-update/p95_min: expected p95_min above "
          "median_min (12 minutes), got 10",
          "bad.json: error: /plan/stages/1: expected a non-empty array of server FQDNs, got "
          "an empty array",
          "bad.json: error: /limits/window/start: expected a time of day as \"HH:MM\", got "
          "\"25:00\"",
      }));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace lyncupdate::loader::testing
