/// \file
/// `verify` on enterprise: the Standard Edition servers and back ends of one stage worked by
/// two operators, every choice explored. The shipped lognormals have no upper bound, so each
/// gets one at 2.5 times its 95th percentile, and the outage limit and window are widened so
/// that nothing stops the search early: the whole state space is explored. Counters: states
/// stored and states per second.

#include <memory>

#include <benchmark/benchmark.h>

#include "lyncupdate/checker/verify.hpp"
#include "lyncupdate/loader/loader.hpp"

namespace {

using namespace lyncupdate;

void bound(model::StepTiming& timing) {
  auto& d = timing.duration;
  if (d.kind == model::Distribution::Kind::lognormal && !d.cap) d.cap = d.p95 * 5 / 2;
}

// Stage `stage` of enterprise's plan alone, bounded, with wide limits.
std::unique_ptr<model::Scenario> enterprise_stage(std::size_t stage) {
  auto loaded = loader::load_shipped_scenario("enterprise");
  if (!loaded) return nullptr;
  auto scenario = std::make_unique<model::Scenario>(std::move(*loaded));
  for (auto& [id, timing] : scenario->timing.steps) bound(timing);
  for (auto& [fqdn, steps] : scenario->timing.servers) {
    for (auto& [id, timing] : steps) bound(timing);
  }
  scenario->limits.backend_outage_limit = std::chrono::hours(24);
  scenario->limits.window_length = std::chrono::hours(48);
  scenario->plan.stages = {scenario->plan.stages.at(stage)};
  scenario->plan.operators = 2;
  return scenario;
}

void BM_VerifyEnterpriseStage(benchmark::State& state) {
  const auto scenario = enterprise_stage(static_cast<std::size_t>(state.range(0)));
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
  std::uint64_t states = 0;
  for (auto _ : state) {
    const check::VerifyResult result = check::verify_plan(*plan, options);
    if (result.status != check::VerifyStatus::proved) {
      state.SkipWithError("the search did not prove the stage");
      return;
    }
    states = result.states;
  }
  state.counters["states"] = static_cast<double>(states);
  state.counters["states_per_s"] =
      benchmark::Counter(static_cast<double>(states) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
// Stage 1 of enterprise: sql02-mirror, se01 and se03.
BENCHMARK(BM_VerifyEnterpriseStage)->Arg(0)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
