/// \file
/// The command catalogue: its one-off parse (both embedded files, as the loader reads them on
/// first use), and binding every command, probe and unattended check of the enterprise-rollout
/// plan (every planned server's resolved steps) against it, as the static analysis does.

#include <memory>

#include <benchmark/benchmark.h>

#include "lyncupdate/checker/binding.hpp"
#include "lyncupdate/checker/command_line.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/scenarios/shipped.hpp"

namespace {

using namespace lyncupdate;

void BM_CatalogueParse(benchmark::State& state) {
  const auto cmdlets = scenarios::shipped_file("catalogue/cmdlets");
  const auto native = scenarios::shipped_file("catalogue/native");
  if (!cmdlets || !native) {
    state.SkipWithError("the catalogue is not embedded");
    return;
  }
  for (auto _ : state) {
    auto catalogue = loader::read_catalogue(*cmdlets, *native);
    benchmark::DoNotOptimize(catalogue);
  }
}
BENCHMARK(BM_CatalogueParse)->Unit(benchmark::kMillisecond);

std::size_t bind_line(const check::CommandLine& line, const model::Scenario& scenario) {
  std::size_t problems = 0;
  for (const auto& pipeline : line.statements) {
    for (std::size_t p = 0; p < pipeline.size(); ++p) {
      const auto b = check::bind_command(pipeline[p], *scenario.catalogue, scenario.product, p);
      problems += b.problem ? 1U : 0U;
    }
  }
  return problems;
}

void BM_ValidateEnterpriseRolloutCommands(benchmark::State& state) {
  auto loaded = loader::load_shipped_scenario("enterprise-rollout");
  if (!loaded) {
    state.SkipWithError("enterprise-rollout does not load");
    return;
  }
  const auto scenario = std::make_unique<model::Scenario>(std::move(*loaded));
  const auto plan = model::resolve_plan(*scenario);
  if (!plan) {
    state.SkipWithError("enterprise-rollout does not resolve");
    return;
  }
  std::size_t commands = 0;
  for (auto _ : state) {
    std::size_t problems = 0;
    commands = 0;
    for (const auto& server : plan->servers) {
      for (const auto& step : server.steps) {
        if (!step.command.empty()) {
          if (auto line = check::read_command_line(step.command)) {
            problems += bind_line(*line, *scenario);
          }
          ++commands;
        }
        for (const auto* c : {&step.probe, &step.unattended}) {
          if (!*c) continue;
          problems += bind_line(check::command_line_of((*c)->pipeline), *scenario);
          ++commands;
        }
      }
    }
    benchmark::DoNotOptimize(problems);
  }
  state.counters["command_lines"] = static_cast<double>(commands);
}
BENCHMARK(BM_ValidateEnterpriseRolloutCommands)->Unit(benchmark::kMicrosecond);

}  // namespace
