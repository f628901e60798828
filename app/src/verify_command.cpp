#include "verify_command.hpp"

#include <chrono>

#include <fmt/format.h>

#include "common.hpp"
#include "lyncupdate/checker/runbook_analysis.hpp"
#include "lyncupdate/checker/verify.hpp"
#include "lyncupdate/loader/files.hpp"
#include "lyncupdate/reports/verify.hpp"
#include "report_command.hpp"

namespace lyncupdate::app {
namespace {

// The scenario that replays the counterexample in `simulate`: every step fixed at the
// duration the search gave it, the operators' schedule, the same limits.
loader::ReplayEdits replay_edits(const model::ResolvedPlan& plan,
                                 const check::VerifyResult& result) {
  loader::ReplayEdits edits;
  const model::Scenario& scenario = *plan.scenario;
  const check::Violation& violation = *result.violation;
  edits.name = scenario.name + "-counterexample";
  edits.description = fmt::format(
      "Replays the counterexample that `lyncupdate verify` found for {}: {} at {}, {}. Every "
      "step takes its worst-case duration and never fails; the schedule fixes the order in "
      "which {} start the steps.",
      scenario.name, violation.rule, format_clock(violation.time, scenario.limits.window_start),
      violation.message,
      result.operators == 1 ? std::string("the operator")
                            : fmt::format("the {} operators", result.operators));
  edits.operators = result.operators;
  edits.max_servers_down = result.max_servers_down;
  for (const model::ResolvedStart& start : result.schedule) {
    const model::ResolvedServer& server = plan.servers[start.server];
    edits.schedule.push_back({server.target.fqdn, server.steps[start.step].definition->id});
  }
  for (const model::ResolvedServer& server : plan.servers) {
    auto& durations = edits.durations[server.target.fqdn];
    for (const model::ResolvedStep& step : server.steps) {
      durations[step.definition->id] = *check::worst_case_duration(step);
    }
  }
  return edits;
}

}  // namespace

int verify_command(const VerifyOptions& options) {
  const auto positive = [](const std::optional<std::uint64_t>& value, std::string_view name,
                           std::uint64_t max) -> bool {
    if (!value || (*value >= 1 && *value <= max)) return true;
    write_err(
        fmt::format("lyncupdate verify: {} must be from 1 to {}, got {}\n", name, max, *value));
    return false;
  };
  if (!positive(options.operators, "--operators", 1000) ||
      !positive(options.max_down, "--max-down", 1000) ||
      !positive(options.max_states, "--max-states", std::uint64_t{1} << 32)) {
    return exit_bad_input;
  }
  auto loaded = load_plan(options.scenario);
  if (!loaded) return loaded.error();
  // With --cap-factor the search runs on a copy whose unbounded tails are capped, as `plan`
  // confirms its plans; the HTML rehearsal keeps the scenario's own timing.
  model::Scenario capped_scenario;
  std::optional<model::ResolvedPlan> capped_plan;
  if (options.cap_factor) {
    capped_scenario = *loaded->scenario;
    capped_scenario.timing =
        model::with_capped_tails(std::move(capped_scenario.timing), *options.cap_factor);
    auto resolved = model::resolve_plan(capped_scenario);
    if (!resolved) {
      write_err("lyncupdate verify: internal error: the capped scenario failed to resolve\n");
      return exit_internal;
    }
    capped_plan = std::move(*resolved);
  }
  const model::ResolvedPlan& plan = capped_plan ? *capped_plan : loaded->plan;
  check::VerifyOptions search;
  search.timing_limits = options.timing_limits;
  if (options.operators) search.operators = static_cast<std::size_t>(*options.operators);
  if (options.max_down) search.max_servers_down = static_cast<std::size_t>(*options.max_down);
  search.max_states = options.max_states;
  search.max_memory = options.max_memory_mib << 20;
  search.time_budget = std::chrono::seconds(options.time_limit_s);
  // The memory the bound on states allows, said before the search starts, on standard error
  // with the other figures of the machine.
  const std::uint64_t state_bytes = check::verify_state_bytes(plan);
  const std::uint64_t most_mib = state_bytes * options.max_states >> 20;
  write_err(fmt::format(
      "verify: up to {} states of at most {} bytes: {} MiB at most{}\n",
      format_count(static_cast<std::int64_t>(options.max_states)), state_bytes,
      format_count(static_cast<std::int64_t>(most_mib)),
      most_mib > options.max_memory_mib
          ? fmt::format("; the search stops at --max-memory {} MiB", options.max_memory_mib)
          : ""));
  const check::VerifyResult result = check::verify_plan(plan, search);

  reports::VerifyContext replay;
  replay.cap_factor = options.cap_factor;
  if (result.violation && !options.counterexample.empty()) {
    const std::string& source =
        options.scenario.empty() ? std::string(default_scenario_name()) : options.scenario;
    auto text =
        loader::replay_scenario(source, is_scenario_file(source), replay_edits(plan, result));
    if (!text) return report_problems(text.error());
    if (auto written = loader::write_file_atomically(options.counterexample, *text); !written) {
      write_err(fmt::format("lyncupdate verify: {}\n", written.error()));
      return exit_internal;
    }
    replay.file = options.counterexample;
  }
  if (!options.html.empty()) {
    // The scenario's report (its rehearsal, findings and outages) with the verification.
    Rehearsal rehearsal = rehearse(loaded->plan, loaded->scenario->seed);
    rehearsal.view.findings = check::analyse_plan(loaded->plan);
    if (const int written = write_html_report(options.html, "verify", rehearsal.view,
                                              rehearsal.trace, nullptr, nullptr, &result);
        written != exit_clean) {
      return written;
    }
  }
  write_out(options.json ? reports::render_verify_json(plan, result, replay)
                         : reports::render_verify_text(plan, result, replay, stdout_style()));
  // Wall time varies from run to run, so it goes to standard error, apart from the result.
  const double seconds = std::chrono::duration<double>(result.elapsed).count();
  write_err(fmt::format("verify: {} states in {:.3f} s ({:.0f} states/s)\n", result.states, seconds,
                        seconds > 0 ? static_cast<double>(result.states) / seconds : 0.0));
  return result.status == check::VerifyStatus::proved ? exit_clean : exit_violations;
}

}  // namespace lyncupdate::app
