// Front ends as update targets (DOMAIN.md sections 3 and 4): the shipped front-end runbook run
// domain by domain, the pool-upgrade-readiness gate (InsufficientActiveFrontEnds stops the
// plan, Busy is retried), the graceful drain, pool quorum with the back end as witness, and
// what the loader refuses. Scenarios are loaded from JSON text, every duration is fixed, so that
// every time in a trace is exact.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>

#include "front_end_scenario.hpp"
#include "lyncupdate/model/quorum.hpp"
#include "lyncupdate/model/routing_groups.hpp"
#include "lyncupdate/simulator/world.hpp"

using namespace lyncupdate;
using namespace lyncupdate::testing;
using sim::TraceKind;

namespace {

// The routing-group monitor's message when the stop of `server` at `clock` takes eight of the
// fixture's 16 groups to one replica (see below), `group` the first of them: its replicas
// `stopped_a` and `stopped_b` are stopped, `running` runs.
std::string eight_groups_lost(int group, std::string_view clock, std::string_view server,
                              std::string_view stopped_a, std::string_view stopped_b,
                              std::string_view running) {
  return fmt::format(
      "routing group {} of pool pool.example.com loses its write quorum at {} (step "
      "fe-stop-services on {}): 1 of its 3 replicas runs ({} and {} stopped, {} running) and it "
      "needs 2: its users are in resiliency mode until 2 run again; 7 more of the pool's 16 "
      "routing groups lose it at this stop",
      group, clock, fqdn(server), fqdn(stopped_a), fqdn(stopped_b), fqdn(running));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(front_end)

// Routing groups (DOMAIN.md section 3; model/routing_groups.hpp) in the fixture's pool: the
// default 16 (4 per front end), 250 of the 4,000 users each (user i in group i mod 16). The
// placement repeats every four groups, primary first: group 4k+1 on fe1 fe3 fe2, 4k+2 on fe2 fe4
// fe3, 4k+3 on fe3 fe1 fe4, 4k+4 on fe4 fe1 fe2. With two upgrade domains, two of a group's
// three replicas always share one (no `routing_groups` value avoids it), so stopping domain 1
// (fe1, fe2) leaves groups 1 4 5 8 9 12 13 16 (2,000 users) one replica of the two their write
// quorum needs: resiliency mode until one more runs; domain 2 (fe3, fe4) likewise groups 2 3 6 7
// 10 11 14 15. A group with no replica running is disconnected. When a front end stops, the
// groups whose acting primary it holds move it to their first running replica (in the order
// above) and their users count as moved, unless the pool itself has stopped.

// 1. Two upgrade domains of two, one stage each: every step in runbook order, sequential per
// server, the two servers of a domain side by side; the stage ends after the 20-minute settle.
BOOST_AUTO_TEST_CASE(two_domains_one_stage_each_complete_in_twice_the_runbook_time) {
  ScenarioText text;
  text.stages = {{"fe1", "fe2"}, {"fe3", "fe4"}};
  model::Scenario scenario = load_ok(text);
  BOOST_TEST(scenario.front_end_runbook->steps.size() == 12u);
  without_reboots(scenario);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);

  // 1 + 3 + 0.5 + 0.25 (readiness) + 2 (stop) + 0.5 (close shells) + 12 (install) + 0.5
  // (reopen) + 1 (stop again) + 3 (start) + 0.25 (confirm) + 20 (settle) = 44 minutes a domain.
  BOOST_TEST(r.summary.end.time_since_epoch().count() == 88 * minute);
  BOOST_TEST(!r.summary.stopped);
  BOOST_TEST(starts(r, "fe1") == shipped_starts(0), boost::test_tools::per_element());
  BOOST_TEST(starts(r, "fe2") == shipped_starts(0), boost::test_tools::per_element());
  BOOST_TEST(starts(r, "fe3") == shipped_starts(44), boost::test_tools::per_element());
  BOOST_TEST(starts(r, "fe4") == shipped_starts(44), boost::test_tools::per_element());
  // The second stop finds them stopped already: no change.
  const std::vector<std::string> services{"6.75 state_changed fe1 lync_services=stopped",
                                          "6.75 state_changed fe2 lync_services=stopped",
                                          "23.75 state_changed fe1 lync_services=running",
                                          "23.75 state_changed fe2 lync_services=running",
                                          "50.75 state_changed fe3 lync_services=stopped",
                                          "50.75 state_changed fe4 lync_services=stopped",
                                          "67.75 state_changed fe3 lync_services=running",
                                          "67.75 state_changed fe4 lync_services=running"};
  BOOST_TEST(r.matching("lync_services") == services, boost::test_tools::per_element());
  // The gate says Ready each time: its effect, and no failure.
  BOOST_TEST(r.matching("upgrade_readiness=ready").size() == 4u);
  BOOST_TEST(r.count(TraceKind::step_failed) == 0u);
  BOOST_TEST(r.count(TraceKind::step_finished) == 48u);
  BOOST_TEST(r.matching("stage_started") ==
                 (std::vector<std::string>{"0 stage_started", "44 stage_started"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.lines.back() == "88 run_finished");
  // The placement the routing-group figures below follow (see the top of this suite).
  const auto groups = model::place_routing_groups(scenario.topology.pools[0]);
  BOOST_REQUIRE(groups.size() == 16u);
  const std::vector<std::vector<int>> first_four{{0, 2, 1}, {1, 3, 2}, {2, 0, 3}, {3, 0, 1}};
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto holders = groups[g].holders();
    BOOST_TEST(std::vector<int>(holders.begin(), holders.end()) == first_four[g % 4],
               boost::test_tools::per_element());
  }
  // Two of four always run: the pool keeps quorum, nobody is disconnected. Its routing groups
  // do not: fe2's stop (6.75) leaves groups 1 4 5 8 9 12 13 16 on one replica until fe1 runs
  // again (23.75), fe4's (50.75) groups 2 3 6 7 10 11 14 15 until fe3 does (67.75). Each half,
  // 2,000 users, spends 17 minutes in resiliency mode: 4,000 x 17 user-minutes, every user
  // affected. Primaries: fe1's 4 groups move to fe3 and fe2's to fe4 (1,000 users each); fe3
  // then acts for its own 4 and fe1's 4, which move to fe1, and fe4 for its own and fe2's, which
  // move to fe1 and fe2 (2,000 each): 6,000 moves.
  BOOST_TEST(r.violations_of(check::rules::pool_quorum).empty(), violation_text(r));
  const auto lost = r.violations_of(check::rules::routing_group_quorum);
  BOOST_REQUIRE(lost.size() == 2u);
  BOOST_TEST(lost[0]->message == eight_groups_lost(1, "22:06:45", "fe2", "fe1", "fe2", "fe3"));
  BOOST_TEST(lost[1]->message == eight_groups_lost(2, "22:50:45", "fe4", "fe4", "fe3", "fe2"));
  BOOST_TEST(r.violations.size() == 2u, violation_text(r));
  BOOST_TEST(
      user_events(r) ==
          (std::vector<std::string>{
              "6.75 primaries_moved fe1 users 1000",
              "6.75 routing_group_quorum_lost fe2 groups 1 4 5 8 9 12 13 16 users 2000",
              "6.75 primaries_moved fe2 users 1000",
              "23.75 routing_group_quorum_regained fe1 groups 1 4 5 8 9 12 13 16 users 2000",
              "50.75 primaries_moved fe3 users 2000",
              "50.75 routing_group_quorum_lost fe4 groups 2 3 6 7 10 11 14 15 users 2000",
              "50.75 primaries_moved fe4 users 2000",
              "67.75 routing_group_quorum_regained fe3 groups 2 3 6 7 10 11 14 15 users 2000"}),
      boost::test_tools::per_element());
  BOOST_TEST(r.count(TraceKind::users_disconnected) == 0u);
  BOOST_TEST(r.impact.users_affected == 4000u);
  BOOST_TEST(r.impact.resiliency_user_ms == 4000 * 17 * minute);
  BOOST_TEST(r.impact.disconnected_user_ms == 0);
  BOOST_TEST(r.impact.users_moved == 6000u);
}

// 2. A domain of three in a pool of four: stopping it leaves one front end, and a pool of four
// needs two. The check answers InsufficientActiveFrontEnds: the plan stops there, without the
// 10-minute retries the step's policy gives to Busy.
BOOST_AUTO_TEST_CASE(insufficient_active_front_ends_stops_the_plan_at_the_gate_without_retry) {
  ScenarioText text;
  text.domains = {{"fe1", "fe2", "fe3"}, {"fe4"}};
  text.stages = {{"fe1", "fe2", "fe3", "fe4"}};
  model::Scenario scenario = load_ok(text);
  without_reboots(scenario);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);

  const std::vector<std::string> tail{
      "4.5 step_started fe1 fe-check-readiness", "4.5 step_started fe2 fe-check-readiness",
      "4.5 step_started fe3 fe-check-readiness", "4.5 step_started fe4 fe-check-readiness",
      "4.75 step_failed fe1 fe-check-readiness", "4.75 plan_stopped fe1 fe-check-readiness",
      "4.75 step_failed fe2 fe-check-readiness", "4.75 step_failed fe3 fe-check-readiness",
      // fe4's own domain of one may stop (three would run), but the plan has stopped.
      "4.75 state_changed fe4 upgrade_readiness=ready", "4.75 step_finished fe4 fe-check-readiness",
      "4.75 run_finished"};
  BOOST_REQUIRE(r.lines.size() >= tail.size());
  const std::vector<std::string> last(r.lines.end() - static_cast<std::ptrdiff_t>(tail.size()),
                                      r.lines.end());
  BOOST_TEST(last == tail, boost::test_tools::per_element());
  BOOST_TEST(r.summary.stopped);
  BOOST_TEST(r.summary.end.time_since_epoch().count() == 4 * minute + 45'000);
  BOOST_TEST(r.matching("fe-stop-services").empty());
  BOOST_TEST(r.matching("attempt 2").empty());
  BOOST_TEST(r.matching("lync_services").empty());
  // The monitors judge each check as it starts; the pool itself never lost quorum.
  BOOST_TEST(violation_text(r) ==
             "upgrade-readiness: the readiness check on fe1.example.com at 22:04:30 finds pool "
             "pool.example.com unable to spare upgrade domain 1 (InsufficientActiveFrontEnds): the "
             "plan stops\n"
             "upgrade-readiness: the readiness check on fe2.example.com at 22:04:30 finds pool "
             "pool.example.com unable to spare upgrade domain 1 (InsufficientActiveFrontEnds): the "
             "plan stops\n"
             "upgrade-readiness: the readiness check on fe3.example.com at 22:04:30 finds pool "
             "pool.example.com unable to spare upgrade domain 1 (InsufficientActiveFrontEnds): the "
             "plan stops");
  BOOST_TEST(r.count(TraceKind::users_disconnected) == 0u);
}

// The same pool updated small domain first: fe4's check says Ready (three of four still run),
// its update completes; then the domain of three is refused at its check, 44 minutes later.
BOOST_AUTO_TEST_CASE(the_domain_of_one_passes_the_gate_and_the_domain_of_three_is_stopped) {
  ScenarioText text;
  text.domains = {{"fe1", "fe2", "fe3"}, {"fe4"}};
  text.stages = {{"fe4"}, {"fe1", "fe2", "fe3"}};
  model::Scenario scenario = load_ok(text);
  without_reboots(scenario);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);

  BOOST_TEST(starts(r, "fe4") == shipped_starts(0), boost::test_tools::per_element());
  BOOST_TEST(r.matching("step_failed") ==
                 (std::vector<std::string>{"48.75 step_failed fe1 fe-check-readiness",
                                           "48.75 step_failed fe2 fe-check-readiness",
                                           "48.75 step_failed fe3 fe-check-readiness"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.matching("plan_stopped") ==
                 std::vector<std::string>{"48.75 plan_stopped fe1 fe-check-readiness"},
             boost::test_tools::per_element());
  BOOST_TEST(r.lines.back() == "48.75 run_finished");
  BOOST_TEST(r.summary.stopped);
  BOOST_TEST(r.matching("step_started fe1 fe-stop-services").empty());
  BOOST_TEST(r.violations_of(check::rules::pool_quorum).empty(), violation_text(r));
  BOOST_TEST(r.violations_of(check::rules::upgrade_readiness).size() == 3u);
}

// Both domains of two in one stage: each check runs while all four front ends still run, so
// each says its own domain may stop, and all four stop together. The gate judges the pool as
// it is, not the plan; the pool-quorum monitor is what reports the plan.
BOOST_AUTO_TEST_CASE(two_domains_checked_at_the_same_instant_both_pass_and_the_pool_stops) {
  ScenarioText text;
  text.stages = {{"fe1", "fe2", "fe3", "fe4"}};
  model::Scenario scenario = load_ok(text);
  without_reboots(scenario);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);

  BOOST_TEST(r.matching("upgrade_readiness=ready").size() == 4u);
  BOOST_TEST(!r.summary.stopped);
  BOOST_TEST(r.summary.end.time_since_epoch().count() == 44 * minute);
  BOOST_TEST(r.violations_of(check::rules::upgrade_readiness).empty());
  const auto quorum = r.violations_of(check::rules::pool_quorum);
  BOOST_REQUIRE(quorum.size() == 1u);
  BOOST_TEST(quorum[0]->message ==
             "pool pool.example.com loses quorum at 22:06:45 (step fe-stop-services on "
             "fe3.example.com): 1 of its first 4 front ends run (1 of all 4), and it needs 2; the "
             "remaining front ends stop every Lync service");
  // The four stop in topology order at 6.75 and start again so at 23.75. fe1: its groups'
  // primaries move to fe3 (1,000 users). fe2: groups 1 4 5 8 9 12 13 16 keep one replica
  // (fe3 or fe4), the primaries of fe2's move to fe4. fe3: the pool loses quorum (1 of 4 run);
  // groups 4k+1 have no replica left, 4k+2 and 4k+3 only fe4's; no primary counts as moved any
  // more. fe4: every group that still had a replica has none. Back: fe1 gives groups 4k+1, 4k+3
  // and 4k+4 one replica; fe2 the pool's quorum (2 of 4 with the witness), two replicas to 4k+1
  // and 4k+4, one to 4k+2; fe3 two to 4k+2 and 4k+3.
  BOOST_TEST(
      user_events(r) ==
          (std::vector<std::string>{
              "6.75 primaries_moved fe1 users 1000",
              "6.75 routing_group_quorum_lost fe2 groups 1 4 5 8 9 12 13 16 users 2000",
              "6.75 primaries_moved fe2 users 1000",
              "6.75 routing_group_stopped fe3 groups 1 5 9 13 users 1000",
              "6.75 routing_group_quorum_lost fe3 groups 2 3 6 7 10 11 14 15 users 2000",
              "6.75 users_disconnected users 4000",
              "6.75 routing_group_stopped fe4 groups 2 3 4 6 7 8 10 11 12 14 15 16 users 3000",
              "23.75 routing_group_quorum_lost fe1 groups 1 3 4 5 7 8 9 11 12 13 15 16 users 3000",
              "23.75 routing_group_quorum_regained fe2 groups 1 4 5 8 9 12 13 16 users 2000",
              "23.75 routing_group_quorum_lost fe2 groups 2 6 10 14 users 1000",
              "23.75 users_reconnected users 4000",
              "23.75 routing_group_quorum_regained fe3 groups 2 3 6 7 10 11 14 15 users 2000"}),
      boost::test_tools::per_element());
  // The routing-group monitor reports the stops that take groups from two replicas to one:
  // fe2's and fe3's (fe4's finds none left with two).
  const auto lost = r.violations_of(check::rules::routing_group_quorum);
  BOOST_REQUIRE(lost.size() == 2u);
  BOOST_TEST(host_of(plan, lost[0]->server) == "fe2");
  BOOST_TEST(host_of(plan, lost[1]->server) == "fe3");
  BOOST_TEST(r.violations.size() == 3u, violation_text(r));
}

// 3. Busy: the check fails with probability 1; the shipped policy waits 10 minutes between
// tries and gives up after the third.
BOOST_AUTO_TEST_CASE(busy_three_times_ten_minutes_apart_then_the_plan_stops) {
  ScenarioText text;
  text.front_end_timing["fe-check-readiness"] =
      R"({"distribution": "fixed", "minutes": 0.25, "failure_probability": 1})";
  text.stages = {{"fe1"}, {"fe3"}};
  model::Scenario scenario = load_ok(text);
  without_reboots(scenario);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);

  const std::vector<std::string> expected{"0 run_started",
                                          "0 stage_started",
                                          "0 step_started fe1 fe-log-on",
                                          "1 state_changed fe1 session=logged_on",
                                          "1 step_finished fe1 fe-log-on",
                                          "1 step_started fe1 fe-extract-update",
                                          "4 state_changed fe1 update_package=extracted",
                                          "4 step_finished fe1 fe-extract-update",
                                          "4 step_started fe1 fe-open-shell",
                                          "4.5 state_changed fe1 management_shell=open",
                                          "4.5 step_finished fe1 fe-open-shell",
                                          "4.5 step_started fe1 fe-check-readiness",
                                          "4.75 step_failed fe1 fe-check-readiness",
                                          "14.75 step_started fe1 fe-check-readiness attempt 2",
                                          "15 step_failed fe1 fe-check-readiness attempt 2",
                                          "25 step_started fe1 fe-check-readiness attempt 3",
                                          "25.25 step_failed fe1 fe-check-readiness attempt 3",
                                          "25.25 plan_stopped fe1 fe-check-readiness attempt 3",
                                          "25.25 run_finished"};
  BOOST_TEST(r.lines == expected, boost::test_tools::per_element());
  BOOST_TEST(r.summary.stopped);
  BOOST_TEST(r.summary.end.time_since_epoch().count() == 25 * minute + 15'000);
}

// Busy first, then InsufficientActiveFrontEnds: fe1's first check is Busy; while it waits, the
// other domain's fe3 (same stage) stops its services, so the second check finds that the pool
// cannot spare fe1's domain (only fe4 would run) and stops the plan, without a third try; the
// upgrade-readiness monitor judges every attempt, so it reports that second one.
BOOST_AUTO_TEST_CASE(a_busy_check_retried_after_another_domain_stopped_stops_the_plan) {
  ScenarioText text;
  text.server_timing["fe1.example.com"] =
      R"({"fe-check-readiness": {"distribution": "fixed", "minutes": 0.25,
          "failure_probability": 1}})";
  text.stages = {{"fe1", "fe3"}};
  model::Scenario scenario = load_ok(text);
  without_reboots(scenario);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);

  BOOST_TEST(r.matching("fe-check-readiness") ==
                 (std::vector<std::string>{"4.5 step_started fe1 fe-check-readiness",
                                           "4.5 step_started fe3 fe-check-readiness",
                                           "4.75 step_failed fe1 fe-check-readiness",
                                           "4.75 step_finished fe3 fe-check-readiness",
                                           "14.75 step_started fe1 fe-check-readiness attempt 2",
                                           "15 step_failed fe1 fe-check-readiness attempt 2",
                                           "15 plan_stopped fe1 fe-check-readiness attempt 2"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.summary.stopped);
  // fe3's install, in flight when the plan stopped, ends at 19.25; nothing starts it again.
  BOOST_TEST(r.lines.back() == "19.25 run_finished");
  const auto left = r.violations_of(check::rules::services_left_stopped);
  BOOST_REQUIRE(left.size() == 1u);
  BOOST_TEST(left[0]->message ==
             "the Lync services on fe3.example.com are still stopped when the run ends (stopped "
             "by step fe-stop-services); its users stay without service until someone runs "
             "Start-CsWindowsService (DOMAIN.md section 1)");
  std::string readiness;
  for (const auto* v : r.violations_of(check::rules::upgrade_readiness)) readiness += v->message;
  BOOST_TEST(readiness ==
             "the readiness check on fe1.example.com at 22:14:45 finds pool pool.example.com "
             "unable to spare upgrade domain 1 (InsufficientActiveFrontEnds): the plan stops");
}

// 4. The graceful stop drains the users signed in on the front end: ceil(10,001 / 4) = 2,501
// users, times the profile's fraction at the hour the step starts, at 0.7 minutes per 1,000.
BOOST_AUTO_TEST_CASE(the_graceful_stop_lasts_its_base_plus_the_drain_of_the_users_signed_in) {
  ScenarioText text;
  text.users = 10'001;
  text.front_end_timing["fe-stop-services"] =
      R"({"distribution": "fixed", "minutes": 2, "drain_per_1000_users_min": 0.7})";
  // 0.5 every hour but 22:00 (0.3) and 23:00 (0.8); the window opens at 22:30.
  text.profile =
      "[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, "
      "0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.3, 0.8]";
  text.window_start = "22:30";
  text.stages = {{"fe1"}, {"fe3"}};
  model::Scenario scenario = load_ok(text);
  without_reboots(scenario);
  const model::ResolvedPlan plan = resolve(scenario);
  BOOST_TEST(plan.servers.at(0).steps.at(4).drain_users == 2501);
  BOOST_TEST(plan.servers.at(0).steps.at(4).timing.drain_per_thousand_users.count() == 42'000);
  const Run r = run(plan);

  // fe1 stops at 22:34:45 (hour 22): 2,501 x 0.3 = 750.3 users, 42,000 ms x 0.7503 =
  // 31,512.6 ms, rounded to 31,513.
  BOOST_TEST(r.step_ms(plan, "fe1.example.com", "fe-stop-services") == 120'000 + 31'513);
  // fe3's stage starts at 44 min 31.513 s, its stop 4.75 minutes later, at 23:19:16.513
  // (hour 23): 2,501 x 0.8 = 2,000.8 users, 42,000 ms x 2.0008 = 84,033.6 ms, rounded to 84,034.
  BOOST_TEST(r.step_ms(plan, "fe3.example.com", "fe-stop-services") == 120'000 + 84'034);
  BOOST_TEST(r.summary.end.time_since_epoch().count() == 88 * minute + 31'513 + 84'034);
  // No other step drains.
  BOOST_TEST(r.step_ms(plan, "fe1.example.com", "fe-install-update") == 12 * minute);
  BOOST_TEST(r.violations.empty(), violation_text(r));
}

// 5. A runbook edited to skip the gate lets three of four front ends stop: one runs, a pool of
// four needs two. The monitor reports it and the pool's users are disconnected until the first
// front end runs again.
BOOST_AUTO_TEST_CASE(without_the_gate_three_of_four_stopped_lose_quorum_and_disconnect_users) {
  ScenarioText text;
  text.front_end_runbook = std::string(gateless_runbook);
  text.front_end_timing = gateless_timing();
  text.stages = {{"fe1", "fe2", "fe3"}};
  const model::Scenario scenario = load_ok(text);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);

  const auto quorum = r.violations_of(check::rules::pool_quorum);
  BOOST_REQUIRE(quorum.size() == 1u);
  BOOST_TEST(quorum[0]->message ==
             "pool pool.example.com loses quorum at 22:03:00 (step fe-stop-services on "
             "fe3.example.com): 1 of its first 4 front ends run (1 of all 4), and it needs 2; the "
             "remaining front ends stop every Lync service");
  BOOST_TEST(quorum[0]->time.time_since_epoch().count() == 3 * minute);
  // Before it, fe2's stop takes groups 1 4 5 8 9 12 13 16 to one replica; at fe3's, groups 4k+2
  // and 4k+3 lose their second one (fe4's runs), 4k+1 its last (see the top of this suite).
  const auto lost = r.violations_of(check::rules::routing_group_quorum);
  BOOST_REQUIRE(lost.size() == 2u);
  BOOST_TEST(lost[0]->message == eight_groups_lost(1, "22:03:00", "fe2", "fe1", "fe2", "fe3"));
  BOOST_TEST(lost[1]->message == eight_groups_lost(2, "22:03:00", "fe3", "fe2", "fe3", "fe4"));
  BOOST_TEST(r.violations.size() == 3u, violation_text(r));
  // The pool's users lose service when fe3 stops and get it back when fe1 runs again (2 of 4
  // with the witness); the groups' own losses before fe3's stop last no time. fe1's and fe2's
  // stops move the primaries of their groups (1,000 users each); fe3's moves none that count,
  // the pool having stopped. At 14, fe1 gives groups 4k+1 one replica, 4k+3 and 4k+4 two; fe2
  // gives 4k+1 and 4k+2 two.
  BOOST_TEST(user_events(r) ==
                 (std::vector<std::string>{
                     "3 primaries_moved fe1 users 1000",
                     "3 routing_group_quorum_lost fe2 groups 1 4 5 8 9 12 13 16 users 2000",
                     "3 primaries_moved fe2 users 1000",
                     "3 routing_group_stopped fe3 groups 1 5 9 13 users 1000",
                     "3 routing_group_quorum_lost fe3 groups 2 3 6 7 10 11 14 15 users 2000",
                     "3 users_disconnected users 4000",
                     "14 routing_group_quorum_lost fe1 groups 1 5 9 13 users 1000",
                     "14 routing_group_quorum_regained fe1 groups 3 4 7 8 11 12 15 16 users 2000",
                     "14 users_reconnected users 4000",
                     "14 routing_group_quorum_regained fe2 groups 1 2 5 6 9 10 13 14 users 2000"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.impact.users_affected == 4000u);
  BOOST_TEST(r.impact.disconnected_user_ms == 4000 * 11 * minute);
  BOOST_TEST(r.impact.resiliency_user_ms == 0);
  BOOST_TEST(r.impact.users_moved == 2000u);
  BOOST_TEST(r.summary.end.time_since_epoch().count() == 14 * minute);
}

// Two of four stopped keep the table's quorum, but not while the back end, the witness, is down
// (install-update to update-databases, minutes 6 to 11): without it they need a strict majority.
BOOST_AUTO_TEST_CASE(half_the_front_ends_stopped_lose_quorum_while_the_witness_is_down) {
  ScenarioText text;
  text.front_end_runbook = std::string(gateless_runbook);
  text.front_end_timing = gateless_timing();
  text.stages = {{"sql", "fe1", "fe2"}};
  const model::Scenario scenario = load_ok(text);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);

  BOOST_TEST(r.matching("sql backend=") ==
                 (std::vector<std::string>{"6 state_changed sql backend=unavailable",
                                           "11 state_changed sql backend=available"}),
             boost::test_tools::per_element());
  const auto quorum = r.violations_of(check::rules::pool_quorum);
  BOOST_REQUIRE(quorum.size() == 1u);
  BOOST_TEST(quorum[0]->message ==
             "pool pool.example.com loses quorum at 22:06:00 (step install-update on "
             "sql.example.com): its back end, the quorum witness, is unavailable and only 2 of "
             "its 4 front ends run, not a majority; the whole pool stops");
  // fe2's stop at 3 takes groups 1 4 5 8 9 12 13 16 to one replica (see the top of this suite).
  const auto lost = r.violations_of(check::rules::routing_group_quorum);
  BOOST_REQUIRE(lost.size() == 1u);
  BOOST_TEST(host_of(plan, lost[0]->server) == "fe2");
  BOOST_TEST(lost[0]->time.time_since_epoch().count() == 3 * minute);
  BOOST_TEST(r.violations.size() == 2u, violation_text(r));
  BOOST_TEST(
      r.matching("users_") == (std::vector<std::string>{"6 users_disconnected sql users 4000",
                                                        "11 users_reconnected sql users 4000"}),
      boost::test_tools::per_element());
  BOOST_TEST(r.impact.disconnected_user_ms == 4000 * 5 * minute);
  // Those groups' 2,000 users are in resiliency mode while fe1 and fe2 are stopped (3 to 14)
  // but the pool runs: 3 to 6 and 11 to 14, 6 minutes.
  BOOST_TEST(r.impact.resiliency_user_ms == 2000 * 6 * minute);
  BOOST_TEST(r.impact.users_affected == 4000u);
  BOOST_TEST(r.summary.end.time_since_epoch().count() == 14 * minute);
}

// The same two front ends stopped with the back end up: two of four is the table's quorum, and
// the pool keeps it. Its routing groups with two replicas on fe1 and fe2 (groups 1 4 5 8 9 12
// 13 16, 2,000 users; see the top of this suite) lose theirs from 3 to 14.
BOOST_AUTO_TEST_CASE(half_the_front_ends_stopped_keep_pool_quorum_while_the_witness_is_up) {
  ScenarioText text;
  text.front_end_runbook = std::string(gateless_runbook);
  text.front_end_timing = gateless_timing();
  text.stages = {{"fe1", "fe2"}, {"sql"}};
  const model::Scenario scenario = load_ok(text);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);
  BOOST_TEST(r.violations_of(check::rules::pool_quorum).empty(), violation_text(r));
  const auto lost = r.violations_of(check::rules::routing_group_quorum);
  BOOST_REQUIRE(lost.size() == 1u);
  BOOST_TEST(lost[0]->message == eight_groups_lost(1, "22:03:00", "fe2", "fe1", "fe2", "fe3"));
  BOOST_TEST(r.violations.size() == 1u, violation_text(r));
  BOOST_TEST(r.count(TraceKind::users_disconnected) == 0u);
  BOOST_TEST(r.impact.disconnected_user_ms == 0);
  BOOST_TEST(r.impact.users_affected == 2000u);
  BOOST_TEST(r.impact.resiliency_user_ms == 2000 * 11 * minute);
}

// The World's answers, which the gate reads: with sql down, a domain of one may stop in a
// pool of four (three run, a majority), a domain of two may not.
BOOST_AUTO_TEST_CASE(the_world_answers_readiness_from_planned_front_ends_and_the_witness) {
  ScenarioText text;
  text.domains = {{"fe1", "fe2"}, {"fe3"}, {"fe4"}};
  text.stages = {{"sql", "fe1", "fe3"}};
  const model::Scenario scenario = load_ok(text);
  const model::ResolvedPlan plan = resolve(scenario);
  sim::Trace trace;
  sim::World world(plan, trace);
  const model::Conditions stopped{{model::StateVariable::lync_services, model::values::stopped}};
  const model::Conditions down{{model::StateVariable::backend, model::values::unavailable}};
  // Planned servers: 0 sql, 1 fe1, 2 fe3.
  BOOST_TEST(world.upgrade_domain_may_stop(1));  // fe1, fe2 down: 2 of 4 run
  BOOST_TEST(world.upgrade_domain_may_stop(2));
  BOOST_TEST(world.pool_running(0));
  world.apply(0, down, TimePoint{});
  BOOST_TEST(!world.back_end_available(0));
  BOOST_TEST(!world.upgrade_domain_may_stop(1));  // 2 of 4 without the witness
  BOOST_TEST(world.upgrade_domain_may_stop(2));   // 3 of 4
  BOOST_TEST(world.pool_running(0));
  world.apply(2, stopped, TimePoint{});
  BOOST_TEST(!world.front_end_running(0, 2));
  BOOST_TEST(world.front_end_running(0, 1));  // fe2 is not planned: it always runs
  BOOST_TEST(world.front_end_running(0, 3));
  BOOST_TEST(world.pool_running(0));              // 3 of 4
  BOOST_TEST(!world.upgrade_domain_may_stop(1));  // fe4 alone
  BOOST_TEST(world.upgrade_domain_may_stop(2));   // fe3 is down already: 3 of 4
  // sql is not a front end: it may always stop.
  BOOST_TEST(world.upgrade_domain_may_stop(0));
}

// A pool running on its mirror has no witness (docs/domain-notes.md, "The quorum witness
// while a pool runs on its mirror", Gg412996): its databases are available, its quorum is the
// front ends' strict majority alone.
BOOST_AUTO_TEST_CASE(a_pool_on_its_mirror_has_no_witness) {
  ScenarioText text;
  text.domains = {{"fe1", "fe2"}, {"fe3"}, {"fe4"}};
  text.stages = {{"sql", "fe1", "fe3"}};
  const model::Scenario scenario = load_ok(text);
  const model::ResolvedPlan plan = resolve(scenario);
  sim::Trace trace;
  sim::World world(plan, trace);
  // Planned servers: 0 sql, 1 fe1, 2 fe3.
  BOOST_TEST(world.witness_available(0));
  world.apply(0, {{model::StateVariable::database_principal, model::values::on_mirror}},
              TimePoint{});
  BOOST_TEST(world.back_end_available(0));  // the mirror serves: sql's server is not planned
  BOOST_TEST(!world.witness_available(0));
  BOOST_TEST(!world.upgrade_domain_may_stop(1));  // 2 of 4 without the witness
  BOOST_TEST(world.upgrade_domain_may_stop(2));   // 3 of 4
  world.apply(2, {{model::StateVariable::lync_services, model::values::stopped}}, TimePoint{});
  BOOST_TEST(world.pool_running(0));  // 3 of 4
  world.apply(1, {{model::StateVariable::lync_services, model::values::stopped}}, TimePoint{});
  BOOST_TEST(!world.pool_running(0));  // 2 of 4: with the witness it would run
  world.apply(0, {{model::StateVariable::database_principal, model::StateValue{0}}}, TimePoint{});
  BOOST_TEST(world.witness_available(0));
  BOOST_TEST(world.pool_running(0));
}

// model::pool_keeps_running over rows of the table (DOMAIN.md section 3), with and without the
// witness (section 4: then a strict majority of all the front ends as well).
BOOST_AUTO_TEST_CASE(pool_keeps_running_with_and_without_the_witness) {
  // A pool of `size` whose front ends `running` (1-based, topology order) run.
  auto keeps = [](std::size_t size, std::vector<std::size_t> running, bool witness) {
    std::array<bool, 12> flags{};
    for (const std::size_t f : running) flags.at(f - 1) = true;
    return model::pool_keeps_running(size, std::span<const bool>(flags.data(), size), witness);
  };
  // 2 front ends need 1; without the witness, 1 of 2 is no majority.
  BOOST_TEST(keeps(2, {1}, true));
  BOOST_TEST(keeps(2, {2}, true));
  BOOST_TEST(!keeps(2, {1}, false));
  BOOST_TEST(keeps(2, {1, 2}, false));
  BOOST_TEST(!keeps(2, {}, true));
  // 3: any 2, and 2 of 3 is a majority.
  BOOST_TEST(keeps(3, {1, 3}, true));
  BOOST_TEST(keeps(3, {1, 3}, false));
  BOOST_TEST(!keeps(3, {3}, true));
  // 4: any 2; without the witness 3.
  BOOST_TEST(keeps(4, {3, 4}, true));
  BOOST_TEST(!keeps(4, {3, 4}, false));
  BOOST_TEST(keeps(4, {1, 2, 4}, false));
  BOOST_TEST(!keeps(4, {4}, true));
  // 8: any 4 of the first 7; without the witness 5 of 8 as well.
  BOOST_TEST(keeps(8, {1, 2, 3, 4}, true));
  BOOST_TEST(!keeps(8, {1, 2, 3, 4}, false));
  BOOST_TEST(keeps(8, {1, 2, 3, 4, 8}, false));
  BOOST_TEST(!keeps(8, {5, 6, 7, 8}, true));  // 3 of the first 7
  BOOST_TEST(keeps(8, {4, 5, 6, 7, 8}, true));
  BOOST_TEST(keeps(8, {1, 5, 6, 7, 8}, false));  // 4 of the first 7, 5 of 8
  BOOST_TEST(keeps(8, {2, 3, 4, 6, 8}, false));
  BOOST_TEST(!keeps(8, {5, 6, 7, 8}, false));
  // 12: any 5 of the first 9; without the witness 7 of 12 as well.
  BOOST_TEST(keeps(12, {1, 2, 3, 4, 5}, true));
  BOOST_TEST(!keeps(12, {1, 2, 3, 4, 5}, false));
  BOOST_TEST(!keeps(12, {1, 2, 3, 4, 5, 10}, false));  // 6 of 12: half, not more
  BOOST_TEST(keeps(12, {1, 2, 3, 4, 5, 10, 11}, false));
  BOOST_TEST(!keeps(12, {6, 7, 8, 9, 10, 11, 12}, true));  // 4 of the first 9
  BOOST_TEST(!keeps(12, {6, 7, 8, 9, 10, 11, 12}, false));
  BOOST_TEST(keeps(12, {5, 6, 7, 8, 9, 10, 11}, false));  // 5 of the first 9, 7 of 12
  // No front ends: no pool.
  BOOST_TEST(!keeps(0, {}, true));
}

// 6. What the loader refuses: a front end planned without a front-end runbook (once, at its
// first mention in the plan), and a front-end runbook reusing a step id of the runbook.
BOOST_AUTO_TEST_CASE(a_front_end_needs_a_front_end_runbook) {
  ScenarioText text;
  text.front_end_runbook.clear();
  text.front_end_timing.clear();
  text.stages = {{"sql", "fe1"}, {"fe2"}};
  BOOST_TEST(rendered(load(text)) ==
                 std::vector<std::string>{
                     "fe.json: error: /plan/stages/0/1: \"fe1.example.com\" is a front end, and "
                     "the scenario has no \"front_end_runbook\"; add one (the shipped one is "
                     "\"frontend-update\")"},
             boost::test_tools::per_element());
  // Without front ends in the plan, the scenario loads.
  text.stages = {{"sql"}};
  BOOST_TEST(load(text).has_value());
}

BOOST_AUTO_TEST_CASE(a_front_end_runbook_step_id_must_differ_from_the_runbook_s) {
  ScenarioText text;
  std::string runbook(gateless_runbook);
  runbook.replace(runbook.find("\"fe-stop-services\""), 18, "\"stop-services\"");
  text.front_end_runbook = runbook;
  text.front_end_timing = gateless_timing();
  text.front_end_timing.erase("fe-stop-services");
  text.stages = {{"fe1"}};
  BOOST_TEST(rendered(load(text)) ==
                 std::vector<std::string>{
                     "fe.json: error: /front_end_runbook: step id \"stop-services\" is also a step "
                     "of \"runbook\"; the front-end runbook's step ids must differ, since timing "
                     "is keyed by step id"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
