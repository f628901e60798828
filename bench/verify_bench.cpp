/// \file
/// `verify` on enterprise: the Standard Edition servers and back ends of one stage, or of the
/// whole plan (the plan the verification issue names), worked by two operators, every choice
/// explored. The shipped lognormals have no upper bound, so each gets one at 2.5 times its
/// 95th percentile, and the outage limit and window are widened so that nothing stops the
/// search early: the whole state space is explored. Counters: states stored and states per
/// second.

#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include "lyncupdate/checker/verify.hpp"
#include "lyncupdate/loader/loader.hpp"

namespace {

using namespace lyncupdate;

void bound(model::StepTiming& timing) {
  auto& d = timing.duration;
  if (d.kind == model::Distribution::Kind::lognormal && !d.cap) d.cap = d.p95 * 5 / 2;
}

constexpr std::int64_t whole_plan = -1;

// Shipped scenario `name`, its lognormals bounded, with wide limits.
std::unique_ptr<model::Scenario> bounded_scenario(const std::string& name) {
  auto loaded = loader::load_shipped_scenario(name);
  if (!loaded) return nullptr;
  auto scenario = std::make_unique<model::Scenario>(std::move(*loaded));
  for (auto& [id, timing] : scenario->timing.steps) bound(timing);
  for (auto& [fqdn, steps] : scenario->timing.servers) {
    for (auto& [id, timing] : steps) bound(timing);
  }
  scenario->limits.backend_outage_limit = std::chrono::hours(24);
  scenario->limits.window_length = std::chrono::hours(48);
  return scenario;
}

// Stage `stage` of enterprise's plan alone (whole_plan: every stage), bounded, with wide
// limits.
std::unique_ptr<model::Scenario> enterprise_stage(std::int64_t stage) {
  auto scenario = bounded_scenario("enterprise");
  if (!scenario) return nullptr;
  if (stage != whole_plan) {
    scenario->plan.stages = {scenario->plan.stages.at(static_cast<std::size_t>(stage))};
  }
  scenario->plan.operators = 2;
  return scenario;
}

// Verifies `plan` once per iteration; it must be proved. Counters: states, states per second.
void verify_proved(benchmark::State& state, const model::ResolvedPlan& plan,
                   const check::VerifyOptions& options) {
  std::uint64_t states = 0;
  for (auto _ : state) {
    const check::VerifyResult result = check::verify_plan(plan, options);
    if (result.status != check::VerifyStatus::proved) {
      state.SkipWithError("the search did not prove the plan");
      return;
    }
    states = result.states;
  }
  state.counters["states"] = static_cast<double>(states);
  state.counters["states_per_s"] =
      benchmark::Counter(static_cast<double>(states) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}

void verify_enterprise(benchmark::State& state, std::int64_t stage, bool reduce) {
  const auto scenario = enterprise_stage(stage);
  if (!scenario) {
    state.SkipWithError("enterprise does not load");
    return;
  }
  const auto plan = model::resolve_plan(*scenario);
  if (!plan) {
    state.SkipWithError("enterprise does not resolve");
    return;
  }
  check::VerifyOptions options;
  options.time_budget = std::chrono::milliseconds(0);
  options.max_states = 50'000'000;
  options.reduce = reduce;
  verify_proved(state, *plan, options);
}
// range(0): the stage (0: sql02-mirror, se01 and se03; 1: sql01, sql03, se02 and se04);
// range(1): 1 with the reduction, 0 without (stage 1 without it exceeds 40,000,000 states).
void BM_VerifyEnterpriseStage(benchmark::State& state) {
  verify_enterprise(state, state.range(0), state.range(1) != 0);
}
BENCHMARK(BM_VerifyEnterpriseStage)
    ->ArgNames({"stage", "reduce"})
    ->Args({0, 0})
    ->Args({0, 1})
    ->Args({1, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

// The plan of the verification issue's target: every back end and Standard Edition server of
// enterprise, three stages, two operators, with the reduction.
void BM_VerifyEnterprisePlan(benchmark::State& state) {
  verify_enterprise(state, whole_plan, true);
}
BENCHMARK(BM_VerifyEnterprisePlan)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

// The verification issue's front-end target: the 12 front ends of enterprise-rollout's pool03,
// one upgrade domain of three at a time, then its back end sql03, given a mirror that is
// updated first and a principal that fails over to it (the mirrored runbook). Tails bounded
// and limits widened as above; range(0) operators (3: one per front end of a domain; 2: every
// choice of which two of a domain's front ends to work on, the states that permute the
// interchangeable front ends of a domain stored once: VerifyOptions::symmetry).
void BM_VerifyTwelveFrontEndPool(benchmark::State& state) {
  auto scenario = bounded_scenario("enterprise-rollout");
  if (!scenario) {
    state.SkipWithError("enterprise-rollout does not load");
    return;
  }
  model::EnterprisePool& pool = scenario->topology.pools.at(2);
  pool.back_end.mirror = "sql03-mirror.fabrikam.com";
  pool.back_end.mirrored_database_update = true;
  scenario->plan.stages = pool.upgrade_domains;
  scenario->plan.stages.push_back({"sql03-mirror.fabrikam.com"});
  scenario->plan.stages.push_back({pool.back_end.fqdn});
  scenario->plan.operators = static_cast<int>(state.range(0));
  const auto plan = model::resolve_plan(*scenario);
  if (!plan) {
    state.SkipWithError("the pool's plan does not resolve");
    return;
  }
  check::VerifyOptions options;
  options.time_budget = std::chrono::milliseconds(0);
  verify_proved(state, *plan, options);
}
BENCHMARK(BM_VerifyTwelveFrontEndPool)
    ->ArgNames({"operators"})
    ->Arg(3)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond);
