/// \file
/// The user model's cost: one run of the reference scenario `enterprise` with every one of
/// its 120,000 users' sessions simulated, and the same with the users scaled to 15k, 30k, 60k,
/// 120k and 240k, to show that the cost grows at most linearly with users.

#include <memory>

#include <benchmark/benchmark.h>

#include "lyncupdate/checker/monitors.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/simulator/users.hpp"

namespace {

using namespace lyncupdate;

// `enterprise` with its users multiplied by `users` / 120,000, loaded and resolved once.
struct ScaledEnterprise {
  std::unique_ptr<model::Scenario> scenario;
  model::ResolvedPlan plan;

  explicit ScaledEnterprise(std::int64_t users) {
    auto loaded = loader::load_shipped_scenario("enterprise");
    if (!loaded) throw std::runtime_error("enterprise does not load");
    scenario = std::make_unique<model::Scenario>(std::move(*loaded));
    for (auto& pool : scenario->topology.pools) pool.users = pool.users * users / 120'000;
    for (auto& se : scenario->topology.standard_edition_servers)
      se.users = se.users * users / 120'000;
    auto resolved = model::resolve_plan(*scenario);
    if (!resolved) throw std::runtime_error("enterprise does not resolve");
    plan = std::move(*resolved);
  }
};

// One run with the monitors and the users; items are users simulated, and the counters the
// sessions and engine events of a run.
void run_users(benchmark::State& state, const ScaledEnterprise& e) {
  std::uint64_t run = 0;
  std::uint64_t sessions = 0;
  std::uint64_t events = 0;
  std::uint64_t users = 0;
  sim::UserWorkspace workspace;  // as a Monte Carlo thread keeps one
  for (auto _ : state) {
    check::Checker checker(e.plan);
    sim::UserImpact impact;
    const sim::RunSummary summary =
        sim::simulate_run(e.plan, 1, run++, checker.observers(), &impact, &workspace);
    sessions += impact.sessions;
    events += summary.events;
    users = impact.users;
    benchmark::DoNotOptimize(impact.users_affected);
  }
  const auto runs = static_cast<double>(state.iterations());
  state.counters["users"] = static_cast<double>(users);
  state.counters["sessions/run"] = static_cast<double>(sessions) / runs;
  state.counters["events/run"] = static_cast<double>(events) / runs;
  state.SetItemsProcessed(static_cast<std::int64_t>(users) * state.iterations());
}

void BM_EnterpriseWithUsers(benchmark::State& state) {
  static const ScaledEnterprise enterprise(120'000);
  run_users(state, enterprise);
}
BENCHMARK(BM_EnterpriseWithUsers)->Unit(benchmark::kMillisecond);

void BM_UsersScaling(benchmark::State& state) {
  const ScaledEnterprise scaled(state.range(0));
  run_users(state, scaled);
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_UsersScaling)
    ->Arg(15'000)
    ->Arg(30'000)
    ->Arg(60'000)
    ->Arg(120'000)
    ->Arg(240'000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);

}  // namespace
