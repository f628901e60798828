// What the tests of verify_plan share (verify_support.hpp).

#include "verify_support.hpp"

#include <algorithm>
#include <chrono>
#include <optional>

#include <boost/test/unit_test.hpp>

#include "lyncupdate/checker/monitors.hpp"
#include "lyncupdate/simulator/executor.hpp"

namespace lyncupdate::verify_test {

using model::Condition;
using model::StateVariable;

model::StepTiming fixed(int minutes) {
  model::StepTiming timing;
  timing.duration.kind = model::Distribution::Kind::fixed;
  timing.duration.low = std::chrono::minutes(minutes);
  return timing;
}

model::RunbookStep step(std::string id, model::Conditions on_start, model::Conditions on_finish) {
  model::RunbookStep s;
  s.id = std::move(id);
  s.title = s.id;
  s.kind = model::StepKind::manual;
  s.on_start = std::move(on_start);
  s.on_finish = std::move(on_finish);
  return s;
}

model::Scenario scenario() {
  model::Scenario s;
  s.name = "small";
  model::EnterprisePool pool;
  pool.fqdn = "pool.example.com";
  pool.front_ends = {"fe1.example.com"};
  pool.back_end.fqdn = "sql.example.com";
  pool.back_end.mirror = "mirror.example.com";
  s.topology.pools.push_back(pool);
  s.topology.standard_edition_servers.push_back({"se1.example.com", 10, std::nullopt, {}});
  s.topology.standard_edition_servers.push_back({"se2.example.com", 10, std::nullopt, {}});
  const Condition down{StateVariable::backend, model::values::unavailable};
  const Condition back{StateVariable::backend, model::values::available};
  s.runbook.steps = {step("a", {}, {}), step("b", {down}, {}), step("c", {}, {back})};
  s.timing.steps = {{"a", fixed(1)}, {"b", fixed(2)}, {"c", fixed(3)}};
  s.limits.backend_outage_limit = std::chrono::minutes(30);
  return s;
}

Planned planned(model::Scenario s) {
  Planned out{std::make_unique<model::Scenario>(std::move(s)), {}};
  auto plan = model::resolve_plan(*out.scenario);
  if (!plan) {
    for (const auto& e : plan.error()) BOOST_TEST_MESSAGE(e.pointer << ": " << e.message);
  }
  BOOST_REQUIRE(plan.has_value());
  out.plan = std::move(*plan);
  return out;
}

namespace {

long minutes(TimePoint t) {
  return static_cast<long>(
             std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count()) /
         60;
}

}  // namespace

std::vector<std::string> replayed(model::Scenario s, const check::VerifyResult& result) {
  const Planned original = planned(s);
  s.plan.schedule.clear();
  for (const model::ResolvedStart& start : result.schedule) {
    const model::ResolvedServer& server = original.plan.servers[start.server];
    s.plan.schedule.push_back({server.target.fqdn, server.steps[start.step].definition->id});
  }
  s.plan.operators = static_cast<int>(result.operators);
  if (result.max_servers_down)
    s.limits.max_servers_down = static_cast<int>(*result.max_servers_down);
  for (const model::ResolvedServer& server : original.plan.servers) {
    for (const model::ResolvedStep& st : server.steps) {
      model::StepTiming timing;
      timing.duration.low = *check::worst_case_duration(st);
      s.timing.servers[server.target.fqdn][st.definition->id] = timing;
    }
  }
  const Planned replay = planned(std::move(s));
  check::Checker checker(replay.plan);
  sim::simulate_run(replay.plan, 1, 0, checker.observers());
  std::vector<std::string> out;
  for (const check::Violation& v : checker.violations()) {
    out.push_back(std::string(v.rule) + " " +
                  (v.server == sim::no_index ? "-" : replay.plan.servers[v.server].target.fqdn) +
                  " " + std::to_string(minutes(v.time)));
  }
  return out;
}

std::string found(const Planned& p, const check::VerifyResult& result) {
  BOOST_REQUIRE(result.violation.has_value());
  const check::Violation& v = *result.violation;
  return std::string(v.rule) + " " +
         (v.server == sim::no_index ? "-" : p.plan.servers[v.server].target.fqdn) + " " +
         std::to_string(minutes(v.time));
}

check::VerifyResult same_either_way(bool check::VerifyOptions::*option, const Planned& p,
                                    check::VerifyOptions options, const std::string& what,
                                    std::uint64_t* states_off) {
  options.*option = false;
  const check::VerifyResult plain = check::verify_plan(p.plan, options);
  if (states_off) *states_off = plain.states;
  options.*option = true;
  const check::VerifyResult reduced = check::verify_plan(p.plan, options);
  BOOST_TEST_CONTEXT(what) {
    BOOST_TEST(check::status_name(reduced.status) == check::status_name(plain.status));
    BOOST_TEST(reduced.states <= plain.states);
    if (plain.status == check::VerifyStatus::proved) {
      BOOST_TEST(reduced.longest_window.count() == plain.longest_window.count());
    }
    if (plain.violation) {
      BOOST_REQUIRE(reduced.violation.has_value());
      BOOST_TEST(found(p, reduced) == found(p, plain));
      BOOST_TEST(reduced.violation->message == plain.violation->message);
      BOOST_TEST(reduced.depth == plain.depth);
      BOOST_TEST((reduced.counterexample == plain.counterexample));
      BOOST_TEST((reduced.schedule == plain.schedule));
    }
  }
  return reduced;
}

Sweep sweep_either_way(bool check::VerifyOptions::*option, const model::Scenario& base,
                       const std::vector<std::vector<std::vector<std::string>>>& plans,
                       const std::vector<int>& limits, const std::vector<int>& windows,
                       const check::VerifyOptions& options, const std::string& what) {
  Sweep sweep;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    for (const std::size_t operators : {1U, 2U, 3U}) {
      for (const int limit : limits) {
        for (const int window : windows) {
          for (const std::optional<std::size_t> down :
               {std::optional<std::size_t>{}, std::optional<std::size_t>{2}}) {
            model::Scenario s = base;
            s.plan.stages = plans[i];
            s.limits.backend_outage_limit = std::chrono::minutes(limit);
            s.limits.window_length = std::chrono::minutes(window);
            const Planned p = planned(s);
            check::VerifyOptions these = options;
            these.operators = operators;
            these.max_servers_down = down;
            std::uint64_t plain = 0;
            const check::VerifyResult result = same_either_way(
                option, p, these,
                what + "plan " + std::to_string(i) + ", " + std::to_string(operators) +
                    " operators, limit " + std::to_string(limit) + " min, window " +
                    std::to_string(window) + " min, " +
                    (down ? "at most 2 down" : "no limit on servers down"),
                &plain);
            sweep.fewer += result.states < plain ? 1U : 0U;
            sweep.violated += result.status == check::VerifyStatus::violated ? 1U : 0U;
            sweep.proved += result.status == check::VerifyStatus::proved ? 1U : 0U;
          }
        }
      }
    }
  }
  return sweep;
}

void expect_both_verdicts_and_fewer_states(const Sweep& sweep) {
  BOOST_TEST_MESSAGE(sweep.violated << " violated, " << sweep.proved << " proved, " << sweep.fewer
                                    << " with fewer states");
  BOOST_TEST(sweep.violated > 100U);
  BOOST_TEST(sweep.proved > 100U);
  BOOST_TEST(sweep.fewer > 100U);
}

bool contains(const std::vector<std::string>& lines, const std::string& line) {
  return std::ranges::find(lines, line) != lines.end();
}

}  // namespace lyncupdate::verify_test
