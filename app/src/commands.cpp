#include "commands.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "lyncupdate/checker/monitors.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/reports/json.hpp"
#include "lyncupdate/reports/text.hpp"
#include "lyncupdate/scenarios/shipped.hpp"
#include "lyncupdate/simulator/executor.hpp"

namespace lyncupdate::app {
namespace {

// Everything is rendered to a string first and written in one go, so output is never half
// written when something fails.
void write_out(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

void write_err(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

// A path when it looks like one or exists on disk; otherwise a shipped scenario's name.
loader::LoadResult load(const std::string& argument) {
  if (argument.empty()) return loader::load_shipped_scenario(scenarios::default_scenario);
  const bool looks_like_path = argument.find('/') != std::string::npos ||
                               argument.ends_with(".json") || argument.starts_with('.');
  std::error_code ignored;
  if (looks_like_path || std::filesystem::exists(argument, ignored)) {
    return loader::load_scenario_file(argument);
  }
  return loader::load_shipped_scenario(argument);
}

int report_problems(const std::vector<loader::Diagnostic>& problems) {
  std::string text;
  for (const auto& problem : problems) text += problem.render() + "\n";
  text += fmt::format("lyncupdate: {} problem{} in the input; nothing was run\n", problems.size(),
                      problems.size() == 1 ? "" : "s");
  write_err(text);
  return exit_bad_input;
}

// Loads, resolves and runs the scenario once; renders with `render`.
template <typename Render>
int run_once(const RunOptions& options, Render render) {
  auto loaded = load(options.scenario);
  if (!loaded) return report_problems(loaded.error());
  // The scenario lives on the heap: the resolved plan points into it.
  const auto scenario = std::make_unique<model::Scenario>(std::move(*loaded));
  auto plan = model::resolve_plan(*scenario);
  if (!plan) {
    // The loader already resolved the plan once, so this cannot happen on loaded input.
    write_err("lyncupdate: internal error: a loaded scenario failed to resolve\n");
    return exit_internal;
  }
  const std::uint64_t seed = options.seed.value_or(scenario->seed);
  check::Checker checker(*plan);
  sim::TraceRecorder recorder;
  std::vector<sim::TraceObserver*> observers(checker.observers().begin(),
                                             checker.observers().end());
  observers.push_back(&recorder);
  const sim::RunSummary summary = sim::simulate_run(*plan, seed, 0, observers);
  const reports::RunView view =
      reports::make_run_view(*plan, seed, summary, recorder.events(), checker);
  write_out(render(view));
  return view.violations.empty() ? exit_clean : exit_violations;
}

}  // namespace

int simulate_command(const RunOptions& options) {
  return run_once(options, [&](const reports::RunView& view) {
    return options.json ? reports::render_run_json(view, "simulate", true)
                        : reports::render_simulation_text(view);
  });
}

int check_command(const RunOptions& options) {
  return run_once(options, [&](const reports::RunView& view) {
    return options.json ? reports::render_run_json(view, "check", false)
                        : reports::render_check_text(view);
  });
}

int export_command(const std::string& name) {
  auto text = loader::export_shipped_scenario(name.empty() ? scenarios::default_scenario : name);
  if (!text) return report_problems(text.error());
  write_out(*text);
  return exit_clean;
}

}  // namespace lyncupdate::app
