// Routing groups of a Front End pool (DOMAIN.md section 3): where each group's three replicas
// live, what users of a group that loses its write quorum get, primaries moving when their
// front end stops, and the routing-group-quorum monitor. Every duration is fixed and every user
// is signed in for the whole run, so that every count is exact.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>

#include "front_end_scenario.hpp"
#include "lyncupdate/model/routing_groups.hpp"
#include "lyncupdate/model/topology.hpp"

using namespace lyncupdate;
using namespace lyncupdate::testing;
using sim::TraceKind;

namespace {

// Eight front ends in four upgrade domains of two, as in the shipped enterprise pools.
ScenarioText eight_front_ends() {
  ScenarioText text;
  text.front_ends = {"fe1", "fe2", "fe3", "fe4", "fe5", "fe6", "fe7", "fe8"};
  text.domains = {{"fe1", "fe2"}, {"fe3", "fe4"}, {"fe5", "fe6"}, {"fe7", "fe8"}};
  return text;
}

const std::vector<std::size_t> four_domains_of_two{0, 0, 1, 1, 2, 2, 3, 3};

// A placement as "fe1 fe3 fe5" (1-based, primary first).
std::string holders_text(const model::RoutingGroupPlacement& group) {
  std::string out;
  for (const std::uint8_t f : group.holders())
    out += fmt::format("{}fe{}", out.empty() ? "" : " ", f + 1);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(routing_groups)

// Eight front ends in four domains, 32 groups (the default, 4 per front end): the primary of
// group g on front end g mod 8; the secondaries in the two domains after the primary's that
// hold the fewest replicas. The pattern repeats every eight groups.
BOOST_AUTO_TEST_CASE(eight_front_ends_in_four_domains_are_placed_evenly_in_distinct_domains) {
  const auto placement = model::place_routing_groups(four_domains_of_two, 32);
  BOOST_REQUIRE(placement.size() == 32u);
  const std::vector<std::string> first_eight{"fe1 fe3 fe5", "fe2 fe4 fe6", "fe3 fe7 fe5",
                                             "fe4 fe8 fe6", "fe5 fe7 fe1", "fe6 fe8 fe2",
                                             "fe7 fe1 fe3", "fe8 fe2 fe4"};
  std::vector<std::size_t> primaries(8, 0);
  std::vector<std::size_t> replicas(8, 0);
  for (std::size_t g = 0; g < placement.size(); ++g) {
    BOOST_TEST_CONTEXT("group " << g + 1) {
      const auto holders = placement[g].holders();
      BOOST_TEST(holders.size() == 3u);
      BOOST_TEST(holders_text(placement[g]) == first_eight[g % 8]);
      // Three distinct front ends in three distinct domains.
      const std::set<std::uint8_t> front_ends(holders.begin(), holders.end());
      std::set<std::size_t> domains;
      for (const std::uint8_t f : holders) domains.insert(four_domains_of_two[f]);
      BOOST_TEST(front_ends.size() == 3u);
      BOOST_TEST(domains.size() == 3u);
      ++primaries[holders[0]];
      for (const std::uint8_t f : holders) ++replicas[f];
    }
  }
  BOOST_TEST(primaries == std::vector<std::size_t>(8, 4), boost::test_tools::per_element());
  BOOST_TEST(replicas == std::vector<std::size_t>(8, 12), boost::test_tools::per_element());
  // A pure function: the same arguments, the same placement.
  BOOST_TEST((model::place_routing_groups(four_domains_of_two, 32) == placement));
}

BOOST_AUTO_TEST_CASE(primaries_spread_evenly_and_domains_stay_distinct_for_every_pool_size) {
  for (std::size_t front_ends = 3; front_ends <= 12; ++front_ends) {
    for (std::size_t domain_count = 3; domain_count <= front_ends; ++domain_count) {
      std::vector<std::size_t> domain_of(front_ends);
      for (std::size_t f = 0; f < front_ends; ++f) domain_of[f] = f * domain_count / front_ends;
      for (const std::size_t groups : std::vector<std::size_t>{1, 7, 4 * front_ends, 1000}) {
        BOOST_TEST_CONTEXT(front_ends << " front ends, " << domain_count << " domains, " << groups
                                      << " groups") {
          const auto placement = model::place_routing_groups(domain_of, groups);
          std::vector<std::size_t> primaries(front_ends, 0);
          bool distinct = true;
          for (const auto& group : placement) {
            const auto holders = group.holders();
            std::set<std::size_t> domains;
            for (const std::uint8_t f : holders) domains.insert(domain_of[f]);
            distinct = distinct && holders.size() == 3 && domains.size() == 3;
            ++primaries[holders[0]];
          }
          BOOST_TEST(distinct);
          const auto [low, high] = std::ranges::minmax(primaries);
          BOOST_TEST(high - low <= 1u);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(small_pools_hold_as_many_replicas_as_front_ends) {
  const std::vector<std::size_t> one{0};
  const std::vector<std::size_t> two{0, 1};
  const auto single = model::place_routing_groups(one, 4);
  BOOST_TEST(single.size() == 4u);
  for (const auto& group : single) BOOST_TEST(holders_text(group) == "fe1");
  const auto pair = model::place_routing_groups(two, 4);
  BOOST_TEST(holders_text(pair[0]) == "fe1 fe2");
  BOOST_TEST(holders_text(pair[1]) == "fe2 fe1");
  BOOST_TEST(model::routing_group_write_quorum(3) == 2u);
  BOOST_TEST(model::routing_group_write_quorum(2) == 2u);
  BOOST_TEST(model::routing_group_write_quorum(1) == 1u);
  // Two domains of two: a group's third replica has to share a domain.
  const auto shared = model::place_routing_groups(std::vector<std::size_t>{0, 0, 1, 1}, 2);
  BOOST_TEST(holders_text(shared[0]) == "fe1 fe3 fe2");
}

BOOST_AUTO_TEST_CASE(the_default_is_four_groups_per_front_end_and_users_go_round_robin) {
  model::EnterprisePool pool;
  pool.front_ends = {"a.example.com", "b.example.com", "c.example.com"};
  BOOST_TEST(model::routing_group_count(pool) == 12u);
  pool.routing_groups = 5;
  BOOST_TEST(model::routing_group_count(pool) == 5u);
  BOOST_TEST(model::routing_group_of_user(0, 5) == 0u);
  BOOST_TEST(model::routing_group_of_user(7, 5) == 2u);
  // A front end in no upgrade domain is a domain of its own.
  pool.upgrade_domains = {{"b.example.com"}};
  BOOST_TEST((model::upgrade_domain_of_front_ends(pool) == std::vector<std::size_t>{1, 0, 2}));
}

// Two domains of eight front ends stopped at once, fe5 to fe8 from minute 3 to minute 14: the
// groups with two of their replicas in those domains, groups 3 to 6 of every eight (fe3 fe7 fe5,
// fe4 fe8 fe6, fe5 fe7 fe1, fe6 fe8 fe2), keep one replica: 16 of 32 groups, 125 users each
// (4,000 / 32), 2,000 users in resiliency mode for the 11 minutes. Four of eight front ends
// still run among the first seven: the pool keeps its quorum.
BOOST_AUTO_TEST_CASE(
    two_domains_stopped_at_once_put_the_groups_with_two_replicas_there_in_resiliency) {
  ScenarioText text = eight_front_ends();
  text.front_end_runbook = std::string(gateless_runbook);
  text.front_end_timing = gateless_timing();
  text.stages = {{"fe5", "fe6", "fe7", "fe8"}};
  const model::Scenario scenario = load_ok(text);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);

  BOOST_TEST(r.violations_of(check::rules::pool_quorum).empty(), violation_text(r));
  BOOST_TEST(r.impact.users_affected == 2000u);
  BOOST_TEST(r.impact.resiliency_user_ms == 2000 * 11 * minute);
  BOOST_TEST(r.impact.disconnected_user_ms == 0);
  BOOST_TEST(r.count(TraceKind::routing_group_quorum_lost) == 16u);
  BOOST_TEST(r.count(TraceKind::routing_group_quorum_regained) == 16u);
  BOOST_TEST(r.count(TraceKind::routing_group_stopped) == 0u);
  // fe7's stop takes the groups of fe3 fe7 fe5 and fe5 fe7 fe1 below quorum, fe8's the others.
  BOOST_TEST(r.matching("3 routing_group_quorum_lost fe7").size() == 8u);
  BOOST_TEST(r.matching("3 routing_group_quorum_lost fe8").size() == 8u);
  BOOST_TEST(r.matching("3 routing_group_quorum_lost fe7 group 3 users 125").size() == 1u);
  BOOST_TEST(r.matching("14 routing_group_quorum_regained fe5").size() == 8u);
  BOOST_TEST(r.matching("14 routing_group_quorum_regained fe6").size() == 8u);
  // Primaries: fe5's 4 groups move to fe7 (500 users), fe6's to fe8 (500); fe7 then holds its
  // own 4 and fe5's 4, which move to fe1 (1,000), and fe8 its own and fe6's, to fe2 (1,000).
  BOOST_TEST(r.matching("primaries_moved") ==
                 (std::vector<std::string>{
                     "3 primaries_moved fe5 users 500", "3 primaries_moved fe6 users 500",
                     "3 primaries_moved fe7 users 1000", "3 primaries_moved fe8 users 1000"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.impact.users_moved == 3000u);
  // The monitor: one violation per stop that takes groups below quorum.
  const auto lost = r.violations_of(check::rules::routing_group_quorum);
  BOOST_REQUIRE(lost.size() == 2u);
  BOOST_TEST(lost[0]->message ==
             "routing group 3 of pool pool.example.com loses its write quorum at 22:03:00 (step "
             "fe-stop-services on fe7.example.com): 1 of its 3 replicas runs (fe7.example.com and "
             "fe5.example.com stopped, fe3.example.com running) and it needs 2: its users are in "
             "resiliency mode until 2 run again; 7 more of the pool's 32 routing groups lose it at "
             "this stop");
  BOOST_TEST(lost[1]->message ==
             "routing group 4 of pool pool.example.com loses its write quorum at 22:03:00 (step "
             "fe-stop-services on fe8.example.com): 1 of its 3 replicas runs (fe8.example.com and "
             "fe6.example.com stopped, fe4.example.com running) and it needs 2: its users are in "
             "resiliency mode until 2 run again; 7 more of the pool's 32 routing groups lose it at "
             "this stop");
  BOOST_TEST(lost[0]->time.time_since_epoch().count() == 3 * minute);
  BOOST_TEST(r.violations.size() == 2u, violation_text(r));
}

// The same with 8 groups given in the scenario: one of each replica set, 500 users each; the
// same 2,000 users (groups 3 to 6) and the monitor names the pool's 8 groups.
BOOST_AUTO_TEST_CASE(the_scenario_s_routing_groups_decide_the_group_sizes) {
  ScenarioText text = eight_front_ends();
  text.routing_groups = "8";
  text.front_end_runbook = std::string(gateless_runbook);
  text.front_end_timing = gateless_timing();
  text.stages = {{"fe5", "fe6", "fe7", "fe8"}};
  const model::Scenario scenario = load_ok(text);
  BOOST_TEST(scenario.topology.pools[0].routing_groups == 8);
  const Run r = run(resolve(scenario));
  BOOST_TEST(r.impact.resiliency_user_ms == 2000 * 11 * minute);
  BOOST_TEST(r.matching("routing_group_quorum_lost") ==
                 (std::vector<std::string>{"3 routing_group_quorum_lost fe7 group 3 users 500",
                                           "3 routing_group_quorum_lost fe7 group 5 users 500",
                                           "3 routing_group_quorum_lost fe8 group 4 users 500",
                                           "3 routing_group_quorum_lost fe8 group 6 users 500"}),
             boost::test_tools::per_element());
  const auto lost = r.violations_of(check::rules::routing_group_quorum);
  BOOST_REQUIRE(lost.size() == 2u);
  BOOST_TEST(
      lost[0]->message.ends_with("; 1 more of the pool's 8 routing groups lose it at this "
                                 "stop"));
}

// One domain at a time with the shipped runbook: no group ever has two replicas down, so
// nothing changes for the users but the primaries that move. Domain 1: fe1's and fe2's 4 groups
// each (1,000 users). Domain 2: fe3 holds its own 4 and fe1's 4 (moved there), fe4 likewise
// (2,000). Domain 3: fe5's and fe6's own (1,000; fe3's groups moved to fe7, fe4's to fe8).
// Domain 4: fe7 holds its own, fe3's and fe5's groups, fe8 likewise (3,000): 7,000 in all.
BOOST_AUTO_TEST_CASE(one_domain_at_a_time_costs_nothing_but_primaries_moving) {
  ScenarioText text = eight_front_ends();
  text.stages = {{"fe1", "fe2"}, {"fe3", "fe4"}, {"fe5", "fe6"}, {"fe7", "fe8"}};
  model::Scenario scenario = load_ok(text);
  without_reboots(scenario);
  const Run r = run(resolve(scenario));
  BOOST_TEST(r.violations.empty(), violation_text(r));
  BOOST_TEST(r.impact.users_affected == 0u);
  BOOST_TEST(r.impact.resiliency_user_ms == 0);
  BOOST_TEST(r.impact.disconnected_user_ms == 0);
  BOOST_TEST(r.impact.conferences_ended == 0u);
  BOOST_TEST(r.count(TraceKind::routing_group_quorum_lost) == 0u);
  BOOST_TEST(
      r.matching("primaries_moved") ==
          (std::vector<std::string>{
              "6.75 primaries_moved fe1 users 500", "6.75 primaries_moved fe2 users 500",
              "50.75 primaries_moved fe3 users 1000", "50.75 primaries_moved fe4 users 1000",
              "94.75 primaries_moved fe5 users 500", "94.75 primaries_moved fe6 users 500",
              "138.75 primaries_moved fe7 users 1500", "138.75 primaries_moved fe8 users 1500"}),
      boost::test_tools::per_element());
  BOOST_TEST(r.impact.users_moved == 7000u);
}

// Three domains stopped: the pool (4 of the first 7 needed) stops too. Pool-level quorum loss
// disconnects everybody and dominates the groups' own state.
BOOST_AUTO_TEST_CASE(pool_quorum_loss_dominates_the_routing_groups) {
  ScenarioText text = eight_front_ends();
  text.front_end_runbook = std::string(gateless_runbook);
  text.front_end_timing = gateless_timing();
  text.stages = {{"fe3", "fe4", "fe5", "fe6", "fe7", "fe8"}};
  const model::Scenario scenario = load_ok(text);
  const Run r = run(resolve(scenario));
  BOOST_TEST(r.violations_of(check::rules::pool_quorum).size() == 1u);
  BOOST_TEST(r.impact.users_affected == 4000u);
  BOOST_TEST(r.impact.disconnected_user_ms == 4000 * 11 * minute);
  BOOST_TEST(r.impact.resiliency_user_ms == 0);
}

BOOST_AUTO_TEST_SUITE_END()
