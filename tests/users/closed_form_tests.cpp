// Monte Carlo against closed forms: every step fixed but one uniform step, so the chance of
// reaching the outage limit is known exactly, and per run the user impact follows from the
// outage.
#include <boost/test/unit_test.hpp>

#include "lyncupdate/montecarlo/batch.hpp"
#include "lyncupdate/montecarlo/statistics.hpp"
#include "lyncupdate/montecarlo/summary.hpp"

using namespace lyncupdate;
using namespace std::chrono_literals;
using model::Condition;
using model::StateVariable;

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

// The back end is down for "down" (uniform 20 to 40 minutes) plus "up" (fixed 5): uniform on
// [25, 45] minutes, so P(outage >= 30 minutes) = 15 / 20 = 0.75 exactly. Its 5 users are all
// signed in for the whole run.
model::Scenario uniform_outage() {
  model::Scenario s;
  s.name = "closed-form";
  model::EnterprisePool pool;
  pool.fqdn = "pool.example.com";
  pool.front_ends = {"fe1.example.com"};
  pool.users = 5;
  pool.back_end.fqdn = "sql.example.com";
  s.topology.pools.push_back(pool);
  const Condition unavailable{StateVariable::backend, model::values::unavailable};
  const Condition available{StateVariable::backend, model::values::available};
  s.runbook.steps = {step("prepare", {}, {}), step("down", {unavailable}, {}),
                     step("up", {}, {available})};
  model::StepTiming prepare, down, up;
  prepare.duration.low = 1min;
  down.duration.kind = model::Distribution::Kind::uniform;
  down.duration.low = 20min;
  down.duration.high = 40min;
  up.duration.low = 5min;
  s.timing.steps = {{"prepare", prepare}, {"down", down}, {"up", up}};
  s.plan.stages = {{"sql.example.com"}};
  s.users.profile.fill(1.0);
  s.users.session_length = model::SessionLength::fixed;
  s.users.session_mean = 600min;
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(closed_form)

BOOST_AUTO_TEST_CASE(the_exact_chance_of_reaching_the_limit_is_inside_the_wilson_interval) {
  const model::Scenario s = uniform_outage();
  const auto plan = model::resolve_plan(s);
  BOOST_REQUIRE(plan.has_value());
  constexpr std::uint64_t runs = 2000;
  const mc::BatchResult batch = mc::run_batch(*plan, 1, runs, {0, runs}, 2);
  const mc::BatchSummary summary = mc::summarize(batch);
  constexpr double exact = 0.75;
  BOOST_TEST(summary.limit_interval.low <= exact);
  BOOST_TEST(exact <= summary.limit_interval.high);
  BOOST_TEST(summary.limit_interval.high - summary.limit_interval.low < 0.04);

  // Per run, the users follow from the outage: all five affected exactly when it reached the
  // limit, in resiliency mode for what exceeded it, nobody disconnected.
  const std::int64_t limit = s.limits.backend_outage_limit.count();
  std::uint64_t affected_runs = 0;
  for (std::size_t i = 0; i < runs; ++i) {
    const std::int64_t outage = batch.longest_outage_ms[0][i];
    BOOST_TEST_CONTEXT("run " << i) {
      BOOST_TEST(batch.user_samples[0][i] == (outage >= limit ? 5 : 0));
      BOOST_TEST(batch.user_samples[1][i] == 5 * std::max<std::int64_t>(0, outage - limit));
      BOOST_TEST(batch.user_samples[2][i] == 0);
    }
    affected_runs += batch.user_samples[0][i] > 0 ? 1U : 0U;
  }
  BOOST_TEST(affected_runs == batch.runs_reaching_limit);
  // E[5 x max(0, X - 30)] for X uniform on [25, 45] minutes: 5 x 15^2 / 2 / 20 = 28.125
  // user-minutes; 2,000 runs put the mean within a few percent.
  const double mean_user_minutes = summary.users[1].mean / 60'000;
  BOOST_TEST(mean_user_minutes > 28.125 * 0.9);
  BOOST_TEST(mean_user_minutes < 28.125 * 1.1);
}

BOOST_AUTO_TEST_CASE(a_batch_does_not_depend_on_threads_and_merges_exactly) {
  const model::Scenario s = uniform_outage();
  const auto plan = model::resolve_plan(s);
  BOOST_REQUIRE(plan.has_value());
  const mc::BatchResult one = mc::run_batch(*plan, 3, 300, {0, 300}, 1);
  const mc::BatchResult two = mc::run_batch(*plan, 3, 300, {0, 300}, 2);
  BOOST_TEST(one.user_samples == two.user_samples);
  std::vector<mc::BatchResult> parts{mc::run_batch(*plan, 3, 300, mc::shard_range(300, 2, 2), 1),
                                     mc::run_batch(*plan, 3, 300, mc::shard_range(300, 1, 2), 2)};
  const auto merged = mc::merge_batches(std::move(parts), {"b", "a"});
  BOOST_REQUIRE(merged.has_value());
  BOOST_TEST(merged->user_samples == one.user_samples);
  BOOST_TEST(merged->window_ms == one.window_ms);
}

BOOST_AUTO_TEST_SUITE_END()
