/// \file
/// Whole rehearsals of the reference scenario `enterprise` (three pools, eight planned
/// servers, the twelve-step runbook): one run with its five monitors, and a batch of 1,000
/// runs through the Monte Carlo driver on one thread and on every hardware thread, and with a
/// mirroring witness on sql02.
/// Every run simulates the 120,000 users' sessions too (users_bench.cpp measures them).

#include <memory>

#include <benchmark/benchmark.h>

#include "lyncupdate/checker/monitors.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/montecarlo/batch.hpp"
#include "lyncupdate/simulator/executor.hpp"

namespace {

using namespace lyncupdate;

// The scenario and its plan, loaded once: loading is not what is measured.
// With `witness`, sql02's mirroring has a witness (README, "A mirroring witness").
struct Enterprise {
  std::unique_ptr<model::Scenario> scenario;
  model::ResolvedPlan plan;

  explicit Enterprise(bool witness = false) {
    auto loaded = loader::load_shipped_scenario("enterprise");
    if (!loaded) throw std::runtime_error("enterprise does not load");
    scenario = std::make_unique<model::Scenario>(std::move(*loaded));
    if (witness) scenario->topology.pools.at(1).back_end.witness = "sqlw.fabrikam.com";
    auto resolved = model::resolve_plan(*scenario);
    if (!resolved) throw std::runtime_error("enterprise does not resolve");
    plan = std::move(*resolved);
  }
};

const Enterprise& enterprise() {
  static const Enterprise instance;
  return instance;
}

const Enterprise& enterprise_with_witness() {
  static const Enterprise instance(true);
  return instance;
}

// One run of enterprise with every monitor subscribed; items are trace-driving events.
void BM_EnterpriseOneRun(benchmark::State& state) {
  const Enterprise& e = enterprise();
  std::uint64_t run = 0;
  std::uint64_t events = 0;
  for (auto _ : state) {
    check::Checker checker(e.plan);
    const sim::RunSummary summary = sim::simulate_run(e.plan, 1, run++, checker.observers());
    events += summary.events;
    benchmark::DoNotOptimize(checker.outages().data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
}
BENCHMARK(BM_EnterpriseOneRun)->Unit(benchmark::kMicrosecond);

// 1,000 runs through the driver; the argument is the thread count (0 = hardware threads).
void BM_Enterprise1000Runs(benchmark::State& state) {
  const Enterprise& e = enterprise();
  const auto threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) {
    const mc::BatchResult batch = mc::run_batch(e.plan, 1, 1000, {0, 1000}, threads);
    benchmark::DoNotOptimize(batch.window_ms.data());
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_Enterprise1000Runs)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same 1,000 runs on one thread with a witness on sql02: its automatic failovers drawn and
// scheduled in every run.
void BM_Enterprise1000RunsWithWitness(benchmark::State& state) {
  const Enterprise& e = enterprise_with_witness();
  for (auto _ : state) {
    const mc::BatchResult batch = mc::run_batch(e.plan, 1, 1000, {0, 1000}, 1);
    benchmark::DoNotOptimize(batch.window_ms.data());
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_Enterprise1000RunsWithWitness)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
