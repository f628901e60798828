#include <algorithm>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>

#include "lyncupdate/simulator/executor.hpp"

using namespace lyncupdate;
using namespace lyncupdate::sim;
using model::Condition;
using model::StateVariable;
using std::chrono::minutes;

namespace {

model::RunbookStep step(std::string id, model::Conditions on_start, model::Conditions on_finish) {
  model::RunbookStep s;
  s.id = std::move(id);
  s.title = s.id;
  s.kind = model::StepKind::manual;
  s.article_step = 1;
  s.on_start = std::move(on_start);
  s.on_finish = std::move(on_finish);
  return s;
}

model::StepTiming fixed(int m, double failure = 0.0) {
  model::StepTiming t;
  t.duration.low = minutes(m);
  t.failure_probability = failure;
  return t;
}

// One back end and one Standard Edition server; a three-step runbook taking 1, 2 and 3
// minutes; the back end is unavailable from the start of "b" to the end of "c".
model::Scenario small_scenario() {
  model::Scenario s;
  s.name = "small";
  model::EnterprisePool pool;
  pool.fqdn = "pool.example.com";
  pool.front_ends = {"fe1.example.com"};
  pool.back_end.fqdn = "sql.example.com";
  s.topology.pools.push_back(pool);
  s.topology.standard_edition_servers.push_back({"se.example.com", 10, std::nullopt, {}});
  const Condition unavailable{StateVariable::backend, model::values::unavailable};
  const Condition available{StateVariable::backend, model::values::available};
  s.runbook.steps = {step("a", {}, {}), step("b", {unavailable}, {}), step("c", {}, {available})};
  s.timing.steps = {{"a", fixed(1)}, {"b", fixed(2)}, {"c", fixed(3)}};
  return s;
}

// The trace as one line per event: "minute kind server step".
std::vector<std::string> lines(const model::ResolvedPlan& plan,
                               std::span<const TraceEvent> events) {
  static constexpr const char* kinds[] = {
      "run_started",   "stage_started", "step_started", "step_finished",  "step_failed",
      "state_changed", "plan_stopped",  "run_finished", "reboot_started", "reboot_finished"};
  std::vector<std::string> out;
  for (const TraceEvent& e : events) {
    // The user model's events are tested in tests/users.
    if (static_cast<std::size_t>(e.kind) >= std::size(kinds)) continue;
    std::string line = fmt::format("{} {}", e.time.time_since_epoch().count() / 60'000,
                                   kinds[static_cast<int>(e.kind)]);
    if (e.server != no_index) line += " " + plan.servers[e.server].target.fqdn.substr(0, 3);
    if (e.step != no_index) line += " " + plan.servers[e.server].steps[e.step].definition->id;
    if (e.kind == TraceKind::state_changed) {
      line += fmt::format(" {}={}", model::variable_name(e.variable),
                          model::value_name(e.variable, e.to));
    }
    if (e.attempt > 1) line += fmt::format(" attempt {}", e.attempt);
    out.push_back(line);
  }
  return out;
}

std::vector<std::string> run(const model::Scenario& scenario, RunSummary* summary = nullptr) {
  auto plan = model::resolve_plan(scenario);
  BOOST_REQUIRE(plan.has_value());
  TraceRecorder recorder;
  TraceObserver* observers[] = {&recorder};
  const RunSummary result = simulate_run(*plan, 1, 0, observers);
  if (summary != nullptr) *summary = result;
  return lines(*plan, recorder.events());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(executor)

BOOST_AUTO_TEST_CASE(stages_run_in_sequence_and_steps_in_runbook_order) {
  model::Scenario s = small_scenario();
  s.plan.stages = {{"sql.example.com"}, {"se.example.com"}};
  RunSummary summary;
  const std::vector<std::string> expected{
      "0 run_started",          "0 stage_started",      "0 step_started sql a",
      "1 step_finished sql a",  "1 step_started sql b", "1 state_changed sql backend=unavailable",
      "3 step_finished sql b",  "3 step_started sql c", "6 state_changed sql backend=available",
      "6 step_finished sql c",  "6 stage_started",      "6 step_started se. a",
      "7 step_finished se. a",  "7 step_started se. b", "7 state_changed se. backend=unavailable",
      "9 step_finished se. b",  "9 step_started se. c", "12 state_changed se. backend=available",
      "12 step_finished se. c", "12 run_finished",
  };
  BOOST_TEST(run(s, &summary) == expected, boost::test_tools::per_element());
  BOOST_TEST(summary.end.time_since_epoch().count() == 12 * 60'000);
  BOOST_TEST(!summary.stopped);
}

BOOST_AUTO_TEST_CASE(servers_of_one_stage_run_at_the_same_time) {
  model::Scenario s = small_scenario();
  s.plan.stages = {{"sql.example.com", "se.example.com"}};
  RunSummary summary;
  const auto trace = run(s, &summary);
  BOOST_TEST(trace.at(2) == "0 step_started sql a");
  BOOST_TEST(trace.at(3) == "0 step_started se. a");
  BOOST_TEST(trace.back() == "6 run_finished");
}

BOOST_AUTO_TEST_CASE(a_failed_step_stops_the_plan_after_steps_in_flight_end) {
  model::Scenario s = small_scenario();
  s.plan.stages = {{"sql.example.com", "se.example.com"}};
  s.timing.servers["sql.example.com"]["b"] = fixed(2, 1.0);  // always fails
  s.timing.servers["se.example.com"]["b"] = fixed(4);
  RunSummary summary;
  const std::vector<std::string> expected{
      "0 run_started",
      "0 stage_started",
      "0 step_started sql a",
      "0 step_started se. a",
      // Every step ending at an instant ends before operators take the next ones.
      "1 step_finished sql a",
      "1 step_finished se. a",
      "1 step_started sql b",
      "1 state_changed sql backend=unavailable",
      "1 step_started se. b",
      "1 state_changed se. backend=unavailable",
      "3 step_failed sql b",
      "3 plan_stopped sql b",
      "5 step_finished se. b",
      "5 run_finished",
  };
  BOOST_TEST(run(s, &summary) == expected, boost::test_tools::per_element());
  BOOST_TEST(summary.stopped);
}

// Only the step starts of a trace, "minute server step".
std::vector<std::string> starts(const std::vector<std::string>& trace) {
  std::vector<std::string> out;
  for (const std::string& line : trace) {
    if (line.find(" step_started ") == std::string::npos) continue;
    out.push_back(line.substr(0, line.find(' ')) + line.substr(line.find(" step_started") + 13));
  }
  return out;
}

BOOST_AUTO_TEST_CASE(one_operator_serves_the_waiting_server_first_in_the_plan) {
  model::Scenario s = small_scenario();
  s.plan.stages = {{"sql.example.com", "se.example.com"}};
  s.plan.operators = 1;
  RunSummary summary;
  const std::vector<std::string> expected{"0 sql a", "1 sql b", "3 sql c",
                                          "6 se. a", "7 se. b", "9 se. c"};
  BOOST_TEST(starts(run(s, &summary)) == expected, boost::test_tools::per_element());
  BOOST_TEST(summary.end.time_since_epoch().count() == 12 * 60'000);
}

BOOST_AUTO_TEST_CASE(a_schedule_fixes_the_order_in_which_operators_start_steps) {
  model::Scenario s = small_scenario();
  s.plan.stages = {{"sql.example.com", "se.example.com"}};
  s.plan.operators = 1;
  for (const char* step : {"a", "b", "c"}) {
    s.plan.schedule.push_back({"sql.example.com", step});
    s.plan.schedule.push_back({"se.example.com", step});
  }
  const std::vector<std::string> trace = run(s);
  const std::vector<std::string> expected{"0 sql a", "1 se. a", "2 sql b",
                                          "4 se. b", "6 sql c", "9 se. c"};
  BOOST_TEST(starts(trace) == expected, boost::test_tools::per_element());
  // The back end stays down while the operator works on the other server.
  BOOST_TEST(std::ranges::count(trace, "2 state_changed sql backend=unavailable") == 1);
  BOOST_TEST(std::ranges::count(trace, "9 state_changed sql backend=available") == 1);
  BOOST_TEST(trace.back() == "12 run_finished");
}

BOOST_AUTO_TEST_CASE(two_operators_run_two_steps_at_once_and_no_more) {
  model::Scenario s = small_scenario();
  s.topology.standard_edition_servers.push_back({"se2.example.com", 10, std::nullopt, {}});
  s.plan.stages = {{"sql.example.com", "se.example.com", "se2.example.com"}};
  s.plan.operators = 2;
  const std::vector<std::string> expected{"0 sql a", "0 se. a", "1 sql b", "1 se. b", "3 sql c",
                                          "3 se. c", "6 se2 a", "7 se2 b", "9 se2 c"};
  BOOST_TEST(starts(run(s)) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_operator_is_free_while_a_failed_step_waits_for_its_retry) {
  model::Scenario s = small_scenario();
  s.plan.stages = {{"sql.example.com", "se.example.com"}};
  s.plan.operators = 1;
  s.runbook.steps[0].retry = model::RetryPolicy{2, std::chrono::minutes(10)};
  s.timing.servers["sql.example.com"]["a"] = fixed(1, 1.0);  // both attempts fail
  RunSummary summary;
  const std::vector<std::string> trace = run(s, &summary);
  // sql's first attempt fails at 1; se works during the delay; sql's retry at 11 waits for
  // the operator (se's b runs 2-4, its c 4-7), then fails and stops the plan.
  const std::vector<std::string> expected{"0 sql a", "1 se. a", "2 se. b", "4 se. c",
                                          "11 sql a attempt 2"};
  BOOST_TEST(starts(trace) == expected, boost::test_tools::per_element());
  BOOST_TEST(summary.stopped);
}

BOOST_AUTO_TEST_CASE(same_seed_same_trace_and_another_seed_other_timings) {
  model::Scenario s = small_scenario();
  s.plan.stages = {{"sql.example.com"}, {"se.example.com"}};
  model::StepTiming t;
  t.duration.kind = model::Distribution::Kind::lognormal;
  t.duration.median = minutes(10);
  t.duration.p95 = minutes(20);
  s.timing.steps["b"] = t;
  auto plan = model::resolve_plan(s);
  BOOST_REQUIRE(plan.has_value());
  auto times = [&](std::uint64_t seed) {
    TraceRecorder recorder;
    TraceObserver* observers[] = {&recorder};
    simulate_run(*plan, seed, 0, observers);
    std::vector<std::int64_t> out;
    for (const auto& e : recorder.events()) out.push_back(e.time.time_since_epoch().count());
    return out;
  };
  BOOST_TEST(times(7) == times(7));
  BOOST_TEST(times(7) != times(8));
}

BOOST_AUTO_TEST_CASE(a_step_with_a_retry_policy_is_tried_again_after_the_delay_then_stops) {
  model::Scenario s = small_scenario();
  s.plan.stages = {{"sql.example.com"}};
  s.runbook.steps[1].retry = model::RetryPolicy{3, minutes(5)};
  s.timing.steps["b"] = fixed(2, 1.0);  // every attempt fails
  RunSummary summary;
  const std::vector<std::string> expected{
      "0 run_started",
      "0 stage_started",
      "0 step_started sql a",
      "1 step_finished sql a",
      "1 step_started sql b",
      "1 state_changed sql backend=unavailable",
      "3 step_failed sql b",
      "8 step_started sql b attempt 2",
      "10 step_failed sql b attempt 2",
      "15 step_started sql b attempt 3",
      "17 step_failed sql b attempt 3",
      "17 plan_stopped sql b attempt 3",
      "17 run_finished",
  };
  BOOST_TEST(run(s, &summary) == expected, boost::test_tools::per_element());
  BOOST_TEST(summary.stopped);
  BOOST_TEST(summary.end.time_since_epoch().count() == 17 * 60'000);
}

BOOST_AUTO_TEST_CASE(a_retry_that_succeeds_lets_the_plan_go_on) {
  model::Scenario s = small_scenario();
  s.plan.stages = {{"sql.example.com"}};
  s.runbook.steps[1].retry = model::RetryPolicy{2, minutes(5)};
  s.timing.steps["b"] = fixed(2, 0.5);
  auto plan = model::resolve_plan(s);
  BOOST_REQUIRE(plan.has_value());
  // Find a run whose first attempt fails and whose second succeeds: the plan completes.
  bool seen = false;
  for (std::uint64_t run_index = 0; run_index < 64 && !seen; ++run_index) {
    TraceRecorder recorder;
    TraceObserver* observers[] = {&recorder};
    const RunSummary summary = simulate_run(*plan, 1, run_index, observers);
    int failures = 0;
    for (const auto& e : recorder.events()) failures += e.kind == TraceKind::step_failed ? 1 : 0;
    if (failures != 1) continue;
    seen = true;
    BOOST_TEST(!summary.stopped);
    // a 1 min, b fails at 3, retried at 8, done at 10, c done at 13.
    BOOST_TEST(summary.end.time_since_epoch().count() == 13 * 60'000);
  }
  BOOST_TEST(seen);
}

BOOST_AUTO_TEST_CASE(a_plan_stopped_elsewhere_abandons_a_pending_retry) {
  model::Scenario s = small_scenario();
  s.plan.stages = {{"sql.example.com", "se.example.com"}};
  s.runbook.steps[1].retry = model::RetryPolicy{2, minutes(5)};
  s.timing.servers["sql.example.com"]["b"] = fixed(2, 1.0);
  s.timing.servers["se.example.com"]["a"] = fixed(4, 1.0);
  s.runbook.steps[0].retry = std::nullopt;
  const auto trace = run(s);
  // sql's b fails at 3 and waits for 8; se's a fails at 4 without retry and stops the plan.
  BOOST_TEST(trace.at(trace.size() - 3) == "4 step_failed se. a");
  BOOST_TEST(trace.at(trace.size() - 2) == "4 plan_stopped se. a");
  BOOST_TEST(trace.back() == "8 run_finished");
}

BOOST_AUTO_TEST_CASE(reboot_required_extends_the_install_step_and_is_traced) {
  model::Scenario s = small_scenario();
  s.plan.stages = {{"sql.example.com"}};
  s.runbook.steps[1].kind = model::StepKind::install;
  s.runbook.steps[1].command = "LyncServerUpdateInstaller.exe /silentmode";
  s.runbook.steps[1].reboot_required = model::RebootOutcome{1.0, minutes(4)};
  RunSummary summary;
  const std::vector<std::string> expected{
      "0 run_started",
      "0 stage_started",
      "0 step_started sql a",
      "1 step_finished sql a",
      "1 step_started sql b",
      "1 state_changed sql backend=unavailable",
      "3 reboot_started sql b",
      "7 reboot_finished sql b",
      "7 step_finished sql b",
      "7 step_started sql c",
      "10 state_changed sql backend=available",
      "10 step_finished sql c",
      "10 run_finished",
  };
  BOOST_TEST(run(s, &summary) == expected, boost::test_tools::per_element());
  BOOST_TEST(!summary.stopped);
}

BOOST_AUTO_TEST_CASE(a_reboot_probability_of_zero_draws_nothing) {
  model::Scenario s = small_scenario();
  s.plan.stages = {{"sql.example.com"}};
  model::StepTiming t;
  t.duration.kind = model::Distribution::Kind::lognormal;
  t.duration.median = minutes(10);
  t.duration.p95 = minutes(20);
  s.timing.steps["b"] = t;
  s.timing.steps["c"] = t;
  const auto without = run(s);
  s.runbook.steps[1].reboot_required = model::RebootOutcome{0.0, minutes(4)};
  BOOST_TEST(run(s) == without, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
