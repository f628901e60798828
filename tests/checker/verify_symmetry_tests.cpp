// Symmetry in the exhaustive plan check (VerifyOptions::symmetry): states that permute
// interchangeable servers are explored once, and nothing but the counts changes.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lyncupdate/checker/verify.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/model/resolve.hpp"
#include "verify_support.hpp"

using namespace lyncupdate;
using namespace lyncupdate::verify_test;
using model::Condition;
using model::StateVariable;

namespace {

constexpr auto symmetry = &check::VerifyOptions::symmetry;

bool is(const check::VerifyResult& result, check::VerifyStatus status) {
  return result.status == status;
}

// A pool of front ends in these upgrade domains (hosts: "fe1" is fe1.example.com), whose
// runbook stops the services (2 min), installs (3) and starts them again (1), each domain one
// stage.
model::Scenario front_end_scenario(const std::vector<std::vector<std::string>>& domains) {
  model::Scenario s;
  s.name = "front ends";
  model::EnterprisePool pool;
  pool.fqdn = "pool.example.com";
  for (const std::vector<std::string>& domain : domains) {
    pool.upgrade_domains.emplace_back();
    for (const std::string& host : domain) {
      pool.front_ends.push_back(host + ".example.com");
      pool.upgrade_domains.back().push_back(host + ".example.com");
    }
  }
  pool.back_end.fqdn = "sql.example.com";
  s.topology.pools.push_back(pool);
  const Condition stopped{StateVariable::lync_services, model::values::stopped};
  const Condition running{StateVariable::lync_services, model::values::running};
  model::Runbook front_end;
  front_end.steps = {step("stop", {}, {stopped}), step("install", {}, {}),
                     step("start", {}, {running})};
  s.front_end_runbook = front_end;
  s.runbook.steps = {step("a", {}, {})};
  s.timing.steps = {
      {"stop", fixed(2)}, {"install", fixed(3)}, {"start", fixed(1)}, {"a", fixed(1)}};
  s.limits.backend_outage_limit = std::chrono::minutes(30);
  s.plan.stages = pool.upgrade_domains;
  return s;
}

// A shipped scenario, every lognormal bounded at 2.5 times its 95th percentile, with an outage
// limit of 24 hours and a window of 48 (as bench/verify_bench.cpp explores them).
model::Scenario bounded(const std::string& name) {
  auto loaded = loader::load_shipped_scenario(name);
  BOOST_REQUIRE(loaded.has_value());
  const auto bound = [](model::StepTiming& timing) {
    auto& d = timing.duration;
    if (d.kind == model::Distribution::Kind::lognormal && !d.cap) d.cap = d.p95 * 5 / 2;
  };
  for (auto& [id, timing] : loaded->timing.steps) bound(timing);
  for (auto& [fqdn, steps] : loaded->timing.servers) {
    for (auto& [id, timing] : steps) bound(timing);
  }
  loaded->limits.backend_outage_limit = std::chrono::hours(24);
  loaded->limits.window_length = std::chrono::hours(48);
  return std::move(*loaded);
}

// enterprise-rollout's pool03: its 12 front ends one upgrade domain of three at a time, then
// its back end given a mirror, updated first (the benchmark's plan).
model::Scenario twelve_front_ends() {
  model::Scenario s = bounded("enterprise-rollout");
  model::EnterprisePool& pool = s.topology.pools.at(2);
  pool.back_end.mirror = "sql03-mirror.fabrikam.com";
  pool.back_end.mirrored_database_update = true;
  s.plan.stages = pool.upgrade_domains;
  s.plan.stages.push_back({"sql03-mirror.fabrikam.com"});
  s.plan.stages.push_back({pool.back_end.fqdn});
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(verify_symmetry)

BOOST_AUTO_TEST_CASE(interchangeable_standard_edition_servers_change_nothing_but_the_counts) {
  // se1, se2 and a third like them run one runbook with one timing: interchangeable. Every
  // combination of plans, operators, outage limits, windows and limits on servers down, with
  // and without the other reduction.
  const std::vector<std::vector<std::vector<std::string>>> plans = {
      {{"se1.example.com", "se2.example.com"}},
      {{"se1.example.com", "se2.example.com", "se3.example.com"}},
      {{"se1.example.com", "se2.example.com", "sql.example.com"}},
      {{"mirror.example.com", "se1.example.com", "se2.example.com"},
       {"sql.example.com", "se3.example.com"}},
      {{"sql.example.com", "mirror.example.com", "se1.example.com", "se2.example.com",
        "se3.example.com"}},
  };
  model::Scenario base = scenario();
  base.topology.standard_edition_servers.push_back({"se3.example.com", 10, std::nullopt, {}});
  Sweep both;
  for (const bool reduce : {true, false}) {
    check::VerifyOptions options;
    options.reduce = reduce;
    const Sweep sweep = sweep_either_way(symmetry, base, plans, {6, 9, 12, 17, 30},
                                         {12, 18, 30, 240}, options, reduce ? "reduced, " : "");
    both.violated += sweep.violated;
    both.proved += sweep.proved;
    both.fewer += sweep.fewer;
  }
  expect_both_verdicts_and_fewer_states(both);
}

BOOST_AUTO_TEST_CASE(moves_whose_order_at_an_instant_matters_are_judged_exactly) {
  // A runbook whose first step takes a server down as it ends and whose second brings it back
  // as it ends: at one instant one interchangeable server can go down while another comes
  // back, and which is first decides whether more than the limit are down. Every result is
  // the plain search's, the search starting over without symmetry where it has to (merging
  // regardless, a minute each, two operators, at most two down comes out proved where the
  // plain search finds three down).
  const Condition down{StateVariable::backend, model::values::unavailable};
  const Condition back{StateVariable::backend, model::values::available};
  std::size_t violated = 0;
  std::size_t proved = 0;
  for (const int first : {1, 2, 3}) {
    for (const int second : {1, 2, 3}) {
      for (const std::size_t operators : {1U, 2U, 3U}) {
        for (const std::size_t limit : {1U, 2U, 3U}) {
          model::Scenario s = scenario();
          s.topology.standard_edition_servers.push_back({"se3.example.com", 10, std::nullopt, {}});
          s.runbook.steps = {step("a", {}, {down}), step("b", {}, {back})};
          s.timing.steps = {{"a", fixed(first)}, {"b", fixed(second)}};
          s.plan.stages = {{"se1.example.com", "se2.example.com", "se3.example.com"}};
          const Planned p = planned(s);
          check::VerifyOptions options;
          options.operators = operators;
          options.max_servers_down = limit;
          const check::VerifyResult result =
              same_either_way(symmetry, p, options,
                              "a " + std::to_string(first) + " min, b " + std::to_string(second) +
                                  " min, " + std::to_string(operators) + " operators, at most " +
                                  std::to_string(limit) + " down");
          violated += is(result, check::VerifyStatus::violated) ? 1U : 0U;
          proved += is(result, check::VerifyStatus::proved) ? 1U : 0U;
          if (result.violation) BOOST_TEST(contains(replayed(s, result), found(p, result)));
        }
      }
    }
  }
  BOOST_TEST(violated > 10U);
  BOOST_TEST(proved > 10U);
}

BOOST_AUTO_TEST_CASE(front_ends_of_one_domain_breaking_quorum_replay_in_the_simulator) {
  // Four front ends, any two of which must run (model::pool_quorum_rule), in domains of three
  // and one. Two operators stop fe1 and fe2 (minute 2); one then stops fe3 while they are
  // stopped: only fe4 runs at minute 4.
  model::Scenario s = front_end_scenario({{"fe1", "fe2", "fe3"}, {"fe4"}});
  s.plan.operators = 2;
  Planned p = planned(s);
  check::VerifyResult result = same_either_way(symmetry, p, {}, "two operators");
  BOOST_TEST(found(p, result) == "pool-quorum fe3.example.com 4");
  BOOST_TEST(contains(replayed(s, result), "pool-quorum fe3.example.com 4"));
  // One operator can too: three stops before any start.
  s.plan.operators = 1;
  p = planned(s);
  result = same_either_way(symmetry, p, {}, "one operator");
  BOOST_TEST(found(p, result) == "pool-quorum fe3.example.com 6");
  BOOST_TEST(contains(replayed(s, result), "pool-quorum fe3.example.com 6"));
}

BOOST_AUTO_TEST_CASE(front_ends_of_one_domain_overrunning_the_window_replay_in_the_simulator) {
  // Six front ends in two domains of three (any three must run: quorum holds). Two operators
  // take 12 minutes per domain at worst (one front end left until the other two are done), 24
  // in all; a window of 23 minutes is overrun.
  model::Scenario s = front_end_scenario({{"fe1", "fe2", "fe3"}, {"fe4", "fe5", "fe6"}});
  s.plan.operators = 2;
  s.limits.window_length = std::chrono::minutes(24);
  Planned p = planned(s);
  const check::VerifyResult ok = same_either_way(symmetry, p, {}, "window 24");
  BOOST_TEST(is(ok, check::VerifyStatus::proved));
  BOOST_TEST(ok.longest_window == std::chrono::minutes(24));
  s.limits.window_length = std::chrono::minutes(23);
  p = planned(s);
  const check::VerifyResult overrun = same_either_way(symmetry, p, {}, "window 23");
  BOOST_TEST(found(p, overrun) == "window-overrun - 24");
  BOOST_TEST(contains(replayed(s, overrun), "window-overrun - 24"));
}

BOOST_AUTO_TEST_CASE(the_shipped_plans_bounded_give_the_same_results_in_fewer_states) {
  // enterprise worked by two operators: stage 1 (sql02-mirror, se01, se03), stage 2 (sql01,
  // sql03, se02, se04) and the whole plan.
  for (const int stage : {0, 1, -1}) {
    model::Scenario s = bounded("enterprise");
    if (stage >= 0) s.plan.stages = {s.plan.stages.at(static_cast<std::size_t>(stage))};
    s.plan.operators = 2;
    const Planned p = planned(std::move(s));
    check::VerifyOptions options;
    options.time_budget = std::chrono::milliseconds(0);
    std::uint64_t plain = 0;
    const check::VerifyResult result =
        same_either_way(symmetry, p, options, "enterprise stage " + std::to_string(stage), &plain);
    BOOST_TEST(is(result, check::VerifyStatus::proved));
    // se01 and se03, se02 and se04 are interchangeable.
    BOOST_TEST(result.states < plain);
  }
}

BOOST_AUTO_TEST_CASE(the_twelve_front_end_pool_is_proved_in_fewer_states_with_two_operators) {
  model::Scenario s = twelve_front_ends();
  check::VerifyOptions options;
  options.time_budget = std::chrono::milliseconds(0);
  for (const int operators : {3, 2}) {
    s.plan.operators = operators;
    const Planned p = planned(s);
    std::uint64_t plain = 0;
    const check::VerifyResult result =
        same_either_way(symmetry, p, options, std::to_string(operators) + " operators", &plain);
    BOOST_TEST_CONTEXT(operators << " operators") {
      BOOST_TEST(is(result, check::VerifyStatus::proved));
      // The same search every time.
      const check::VerifyResult again = check::verify_plan(p.plan, options);
      BOOST_TEST(again.states == result.states);
      BOOST_TEST(again.transitions == result.transitions);
      BOOST_TEST(again.longest_window.count() == result.longest_window.count());
    }
    if (operators == 2) {
      // Every choice of two front ends of a domain: permutations of a domain's three are one.
      BOOST_TEST(result.states < plain);
      // A state bound stops both searches alike.
      check::VerifyOptions bounded = options;
      bounded.max_states = 1000;
      const check::VerifyResult stopped = same_either_way(symmetry, p, bounded, "bounded");
      BOOST_TEST(is(stopped, check::VerifyStatus::incomplete));
      BOOST_TEST(stopped.stop_reason == "the bound of 1000 states was reached");
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
