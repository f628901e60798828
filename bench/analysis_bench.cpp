/// \file
/// The static analysis of the shipped runbook on contoso (target: at most 50 ms):
/// precedence graph, role check and worst-case bounds of every planned server, grouped. The
/// scenario is loaded and resolved once, outside the timed loop, as `check` does before it
/// analyses.

#include <memory>

#include <benchmark/benchmark.h>

#include "lyncupdate/checker/runbook_analysis.hpp"
#include "lyncupdate/loader/loader.hpp"

namespace {

void BM_AnalyseContoso(benchmark::State& state) {
  auto loaded = lyncupdate::loader::load_shipped_scenario("contoso");
  if (!loaded) {
    state.SkipWithError("contoso does not load");
    return;
  }
  const auto scenario = std::make_unique<lyncupdate::model::Scenario>(std::move(*loaded));
  const auto plan = lyncupdate::model::resolve_plan(*scenario);
  if (!plan) {
    state.SkipWithError("contoso does not resolve");
    return;
  }
  for (auto _ : state) {
    auto findings = lyncupdate::check::analyse_plan(*plan);
    benchmark::DoNotOptimize(findings);
  }
}
BENCHMARK(BM_AnalyseContoso)->Unit(benchmark::kMicrosecond);

}  // namespace
