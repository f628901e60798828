// The exhaustive plan check: what it proves, the counterexamples it finds, and that every
// counterexample replays in the simulator with the same violation.

#include <algorithm>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lyncupdate/checker/verify.hpp"
#include "lyncupdate/model/resolve.hpp"
#include "verify_support.hpp"

using namespace lyncupdate;
using namespace lyncupdate::verify_test;

BOOST_AUTO_TEST_SUITE(verify)

BOOST_AUTO_TEST_CASE(servers_one_after_another_prove_clean_with_the_longest_window) {
  model::Scenario s = scenario();
  s.plan.stages = {{"mirror.example.com"}, {"sql.example.com"}, {"se1.example.com"}};
  const Planned p = planned(s);
  const check::VerifyResult result = check::verify_plan(p.plan);
  BOOST_TEST(static_cast<int>(result.status) == static_cast<int>(check::VerifyStatus::proved));
  BOOST_TEST(result.longest_window == std::chrono::minutes(18));
  BOOST_TEST(result.operators == 3U);  // one per server
  BOOST_TEST(result.choice_points == 0U);
  BOOST_TEST(result.states == 10U);  // the start, and one state after each of the nine ends
}

BOOST_AUTO_TEST_CASE(one_operator_on_two_servers_can_stretch_an_outage_past_the_limit) {
  // Alone, se1 is down 5 minutes. One operator who leaves it down to work on se2 keeps it
  // down longer: b (2), then se2's a, b, c (6), then se1's c (3): 11 minutes.
  model::Scenario s = scenario();
  s.plan.stages = {{"se1.example.com", "se2.example.com"}};
  s.plan.operators = 1;
  s.limits.backend_outage_limit = std::chrono::minutes(11);
  Planned p = planned(s);
  check::VerifyResult result = check::verify_plan(p.plan);
  BOOST_REQUIRE(static_cast<int>(result.status) == static_cast<int>(check::VerifyStatus::violated));
  BOOST_TEST(found(p, result) == "backend-outage-limit se1.example.com 12");
  BOOST_TEST(result.choice_points > 0U);
  // The counterexample: se1 taken down at 1, the operator goes to se2.
  BOOST_REQUIRE(result.counterexample.size() >= 4U);
  BOOST_TEST(result.counterexample[2].start);
  BOOST_TEST(p.plan.servers[result.counterexample[2].server].target.fqdn == "se1.example.com");
  BOOST_TEST(result.counterexample[4].start);
  BOOST_TEST(p.plan.servers[result.counterexample[4].server].target.fqdn == "se2.example.com");
  BOOST_TEST(contains(replayed(s, result), "backend-outage-limit se1.example.com 12"));

  // One minute more of limit and no order reaches it.
  s.limits.backend_outage_limit = std::chrono::minutes(12);
  p = planned(s);
  result = check::verify_plan(p.plan);
  BOOST_TEST(static_cast<int>(result.status) == static_cast<int>(check::VerifyStatus::proved));
  BOOST_TEST(result.longest_window == std::chrono::minutes(12));
}

BOOST_AUTO_TEST_CASE(a_back_end_and_its_mirror_in_one_stage_can_be_down_together) {
  model::Scenario s = scenario();
  s.plan.stages = {{"sql.example.com", "mirror.example.com"}};
  Planned p = planned(s);
  check::VerifyResult result = check::verify_plan(p.plan);
  BOOST_TEST(found(p, result) == "mirror-pair-down mirror.example.com 1");
  BOOST_TEST(contains(replayed(s, result), "mirror-pair-down mirror.example.com 1"));
  // One operator does not help: they can take the second down while the first is.
  s.plan.operators = 1;
  p = planned(s);
  result = check::verify_plan(p.plan);
  BOOST_REQUIRE(result.violation.has_value());
  BOOST_TEST(result.violation->rule == check::rules::mirror_pair_down);
  BOOST_TEST(contains(replayed(s, result), found(p, result)));
  // The mirror first, then the principal: proved.
  s.plan.stages = {{"mirror.example.com"}, {"sql.example.com"}};
  p = planned(s);
  BOOST_TEST(static_cast<int>(check::verify_plan(p.plan).status) ==
             static_cast<int>(check::VerifyStatus::proved));
}

// DOMAIN.md section 4: once the principal has failed over, the mirror serves the pool; taking
// it down then leaves no copy online, though the principal itself is available.
// The principal fails over to its mirror (f), is updated (u) and fails back (g).
model::Scenario failing_over() {
  model::Scenario s = scenario();
  const model::Condition down{model::StateVariable::backend, model::values::unavailable};
  const model::Condition back{model::StateVariable::backend, model::values::available};
  const model::Condition on_mirror{model::StateVariable::database_principal,
                                   model::values::on_mirror};
  const model::Condition here{model::StateVariable::database_principal, 0};
  model::Runbook mirrored;
  mirrored.steps = {step("f", {down}, {back, on_mirror}), step("u", {}, {}),
                    step("g", {down}, {back, here})};
  s.mirrored_backend_runbook = mirrored;
  s.timing.steps.insert({{"f", fixed(1)}, {"u", fixed(4)}, {"g", fixed(1)}});
  return s;
}

// A failover to a mirror that is still being updated breaks the rule the planner holds
// (model/mirror_failover.hpp) before the mirror, serving the pool, goes down: the first breach
// is the failover itself.
BOOST_AUTO_TEST_CASE(a_failover_to_a_mirror_whose_update_has_not_finished_is_found_first) {
  model::Scenario s = failing_over();
  s.plan.stages = {{"sql.example.com", "mirror.example.com"}};
  Planned p = planned(s);
  check::VerifyResult result = check::verify_plan(p.plan);
  BOOST_TEST(found(p, result) == "failover-to-unupdated-mirror sql.example.com 0");
  BOOST_REQUIRE(result.violation.has_value());
  BOOST_TEST(result.violation->message ==
             "sql.example.com can start f at 22:00:00, failing the databases of pool "
             "pool.example.com over to mirror.example.com before its update has finished "
             "(DOMAIN.md section 4: update the mirror first)");
  BOOST_TEST(contains(replayed(s, result), "failover-to-unupdated-mirror sql.example.com 0"));
  // The same rule when the mirror is updated after its principal, or not at all.
  s.plan.stages = {{"sql.example.com"}, {"mirror.example.com"}};
  p = planned(s);
  result = check::verify_plan(p.plan);
  BOOST_TEST(found(p, result) == "failover-to-unupdated-mirror sql.example.com 0");
  s.plan.stages = {{"sql.example.com"}};
  p = planned(s);
  result = check::verify_plan(p.plan);
  BOOST_REQUIRE(result.violation.has_value());
  BOOST_TEST(result.violation->message ==
             "sql.example.com can start f at 22:00:00, failing the databases of pool "
             "pool.example.com over to mirror.example.com when the plan does not update it "
             "(DOMAIN.md section 4: update the mirror first)");
  // The mirror first, as the planner orders it: proved.
  s.plan.stages = {{"mirror.example.com"}, {"sql.example.com"}};
  p = planned(s);
  BOOST_TEST(static_cast<int>(check::verify_plan(p.plan).status) ==
             static_cast<int>(check::VerifyStatus::proved));
}

// A mirror's own outage is not judged against the limit (the principal serves the pool); the
// principal's is.
BOOST_AUTO_TEST_CASE(a_mirror_down_past_the_limit_is_no_breach_but_its_principal_is) {
  model::Scenario s = scenario();
  s.timing.servers["mirror.example.com"]["b"] = fixed(40);
  s.timing.servers["sql.example.com"]["b"] = fixed(40);
  s.plan.stages = {{"mirror.example.com"}, {"sql.example.com"}};
  Planned p = planned(s);
  const check::VerifyResult result = check::verify_plan(p.plan);
  BOOST_TEST(found(p, result) == "backend-outage-limit sql.example.com 75");
  s.plan.stages = {{"mirror.example.com"}};
  p = planned(s);
  BOOST_TEST(static_cast<int>(check::verify_plan(p.plan).status) ==
             static_cast<int>(check::VerifyStatus::proved));
}

BOOST_AUTO_TEST_CASE(at_most_k_servers_down_at_once) {
  model::Scenario s = scenario();
  s.plan.stages = {{"se1.example.com", "se2.example.com", "sql.example.com"}};
  s.limits.max_servers_down = 2;
  Planned p = planned(s);
  check::VerifyResult result = check::verify_plan(p.plan);
  BOOST_TEST(found(p, result) == "servers-down-limit sql.example.com 1");
  BOOST_TEST(contains(replayed(s, result), "servers-down-limit sql.example.com 1"));
  // Two operators: the third server can still go down while two are (an operator leaves a
  // server down to start another).
  check::VerifyOptions two;
  two.operators = 2;
  result = check::verify_plan(p.plan, two);
  BOOST_REQUIRE(result.violation.has_value());
  BOOST_TEST(result.violation->rule == check::rules::servers_down_limit);
  BOOST_TEST(contains(replayed(s, result), found(p, result)));
  // Allowing three: proved.
  check::VerifyOptions three;
  three.max_servers_down = 3;
  BOOST_TEST(static_cast<int>(check::verify_plan(p.plan, three).status) ==
             static_cast<int>(check::VerifyStatus::proved));
}

BOOST_AUTO_TEST_CASE(the_window_is_checked_at_the_latest_end) {
  model::Scenario s = scenario();
  s.plan.stages = {{"se1.example.com"}, {"se2.example.com"}};
  s.limits.window_length = std::chrono::minutes(11);
  const Planned p = planned(s);
  const check::VerifyResult result = check::verify_plan(p.plan);
  BOOST_TEST(found(p, result) == "window-overrun - 12");
  BOOST_TEST(contains(replayed(s, result), "window-overrun - 12"));
}

BOOST_AUTO_TEST_CASE(an_unbounded_step_proves_nothing_and_names_the_step) {
  model::Scenario s = scenario();
  s.plan.stages = {{"se1.example.com"}};
  model::StepTiming lognormal;
  lognormal.duration.kind = model::Distribution::Kind::lognormal;
  lognormal.duration.median = std::chrono::minutes(2);
  lognormal.duration.p95 = std::chrono::minutes(4);
  s.timing.steps["b"] = lognormal;
  const Planned p = planned(s);
  const check::VerifyResult result = check::verify_plan(p.plan);
  BOOST_TEST(static_cast<int>(result.status) == static_cast<int>(check::VerifyStatus::unbounded));
  BOOST_TEST(result.stop_reason.find("b on se1.example.com") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_state_bound_stops_the_search_and_says_so) {
  model::Scenario s = scenario();
  s.plan.stages = {{"se1.example.com", "se2.example.com", "sql.example.com"}};
  s.plan.operators = 1;
  s.limits.backend_outage_limit = std::chrono::hours(10);
  const Planned p = planned(s);
  check::VerifyOptions bounded;
  bounded.max_states = 5;
  const check::VerifyResult result = check::verify_plan(p.plan, bounded);
  BOOST_TEST(static_cast<int>(result.status) == static_cast<int>(check::VerifyStatus::incomplete));
  BOOST_TEST(result.states == 5U);
  BOOST_TEST(result.stop_reason == "the bound of 5 states was reached");
  // Unbounded, the same plan proves, and hashing keeps orders of independent steps apart
  // from the count: fewer states than transitions.
  const check::VerifyResult full = check::verify_plan(p.plan);
  BOOST_TEST(static_cast<int>(full.status) == static_cast<int>(check::VerifyStatus::proved));
  BOOST_TEST(full.states < full.transitions);
}

BOOST_AUTO_TEST_CASE(the_same_plan_gives_the_same_result_every_time) {
  model::Scenario s = scenario();
  s.plan.stages = {{"se1.example.com", "se2.example.com", "sql.example.com"}};
  s.plan.operators = 2;
  s.limits.backend_outage_limit = std::chrono::minutes(9);
  const Planned p = planned(s);
  const check::VerifyResult a = check::verify_plan(p.plan);
  const check::VerifyResult b = check::verify_plan(p.plan);
  BOOST_TEST(a.states == b.states);
  BOOST_TEST(found(p, a) == found(p, b));
  BOOST_TEST((a.schedule == b.schedule));
  BOOST_TEST(contains(replayed(s, a), found(p, a)));
}

BOOST_AUTO_TEST_CASE(the_reduction_changes_nothing_but_the_number_of_states) {
  // Every combination of a few plans, operators, outage limits, windows and limits on servers
  // down: the outage limits straddle the longest outages each plan allows (some servers can
  // be forgotten as safe, some not), the windows straddle the longest plan (some stage starts
  // are rebased, some not).
  const std::vector<std::vector<std::vector<std::string>>> plans = {
      {{"se1.example.com", "se2.example.com"}},
      {{"se1.example.com", "se2.example.com", "sql.example.com"}},
      {{"mirror.example.com", "se1.example.com"}, {"sql.example.com", "se2.example.com"}},
      {{"se1.example.com"}, {"se2.example.com", "sql.example.com"}, {"mirror.example.com"}},
      {{"sql.example.com", "mirror.example.com", "se1.example.com", "se2.example.com"}},
  };
  const Sweep sweep =
      sweep_either_way(&check::VerifyOptions::reduce, scenario(), plans,
                       {5, 6, 8, 9, 11, 12, 14, 17, 30}, {12, 18, 24, 30, 45, 240}, {}, "");
  // Both verdicts are well represented, and the reduction merged states in many searches.
  expect_both_verdicts_and_fewer_states(sweep);
}

BOOST_AUTO_TEST_CASE(without_the_timing_limits_every_stage_start_is_rebased_exactly) {
  // Without the outage limit and the window in the proof (--order-only), no monitor reads the
  // time: every stage that starts with every server available starts at one time, whatever
  // the window. The same plans as above, with limits on servers down and mirror pairs left.
  const std::vector<std::vector<std::vector<std::string>>> plans = {
      {{"se1.example.com", "se2.example.com"}, {"sql.example.com"}, {"mirror.example.com"}},
      {{"mirror.example.com", "se1.example.com"}, {"sql.example.com", "se2.example.com"}},
      {{"se1.example.com"}, {"se2.example.com", "sql.example.com"}, {"mirror.example.com"}},
      {{"sql.example.com", "mirror.example.com"}, {"se1.example.com", "se2.example.com"}},
  };
  check::VerifyOptions order_only;
  order_only.timing_limits = false;
  Sweep sweep = sweep_either_way(&check::VerifyOptions::reduce, scenario(), plans, {5, 30},
                                 {12, 240}, order_only, "order only, ");
  BOOST_TEST_MESSAGE(sweep.violated << " violated, " << sweep.proved << " proved, " << sweep.fewer
                                    << " with fewer states");
  BOOST_TEST(sweep.violated > 10U);
  BOOST_TEST(sweep.proved > 10U);
  // Two operators on se1 (slower), se2 and sql: the first stage ends at several times. A
  // window of 12 minutes cannot be met, so with it in the proof no stage start is rebased;
  // without it every one is, and the search is the one a window of four hours gives.
  model::Scenario s = scenario();
  s.timing.servers["se1.example.com"]["a"] = fixed(4);
  s.plan.stages = {{"se1.example.com", "se2.example.com", "sql.example.com"},
                   {"mirror.example.com"}};
  s.plan.operators = 2;
  s.limits.window_length = std::chrono::minutes(12);
  const Planned p = planned(s);
  std::uint64_t plain = 0;
  const check::VerifyResult reduced =
      same_either_way(&check::VerifyOptions::reduce, p, order_only, "window 12", &plain);
  BOOST_TEST(static_cast<int>(reduced.status) == static_cast<int>(check::VerifyStatus::proved));
  BOOST_TEST(reduced.states < plain);
  s.limits.window_length = std::chrono::hours(4);
  const check::VerifyResult wide = check::verify_plan(planned(s).plan, order_only);
  BOOST_TEST(reduced.states == wide.states);
  BOOST_TEST(reduced.longest_window.count() == wide.longest_window.count());
}

BOOST_AUTO_TEST_CASE(a_violation_only_one_interleaving_reaches_is_found_the_same_way_reduced) {
  // A first stage, then se1 and se2 with one operator: se1 stays down past 11 minutes only if
  // the operator leaves it after b to run all of se2 (the stage starts at 6, so 6 + 1 + 11).
  // The reduced search rebases the second stage's start and forgets se2's outage when it is
  // safe; the counterexample is the same and in real time.
  model::Scenario s = scenario();
  s.plan.stages = {{"mirror.example.com"}, {"se1.example.com", "se2.example.com"}};
  s.plan.operators = 1;
  s.limits.backend_outage_limit = std::chrono::minutes(11);
  const Planned p = planned(s);
  const check::VerifyResult result =
      same_either_way(&check::VerifyOptions::reduce, p, {}, "one operator");
  BOOST_REQUIRE(result.violation.has_value());
  BOOST_TEST(found(p, result) == "backend-outage-limit se1.example.com 18");
  BOOST_TEST(contains(replayed(s, result), "backend-outage-limit se1.example.com 18"));
  // Only the one interleaving: b of se1, then a, b, c of se2, then c of se1.
  std::vector<std::string> starts;
  for (const model::ResolvedStart& start : result.schedule) {
    starts.push_back(p.plan.servers[start.server].target.fqdn.substr(0, 3) + ":" +
                     p.plan.servers[start.server].steps[start.step].definition->id);
  }
  const std::vector<std::string> expected = {"mir:a", "mir:b", "mir:c", "se1:a", "se1:b",
                                             "se2:a", "se2:b", "se2:c", "se1:c"};
  BOOST_TEST(starts == expected, boost::test_tools::per_element());
  // A minute more of limit: proved, with the same longest window.
  s.limits.backend_outage_limit = std::chrono::minutes(12);
  const Planned q = planned(s);
  const check::VerifyResult ok = same_either_way(&check::VerifyOptions::reduce, q, {}, "limit 12");
  BOOST_TEST(static_cast<int>(ok.status) == static_cast<int>(check::VerifyStatus::proved));
  BOOST_TEST(ok.longest_window == std::chrono::minutes(18));
}

BOOST_AUTO_TEST_CASE(the_reduction_explores_each_stage_once_whatever_the_previous_ones_took) {
  // Two operators on three servers whose steps differ in length: the first stage can end at
  // several times, and without the reduction the second stage is explored once for each.
  model::Scenario s = scenario();
  s.timing.servers["se1.example.com"]["a"] = fixed(4);
  s.timing.servers["mirror.example.com"]["c"] = fixed(7);
  s.plan.stages = {{"se1.example.com", "se2.example.com", "mirror.example.com"},
                   {"sql.example.com"}};
  s.limits.backend_outage_limit = std::chrono::hours(2);
  const Planned p = planned(s);
  check::VerifyOptions two;
  two.operators = 2;
  const check::VerifyResult reduced =
      same_either_way(&check::VerifyOptions::reduce, p, two, "rebased");
  two.reduce = false;
  const check::VerifyResult plain = check::verify_plan(p.plan, two);
  BOOST_TEST(static_cast<int>(reduced.status) == static_cast<int>(check::VerifyStatus::proved));
  BOOST_TEST(reduced.states < plain.states);
  // A window that the longest ordering overruns: no stage start is rebased then, and the
  // overrun is found the same way.
  s.limits.window_length = reduced.longest_window - std::chrono::minutes(1);
  const Planned q = planned(s);
  two.reduce = true;
  const check::VerifyResult overrun =
      same_either_way(&check::VerifyOptions::reduce, q, two, "overrun");
  BOOST_REQUIRE(overrun.violation.has_value());
  BOOST_TEST(overrun.violation->rule == check::rules::window_overrun);
  BOOST_TEST(contains(replayed(s, overrun), found(q, overrun)));
}

BOOST_AUTO_TEST_SUITE_END()
