#include "commands.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include <fmt/format.h>
#include <unistd.h>

#include "common.hpp"
#include "lyncupdate/checker/monitors.hpp"
#include "lyncupdate/checker/runbook_analysis.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/reports/json.hpp"
#include "lyncupdate/reports/text.hpp"
#include "lyncupdate/scenarios/shipped.hpp"
#include "lyncupdate/simulator/executor.hpp"
#include "lyncupdate/simulator/users.hpp"
#include "report_command.hpp"

namespace lyncupdate::app {

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

bool is_scenario_file(const std::string& argument) {
  const bool looks_like_path = argument.find('/') != std::string::npos ||
                               argument.ends_with(".json") || argument.starts_with('.');
  std::error_code ignored;
  return looks_like_path || std::filesystem::exists(argument, ignored);
}

std::string_view default_scenario_name() { return scenarios::default_scenario; }

// A path when it looks like one or exists on disk; otherwise a shipped scenario's name.
loader::LoadResult load(const std::string& argument) {
  if (argument.empty()) return loader::load_shipped_scenario(scenarios::default_scenario);
  if (is_scenario_file(argument)) return loader::load_scenario_file(argument);
  return loader::load_shipped_scenario(argument);
}

int report_problems(const std::vector<loader::Diagnostic>& problems, std::string_view command,
                    std::string_view outcome) {
  std::string text;
  for (const auto& problem : problems) text += problem.render() + "\n";
  // A problem in what ships inside the binary is ours, not the input's.
  if (std::ranges::any_of(problems, [](const loader::Diagnostic& d) { return d.internal; })) {
    write_err(text + fmt::format("{}: internal error; {}\n", command, outcome));
    return exit_internal;
  }
  text += fmt::format("{}: {} problem{} in the input; {}\n", command, problems.size(),
                      problems.size() == 1 ? "" : "s", outcome);
  write_err(text);
  return exit_bad_input;
}

reports::TextStyle stdout_style() {
  return reports::text_style_for(::isatty(STDOUT_FILENO) == 1, std::getenv("NO_COLOR"));
}

std::expected<LoadedPlan, int> load_plan(const std::string& argument) {
  auto loaded = load(argument);
  if (!loaded) return std::unexpected(report_problems(loaded.error()));
  LoadedPlan out;
  out.scenario = std::make_unique<model::Scenario>(std::move(*loaded));
  auto plan = model::resolve_plan(*out.scenario);
  if (!plan) {
    // The loader already resolved the plan once, so this cannot happen on loaded input.
    write_err("lyncupdate: internal error: a loaded scenario failed to resolve\n");
    return std::unexpected(static_cast<int>(exit_internal));
  }
  out.plan = std::move(*plan);
  return out;
}

Rehearsal rehearse(const model::ResolvedPlan& plan, std::uint64_t seed,
                   const sim::RunSettings& settings) {
  check::Checker checker(plan);
  sim::TraceRecorder recorder;
  std::vector<sim::TraceObserver*> observers(checker.observers().begin(),
                                             checker.observers().end());
  observers.push_back(&recorder);
  sim::UserImpact users;
  const sim::RunSummary summary =
      sim::simulate_run(plan, seed, 0, observers, &users, nullptr, settings);
  Rehearsal out{.trace = {recorder.events().begin(), recorder.events().end()},
                .view = reports::make_run_view(plan, seed, summary, recorder.events(), checker)};
  out.view.users = users;
  out.view.chance_failures = settings.chance_failures;
  return out;
}

std::string shell_word(const std::string& path) {
  const bool safe = std::ranges::all_of(path, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-' ||
           c == '/' || c == '+' || c == ':' || c == ',';
  });
  if (safe && !path.empty()) return path;
  std::string out = "'";
  for (const char c : path) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

namespace {

// Loads, resolves and runs the scenario once; renders with `render` and, with --html, writes
// the report of the same run before printing.
template <typename Render>
int run_once(const RunOptions& options, std::string_view command, Render render) {
  auto loaded = load_plan(options.scenario);
  if (!loaded) return loaded.error();
  const auto& scenario = loaded->scenario;
  const auto* plan = &loaded->plan;
  const std::uint64_t seed = options.seed.value_or(scenario->seed);
  // `check`: the static analysis comes first and does not depend on the seed.
  std::optional<std::vector<check::Finding>> findings;
  if (options.analyse) findings = check::analyse_plan(*plan, {.strict = options.strict});
  // `check` judges the plan: no step fails by chance unless --draw-failures says so.
  Rehearsal rehearsal =
      rehearse(*plan, seed, {.chance_failures = !options.analyse || options.draw_failures});
  reports::RunView& view = rehearsal.view;
  view.findings = std::move(findings);
  const std::string text = render(view);
  const bool static_errors = view.findings && check::has_errors(*view.findings);
  const int code = view.violations.empty() && !static_errors ? exit_clean : exit_violations;
  if (!options.html.empty()) {
    // The report shows the static analysis whatever the command (as `report` does); it no
    // longer changes what was printed or the exit code.
    if (!view.findings) view.findings = check::analyse_plan(*plan, {.strict = options.strict});
    if (const int written = write_html_report(options.html, command, view, rehearsal.trace);
        written != exit_clean) {
      return written;
    }
  }
  write_out(text);
  return code;
}

}  // namespace

int simulate_command(const RunOptions& options) {
  if (!options.html.empty()) {
    if (const int code = check_html_options(options); code != exit_clean) return code;
  }
  if (options.runs || options.threads != 0 || !options.shard.empty() || !options.partial.empty()) {
    return montecarlo_command(options);
  }
  return run_once(options, "simulate", [&](const reports::RunView& view) {
    return options.json ? reports::render_run_json(view, "simulate", true)
                        : reports::render_simulation_text(view, stdout_style());
  });
}

int check_command(const RunOptions& options) {
  RunOptions analysed = options;
  analysed.analyse = true;
  if (!options.html.empty()) {
    if (const int code = check_html_options(analysed); code != exit_clean) return code;
  }
  return run_once(analysed, "check", [&](const reports::RunView& view) {
    return options.json ? reports::render_run_json(view, "check", false)
                        : reports::render_check_text(view, stdout_style());
  });
}

int export_command(const std::string& name) {
  auto text = loader::export_shipped_scenario(name.empty() ? scenarios::default_scenario : name);
  if (!text) return report_problems(text.error());
  write_out(*text);
  return exit_clean;
}

}  // namespace lyncupdate::app
