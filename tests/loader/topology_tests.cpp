// The topology: FQDNs that could reach a command line, duplicates, upgrade domains, stores.
#include <boost/test/unit_test.hpp>

#include "loader_test_support.hpp"

namespace lyncupdate::loader::testing {
namespace {

using Lines = std::vector<std::string>;

Json& pool(Json& scenario) { return scenario["topology"]["enterprise_pools"][0]; }

BOOST_AUTO_TEST_SUITE(topology)

BOOST_AUTO_TEST_CASE(an_fqdn_with_shell_syntax_is_rejected_with_the_offending_character) {
  Json scenario = contoso();
  pool(scenario)["back_end"]["mirror"] = "a.b;rm -rf /";
  scenario["topology"]["standard_edition_servers"][0]["fqdn"] = "$(reboot)";
  BOOST_TEST(
      rendered(load(scenario)) ==
      (Lines{"bad.json: error: /topology/enterprise_pools/0/back_end/mirror: \"a.b;rm -rf "
             "/\" is not a valid FQDN: ';' is not allowed; use letters, digits, hyphens and "
             "dots",
             "bad.json: error: /topology/standard_edition_servers/0/fqdn: \"$(reboot)\" is "
             "not a valid FQDN: '$' is not allowed; use letters, digits, hyphens and dots"}));
}

BOOST_AUTO_TEST_CASE(an_fqdn_in_the_plan_is_checked_too) {
  Json scenario = contoso();
  scenario["plan"]["stages"][0][0] = "sql01.contoso.com\n";
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /plan/stages/0/0: \"sql01.contoso.com\\n\" is not a valid "
                   "FQDN: byte 0x0a is not allowed; use letters, digits, hyphens and dots"});
}

BOOST_AUTO_TEST_CASE(an_fqdn_used_twice_is_reported_at_the_second_place_ignoring_case) {
  Json scenario = contoso();
  scenario["topology"]["standard_edition_servers"][0]["fqdn"] = "FE02.Contoso.com";
  scenario["topology"]["standard_edition_servers"][1]["backup_pool"] = "FE02.Contoso.com";
  BOOST_TEST(
      rendered(load(scenario)) ==
      Lines{"bad.json: error: /topology/standard_edition_servers/0/fqdn: duplicate FQDN "
            "\"FE02.Contoso.com\" (already used at /topology/enterprise_pools/0/front_ends/1)"});
}

BOOST_AUTO_TEST_CASE(an_fqdn_used_twice_is_reported_ignoring_a_trailing_dot) {
  Json scenario = contoso();
  scenario["topology"]["standard_edition_servers"][0]["fqdn"] = "fe02.contoso.com.";
  scenario["topology"]["standard_edition_servers"][1]["backup_pool"] = "fe02.contoso.com";
  pool(scenario)["back_end"]["mirror"] = "SQL01.contoso.com.";
  BOOST_TEST(
      rendered(load(scenario)) ==
      (Lines{"bad.json: error: /topology/enterprise_pools/0/back_end/mirror: duplicate FQDN "
             "\"SQL01.contoso.com.\" (already used at /topology/enterprise_pools/0/back_end/fqdn)",
             "bad.json: error: /topology/standard_edition_servers/0/fqdn: duplicate FQDN "
             "\"fe02.contoso.com.\" (already used at /topology/enterprise_pools/0/front_ends/1)"}));
}

BOOST_AUTO_TEST_CASE(duplicates_follow_document_order_not_reading_order) {
  Json scenario = contoso();
  Json topology = Json::object();
  topology["standard_edition_servers"] = scenario["topology"]["standard_edition_servers"];
  topology["enterprise_pools"] = scenario["topology"]["enterprise_pools"];
  topology["enterprise_pools"][0]["back_end"]["mirror"] = "se01.contoso.com";
  scenario["topology"] = topology;
  BOOST_TEST(
      rendered(load(scenario)) ==
      Lines{"bad.json: error: /topology/enterprise_pools/0/back_end/mirror: duplicate FQDN "
            "\"se01.contoso.com\" (already used at /topology/standard_edition_servers/0/fqdn)"});
}

BOOST_AUTO_TEST_CASE(a_witness_needs_a_mirror_and_is_a_third_server) {
  Json scenario = contoso();
  pool(scenario)["back_end"]["witness"] = "sqlw.contoso.com";
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /topology/enterprise_pools/0/back_end/witness: a witness "
                   "decides failovers between a back end and its mirror (DOMAIN.md section 4); "
                   "expected \"mirror\" as well"});
  pool(scenario)["back_end"]["mirror"] = "sql01m.contoso.com";
  pool(scenario)["back_end"]["witness"] = "SQL01M.contoso.com";
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /topology/enterprise_pools/0/back_end/witness: expected a "
                   "third SQL Server as the witness, not the back end or its mirror, got "
                   "\"SQL01M.contoso.com\""});
  pool(scenario)["back_end"]["witness"] = "sqlw;reboot";
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /topology/enterprise_pools/0/back_end/witness: "
                   "\"sqlw;reboot\" is not a valid FQDN: ';' is not allowed; use letters, "
                   "digits, hyphens and dots"});
  // One witness may serve several pairs: a third SQL Server's FQDN is no declaration.
  pool(scenario)["back_end"]["witness"] = "sqlw.contoso.com";
  const LoadResult loaded = load(scenario);
  BOOST_REQUIRE(loaded.has_value());
  BOOST_TEST(loaded->topology.pools[0].back_end.witness.value_or("") == "sqlw.contoso.com");
  BOOST_TEST(!loaded->timing.automatic_failover.has_value());
  BOOST_TEST(model::automatic_failover_timing(loaded->timing).duration.upper_bound() ==
             std::chrono::minutes(5));
}

BOOST_AUTO_TEST_CASE(the_automatic_failover_is_timed_like_a_step_without_a_drain) {
  Json scenario = contoso();
  scenario["timing"]["automatic_failover"] = {
      {"distribution", "uniform"}, {"low_min", 1}, {"high_min", 3}, {"failure_probability", 0.05}};
  const LoadResult loaded = load(scenario);
  BOOST_REQUIRE(loaded.has_value());
  BOOST_TEST(loaded->timing.automatic_failover->duration.high == std::chrono::minutes(3));
  BOOST_TEST(loaded->timing.automatic_failover->failure_probability == 0.05);
  scenario["timing"]["automatic_failover"]["drain_per_1000_users_min"] = 1;
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /timing/automatic_failover/drain_per_1000_users_min: an "
                   "automatic failover drains no sessions; expected only a distribution and "
                   "failure_probability"});
  scenario["timing"]["automatic_failover"] = {
      {"distribution", "uniform"}, {"low_min", -1}, {"high_min", 3}};
  BOOST_TEST(rendered(load(scenario)).size() == 1U);
}

BOOST_AUTO_TEST_CASE(a_pool_has_one_to_twelve_front_ends) {
  Json scenario = contoso();
  pool(scenario)["front_ends"] = Json::array();
  pool(scenario).erase("upgrade_domains");
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /topology/enterprise_pools/0/front_ends: expected 1 to 12 "
                   "front ends, got 0"});
  Json thirteen = Json::array();
  for (int i = 1; i <= 13; ++i) thirteen.push_back("fe" + std::to_string(i) + ".contoso.com");
  pool(scenario)["front_ends"] = thirteen;
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /topology/enterprise_pools/0/front_ends: expected 1 to 12 "
                   "front ends, got 13"});
}

BOOST_AUTO_TEST_CASE(upgrade_domains_default_to_one_per_front_end) {
  Json scenario = contoso();
  pool(scenario).erase("upgrade_domains");
  const auto result = load(scenario);
  BOOST_TEST_REQUIRE(result.has_value());
  const auto& domains = result->topology.pools[0].upgrade_domains;
  BOOST_TEST_REQUIRE(domains.size() == 4u);
  BOOST_TEST(domains[3] == std::vector<std::string>{"fe04.contoso.com"});
}

BOOST_AUTO_TEST_CASE(upgrade_domains_hold_each_front_end_of_the_pool_exactly_once) {
  Json scenario = contoso();
  pool(scenario)["upgrade_domains"] =
      Json::array({Json::array({"fe01.contoso.com", "FE02.contoso.com"}),
                   Json::array({"fe02.contoso.com", "fe05.contoso.com"}), Json::array()});
  BOOST_TEST(rendered(load(scenario)) ==
             (Lines{"bad.json: error: /topology/enterprise_pools/0/upgrade_domains/1/0: front end "
                    "\"fe02.contoso.com\" is already in an upgrade domain at "
                    "/topology/enterprise_pools/0/upgrade_domains/0/1",
                    "bad.json: error: /topology/enterprise_pools/0/upgrade_domains/1/1: unknown "
                    "front end \"fe05.contoso.com\"; this pool's front ends are: "
                    "\"fe01.contoso.com\", \"fe02.contoso.com\", \"fe03.contoso.com\", "
                    "\"fe04.contoso.com\"",
                    "bad.json: error: /topology/enterprise_pools/0/upgrade_domains/2: expected a "
                    "non-empty array of front end FQDNs, got an empty array"}));
}

BOOST_AUTO_TEST_CASE(a_front_end_left_out_of_every_upgrade_domain_is_reported) {
  Json scenario = contoso();
  pool(scenario)["upgrade_domains"][1] = Json::array({"fe03.contoso.com"});
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /topology/enterprise_pools/0/upgrade_domains: front end "
                   "\"fe04.contoso.com\" is in no upgrade domain; every front end must be in "
                   "exactly one"});
}

BOOST_AUTO_TEST_CASE(collocated_stores_are_archiving_or_monitoring_once_each) {
  Json scenario = contoso();
  pool(scenario)["back_end"]["collocated_stores"] =
      Json::array({"monitoring", "monitoring", "cdr", 3});
  BOOST_TEST(rendered(load(scenario)) ==
             (Lines{"bad.json: error: /topology/enterprise_pools/0/back_end/collocated_stores/1: "
                    "duplicate store \"monitoring\" (already at "
                    "/topology/enterprise_pools/0/back_end/collocated_stores/0)",
                    "bad.json: error: /topology/enterprise_pools/0/back_end/collocated_stores/2: "
                    "expected \"archiving\" or \"monitoring\", got string \"cdr\"",
                    "bad.json: error: /topology/enterprise_pools/0/back_end/collocated_stores/3: "
                    "expected \"archiving\" or \"monitoring\", got number 3"}));
}

Json& se(Json& scenario, std::size_t i) {
  return scenario["topology"]["standard_edition_servers"][i];
}

// A second Enterprise Edition pool for pairing, pool02.contoso.com, with its own servers.
void add_second_pool(Json& scenario) {
  Json second = pool(scenario);
  second["fqdn"] = "pool02.contoso.com";
  second["front_ends"] = Json::array({"fe11.contoso.com", "fe12.contoso.com"});
  second.erase("upgrade_domains");
  second["back_end"] = {{"fqdn", "sql02.contoso.com"}};
  scenario["topology"]["enterprise_pools"].push_back(second);
}

BOOST_AUTO_TEST_CASE(a_backup_pool_needs_a_server_of_its_edition_to_point_at) {
  Json scenario = contoso();
  se(scenario, 0)["backup_pool"] = "se03.contoso.com";
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /topology/standard_edition_servers/0/backup_pool: unknown "
                   "pool \"se03.contoso.com\"; expected another Standard Edition server: "
                   "\"se02.contoso.com\" (did you mean \"se02.contoso.com\"?)"});
  scenario["topology"]["standard_edition_servers"].erase(1);
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /topology/standard_edition_servers/0/backup_pool: unknown "
                   "pool \"se03.contoso.com\"; expected another Standard Edition server, and the "
                   "topology has none"});
}

BOOST_AUTO_TEST_CASE(a_standard_edition_server_does_not_pair_with_an_enterprise_pool) {
  Json scenario = contoso();
  se(scenario, 0)["backup_pool"] = "pool01.contoso.com";
  se(scenario, 1).erase("backup_pool");
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /topology/standard_edition_servers/0/backup_pool: "
                   "\"se01.contoso.com\" is a Standard Edition server and \"pool01.contoso.com\" "
                   "an Enterprise Edition pool, an unsupported pairing: Enterprise Edition pairs "
                   "only with Enterprise Edition, Standard Edition only with Standard Edition "
                   "(Lync Server 2013, \"Supported pool pairing options and best practices\"); "
                   "expected another Standard Edition server"});
}

BOOST_AUTO_TEST_CASE(an_enterprise_pool_does_not_pair_with_a_standard_edition_server) {
  Json scenario = contoso();
  pool(scenario)["backup_pool"] = "SE02.contoso.com.";
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /topology/enterprise_pools/0/backup_pool: "
                   "\"pool01.contoso.com\" is an Enterprise Edition pool and \"se02.contoso.com\" "
                   "a Standard Edition server, an unsupported pairing: Enterprise Edition pairs "
                   "only with Enterprise Edition, Standard Edition only with Standard Edition "
                   "(Lync Server 2013, \"Supported pool pairing options and best practices\"); "
                   "expected another Enterprise Edition pool"});
}

BOOST_AUTO_TEST_CASE(a_pool_is_not_its_own_backup) {
  Json scenario = contoso();
  pool(scenario)["backup_pool"] = "pool01.contoso.com";
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /topology/enterprise_pools/0/backup_pool: "
                   "\"pool01.contoso.com\" names itself as its backup pool; expected another "
                   "Enterprise Edition pool"});
}

BOOST_AUTO_TEST_CASE(a_backup_relationship_is_reciprocal) {
  Json scenario = contoso();
  add_second_pool(scenario);
  pool(scenario)["backup_pool"] = "pool02.contoso.com";
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /topology/enterprise_pools/0/backup_pool: "
                   "\"pool01.contoso.com\" names \"pool02.contoso.com\" as its backup pool, but "
                   "\"pool02.contoso.com\" names none; backup relationships are 1:1 and "
                   "reciprocal (Lync Server 2013, \"Backup Registrar relationships\"): expected "
                   "\"pool02.contoso.com\" to name \"pool01.contoso.com\" as its backup pool"});
  // Both ways, in any case and with a trailing dot: a supported pair.
  scenario["topology"]["enterprise_pools"][1]["backup_pool"] = "POOL01.contoso.com.";
  const auto paired = load(scenario);
  BOOST_TEST_REQUIRE(rendered(paired) == Lines{});
  BOOST_TEST(paired->topology.pools[0].backup_pool.value_or("-") == "pool02.contoso.com");
  BOOST_TEST(paired->topology.pools[1].backup_pool.value_or("-") == "pool01.contoso.com");
}

BOOST_AUTO_TEST_CASE(a_backup_relationship_is_one_to_one) {
  Json scenario = contoso();
  Json third = se(scenario, 1);
  third["fqdn"] = "se03.contoso.com";
  third["backup_pool"] = "se02.contoso.com";
  scenario["topology"]["standard_edition_servers"].push_back(third);
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /topology/standard_edition_servers/2/backup_pool: "
                   "\"se03.contoso.com\" names \"se02.contoso.com\" as its backup pool, but "
                   "\"se02.contoso.com\" names \"se01.contoso.com\"; backup relationships are 1:1 "
                   "and reciprocal (Lync Server 2013, \"Backup Registrar relationships\"): "
                   "expected \"se02.contoso.com\" to name \"se03.contoso.com\" as its backup "
                   "pool"});
}

BOOST_AUTO_TEST_CASE(a_topology_needs_at_least_one_server) {
  Json scenario = contoso();
  scenario["topology"] = {{"enterprise_pools", Json::array()}};
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /topology: expected at least one pool or Standard Edition "
                   "server"});
}

// The user model numbers a home's users with 32 bits: more is an error, never clamped.
BOOST_AUTO_TEST_CASE(users_are_an_integer_the_user_model_can_number) {
  Json scenario = contoso();
  pool(scenario)["users"] = -5;
  scenario["topology"]["standard_edition_servers"][0]["users"] = 1.5;
  BOOST_TEST(rendered(load(scenario)) ==
             (Lines{"bad.json: error: /topology/enterprise_pools/0/users: expected an integer "
                    "between 0 and 4294967295, got -5",
                    "bad.json: error: /topology/standard_edition_servers/0/users: expected an "
                    "integer between 0 and 4294967295, got 1.5"}));
  pool(scenario)["users"] = 18446744073709551615u;
  scenario["topology"]["standard_edition_servers"][0]["users"] = 4294967296LL;
  BOOST_TEST(rendered(load(scenario)) ==
             (Lines{"bad.json: error: /topology/enterprise_pools/0/users: expected an integer "
                    "between 0 and 4294967295, got 18446744073709551615",
                    "bad.json: error: /topology/standard_edition_servers/0/users: expected an "
                    "integer between 0 and 4294967295, got 4294967296"}));
}

BOOST_AUTO_TEST_CASE(routing_groups_are_an_integer_from_1_to_10000) {
  Json scenario = contoso();
  for (const Json& bad : {Json(0), Json(-3), Json(2.5), Json("8"), Json(10001)}) {
    pool(scenario)["routing_groups"] = bad;
    BOOST_TEST(rendered(load(scenario)) ==
               Lines{"bad.json: error: /topology/enterprise_pools/0/routing_groups: expected an "
                     "integer between 1 and 10000, got " +
                     (bad.is_string() ? std::string("string \"8\"") : bad.dump())});
  }
  pool(scenario)["routing_groups"] = 10000;
  const auto loaded = load(scenario);
  BOOST_REQUIRE(loaded.has_value());
  BOOST_TEST(loaded->topology.pools[0].routing_groups == 10000);
  pool(scenario).erase("routing_groups");
  BOOST_TEST(load(scenario)->topology.pools[0].routing_groups == 0);  // the default
}

BOOST_AUTO_TEST_CASE(a_second_central_management_store_is_refused_naming_the_first) {
  Json scenario = contoso();
  pool(scenario)["central_management_store"] = true;
  scenario["topology"]["standard_edition_servers"][1]["central_management_store"] = true;
  scenario["topology"]["standard_edition_servers"][0]["central_management_store"] = "yes";
  BOOST_TEST(
      rendered(load(scenario)) ==
      (Lines{"bad.json: error: /topology/standard_edition_servers/0/central_management_store: "
             "expected true (the Central Management store is installed here) or false, got "
             "string \"yes\"",
             "bad.json: error: /topology/standard_edition_servers/1/central_management_store: a "
             "second Central Management store (the first is at "
             "/topology/enterprise_pools/0/central_management_store); a deployment has one, "
             "located by one service control point (Set-CsConfigurationStoreLocation): expected "
             "\"central_management_store\": true on one pool or Standard Edition server"}));
}

BOOST_AUTO_TEST_CASE(the_central_management_store_marks_its_back_end_and_mirror) {
  Json scenario = contoso();
  pool(scenario)["central_management_store"] = true;
  pool(scenario)["back_end"]["mirror"] = "sql01m.contoso.com";
  const LoadResult result = load(scenario);
  BOOST_REQUIRE(result.has_value());
  for (const model::UpdateTarget& target : model::update_targets(result->topology)) {
    const bool holds = target.fqdn == "sql01.contoso.com" || target.fqdn == "sql01m.contoso.com";
    BOOST_TEST(target.central_management_store == holds, target.fqdn);
  }
}

BOOST_AUTO_TEST_CASE(an_assumed_note_is_kept_with_a_pool_or_server_and_is_a_non_empty_string) {
  Json scenario = contoso();
  pool(scenario)["assumed"] = "users: an estimate";
  scenario["topology"]["standard_edition_servers"][0]["assumed"] = "users: an estimate too";
  const auto loaded = load(scenario);
  BOOST_TEST_REQUIRE(rendered(loaded) == Lines{});
  BOOST_TEST(loaded->topology.pools[0].assumed == "users: an estimate");
  BOOST_TEST(loaded->topology.standard_edition_servers[0].assumed == "users: an estimate too");
  pool(scenario)["assumed"] = "";
  scenario["topology"]["standard_edition_servers"][0]["assumed"] = 3;
  const auto refused = rendered(load(scenario));
  BOOST_TEST(refused.size() == 2U);
  BOOST_TEST(refused[0].starts_with("bad.json: error: /topology/enterprise_pools/0/assumed: "));
  BOOST_TEST(
      refused[1].starts_with("bad.json: error: /topology/standard_edition_servers/0/assumed: "));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace lyncupdate::loader::testing
