#include "plan_command.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common.hpp"
#include "lyncupdate/loader/files.hpp"
#include "lyncupdate/model/printable.hpp"
#include "lyncupdate/planner/emit.hpp"
#include "lyncupdate/planner/planner.hpp"
#include "lyncupdate/version/version.hpp"

namespace lyncupdate::app {
namespace {

using Json = nlohmann::ordered_json;

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", format_count(static_cast<std::int64_t>(n)), n == 1 ? one : many);
}

std::string percent(double fraction) { return fmt::format("{:.2f}%", 100.0 * fraction); }

// "stage 1: a, b; stage 2: c" on one line, or one stage per line under `indent`.
std::string stages_text(const planner::Stages& stages, std::string_view indent) {
  std::string text;
  for (std::size_t s = 0; s < stages.size(); ++s) {
    text += fmt::format("{}stage {}: {}\n", indent, s + 1, fmt::join(stages[s], ", "));
  }
  return text;
}

std::string evaluation_text(const planner::Evaluation& e, const model::Scenario& scenario,
                            double max_risk) {
  std::string text = stages_text(e.stages, "  ");
  text += fmt::format("  estimate: {} with every step at its P95, {} at its median\n",
                      format_duration(e.candidate.p95), format_duration(e.candidate.p50));
  if (e.simulated) {
    text += fmt::format("  window: P50 {}, P95 {} over {}\n", format_duration(e.window_p50),
                        format_duration(e.window_p95), plural(e.runs, "run", "runs"));
    text += fmt::format(
        "  risk: {} of {} runs ({}, 95% Wilson interval {} to {}) reach the {} outage limit; "
        "the ceiling is {}\n",
        format_count(static_cast<std::int64_t>(e.runs_reaching_limit)),
        format_count(static_cast<std::int64_t>(e.runs)), percent(e.risk()),
        percent(e.risk_interval.low), percent(e.risk_interval.high),
        format_duration(scenario.limits.backend_outage_limit), percent(max_risk));
  } else {
    text += "  window and risk: not simulated (verification failed first)\n";
  }
  if (e.verify == check::VerifyStatus::proved) {
    text += fmt::format("  verify: proved over {} with {}; longest window {} in worst-case time\n",
                        plural(e.verify_states, "state", "states"),
                        plural(e.verify_operators, "operator", "operators"),
                        format_duration(e.longest_window));
  } else {
    text += fmt::format("  verify: {} over {}: {}\n", check::status_name(e.verify),
                        plural(e.verify_states, "state", "states"), e.verify_problem);
  }
  return text;
}

std::string coverage_text(const planner::PlanResult& result) {
  const planner::Coverage& c = result.coverage;
  if (!c.searched) return "search: not run\n";
  std::string text = fmt::format("search: {} in {}, ", plural(c.nodes, "node", "nodes"),
                                 plural(c.rounds, "round", "rounds"));
  if (c.exhausted) {
    text += result.chosen ? "space exhausted: every plan that ranks before the chosen one was "
                            "confirmed and rejected or ruled out by the bound"
                          : "space exhausted: every plan was confirmed and rejected or ruled "
                            "out by the bound";
  } else {
    text += fmt::format("space NOT exhausted: stopped by the {}", c.stop_reason);
  }
  text += fmt::format("; {} proposed, {} confirmed, {} rejected\n",
                      plural(c.proposed, "candidate", "candidates"),
                      format_count(static_cast<std::int64_t>(c.confirmed)),
                      format_count(static_cast<std::int64_t>(result.rejected.size())));
  for (std::size_t r = 0; r < result.rejected.size(); ++r) {
    const planner::Evaluation& e = result.rejected[r];
    std::string stages;
    for (std::size_t s = 0; s < e.stages.size(); ++s) {
      stages += fmt::format("{}[{}]", s == 0 ? "" : " ", fmt::join(e.stages[s], ", "));
    }
    text += fmt::format("  rejected {}: {} (estimate P95 {}): {}\n", r + 1, stages,
                        format_duration(e.candidate.p95), e.rejection);
  }
  return text;
}

std::string summary_text(const planner::PlanResult& result, const model::Scenario& scenario,
                         const planner::PlanOptions& options) {
  const planner::ConfirmOptions& confirm = options.confirm;
  std::string text = fmt::format(
      "lyncupdate plan: scenario {}, seed {}: {}; {} Monte Carlo runs per plan, risk ceiling {}; "
      "unbounded steps capped at {} x their P95 for the worst case, which proves {}\n",
      model::printable(scenario.name), confirm.seed,
      plural(result.items.size(), "work item", "work items"),
      format_count(static_cast<std::int64_t>(confirm.runs)), percent(confirm.max_risk),
      confirm.cap_factor,
      confirm.prove_timing_limits
          ? "every invariant, the outage limit and the window included"
          : "quorum, readiness, mirror pairs and servers down (the Monte Carlo judges the "
            "outage limit by its risk, and the window by its P95)");
  const planner::Constraints& constraints = result.constraints;
  // Grouped by reason, in the order the reasons first come.
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  const auto add = [&](const std::string& reason, std::string pair) {
    auto it = std::ranges::find(groups, reason, &decltype(groups)::value_type::first);
    if (it == groups.end()) it = groups.insert(groups.end(), {reason, {}});
    it->second.push_back(std::move(pair));
  };
  for (const planner::Precedence& p : constraints.precedences) {
    add(p.reason,
        fmt::format("{} before {}", result.items[p.before].name, result.items[p.after].name));
  }
  for (const planner::Conflict& c : constraints.conflicts) {
    add(c.reason,
        fmt::format("{} never with {}", result.items[c.first].name, result.items[c.second].name));
  }
  for (const auto& [reason, pairs] : groups) {
    text += fmt::format("  {}:\n", reason);
    for (const std::string& pair : pairs) text += fmt::format("    {}\n", pair);
  }
  text +=
      fmt::format("  {}; {}\n",
                  constraints.max_servers_per_stage
                      ? fmt::format("at most {} per stage (limits.max_servers_down)",
                                    plural(*constraints.max_servers_per_stage, "server", "servers"))
                      : std::string("no limit on servers per stage"),
                  constraints.operators > 0 ? plural(constraints.operators, "operator", "operators")
                                            : std::string("one operator per server"));
  if (result.chosen) {
    text +=
        fmt::format("chosen plan, {}:\n", plural(result.chosen->stages.size(), "stage", "stages"));
    text += evaluation_text(*result.chosen, scenario, confirm.max_risk);
  } else {
    text += "NO FEASIBLE PLAN:\n";
    for (const std::string& reason : result.infeasible) text += "  " + reason + "\n";
  }
  if (result.sequential) {
    text += fmt::format("sequential plan, {}:\n",
                        plural(result.sequential->stages.size(), "stage", "stages"));
    text += evaluation_text(*result.sequential, scenario, confirm.max_risk);
    if (result.chosen) {
      const Duration gain = result.sequential->window_p95 - result.chosen->window_p95;
      const double share = result.sequential->window_p95 > Duration::zero()
                               ? static_cast<double>(gain.count()) /
                                     static_cast<double>(result.sequential->window_p95.count())
                               : 0.0;
      text += gain >= Duration::zero()
                  ? fmt::format("improvement: the P95 window is {} shorter ({:.1f}%)\n",
                                format_duration(gain), 100.0 * share)
                  : fmt::format("improvement: none, the P95 window is {} longer ({:.1f}%)\n",
                                format_duration(-gain), -100.0 * share);
    }
  }
  text += coverage_text(result);
  return text;
}

Json evaluation_json(const planner::Evaluation& e) {
  Json verify{{"status", check::status_name(e.verify)},
              {"states", e.verify_states},
              {"operators", e.verify_operators}};
  verify["longest_window_ms"] =
      e.verify == check::VerifyStatus::proved ? Json(e.longest_window.count()) : Json(nullptr);
  verify["problem"] = e.verify_problem.empty() ? Json(nullptr) : Json(e.verify_problem);
  Json out{
      {"stages", e.stages},
      {"estimate",
       {{"window_p95_ms", e.candidate.p95.count()}, {"window_p50_ms", e.candidate.p50.count()}}},
      {"verify", std::move(verify)}};
  out["monte_carlo"] = e.simulated ? Json{{"runs", e.runs},
                                          {"runs_reaching_limit", e.runs_reaching_limit},
                                          {"risk", e.risk()},
                                          {"risk_low", e.risk_interval.low},
                                          {"risk_high", e.risk_interval.high},
                                          {"window_p50_ms", e.window_p50.count()},
                                          {"window_p95_ms", e.window_p95.count()}}
                                   : Json(nullptr);
  out["passed"] = e.passed;
  out["rejection"] = e.rejection.empty() ? Json(nullptr) : Json(e.rejection);
  return out;
}

std::string summary_json(const planner::PlanResult& result, const model::Scenario& scenario,
                         const planner::PlanOptions& options, const std::string& output) {
  const planner::ConfirmOptions& confirm = options.confirm;
  Json items = Json::array();
  for (const planner::WorkItem& item : result.items) {
    items.push_back({{"name", item.name},
                     {"kind", planner::item_kind_name(item.kind)},
                     {"servers", item.servers}});
  }
  Json precedences = Json::array();
  for (const planner::Precedence& p : result.constraints.precedences) {
    precedences.push_back({{"before", result.items[p.before].name},
                           {"after", result.items[p.after].name},
                           {"reason", p.reason}});
  }
  Json conflicts = Json::array();
  for (const planner::Conflict& c : result.constraints.conflicts) {
    conflicts.push_back({{"first", result.items[c.first].name},
                         {"second", result.items[c.second].name},
                         {"reason", c.reason}});
  }
  const auto& constraints = result.constraints;
  Json out{
      {"schema", "lyncupdate/plan/1"},
      {"tool_version", version::full()},
      {"command", "plan"},
      {"scenario", scenario.name},
      {"seed", confirm.seed},
      {"runs", confirm.runs},
      {"max_risk", confirm.max_risk},
      {"cap_factor", confirm.cap_factor},
      {"prove_timing_limits", confirm.prove_timing_limits},
      {"feasible", result.chosen.has_value()},
      {"risk_floor", result.risk_floor},
      {"items", std::move(items)},
      {"constraints",
       {{"precedences", std::move(precedences)},
        {"conflicts", std::move(conflicts)},
        {"max_servers_per_stage", constraints.max_servers_per_stage
                                      ? Json(*constraints.max_servers_per_stage)
                                      : Json(nullptr)},
        {"operators", constraints.operators > 0 ? Json(constraints.operators) : Json(nullptr)}}}};
  out["chosen"] = result.chosen ? evaluation_json(*result.chosen) : Json(nullptr);
  out["sequential"] = result.sequential ? evaluation_json(*result.sequential) : Json(nullptr);
  out["improvement_p95_ms"] =
      result.chosen && result.sequential
          ? Json((result.sequential->window_p95 - result.chosen->window_p95).count())
          : Json(nullptr);
  Json rejected = Json::array();
  for (const planner::Evaluation& e : result.rejected) rejected.push_back(evaluation_json(e));
  out["rejected"] = std::move(rejected);
  out["infeasible"] = result.infeasible;
  const planner::Coverage& c = result.coverage;
  out["search"] = {{"searched", c.searched},
                   {"nodes", c.nodes},
                   {"rounds", c.rounds},
                   {"exhausted", c.exhausted},
                   {"stop_reason", c.stop_reason.empty() ? Json(nullptr) : Json(c.stop_reason)},
                   {"proposed", c.proposed},
                   {"confirmed", c.confirmed}};
  out["output"] = output.empty() || !result.chosen ? Json(nullptr) : Json(output);
  return out.dump(2) + "\n";
}

int usage(const std::string& message) {
  write_err("lyncupdate plan: " + message + "\n");
  return exit_bad_input;
}

}  // namespace

int plan_command(const PlanOptions& options) {
  // --max-risk and --cap-factor are checked with the command line (flags.hpp).
  constexpr std::uint64_t max_runs = 10'000'000;
  if (options.runs < 1 || options.runs > max_runs) {
    return usage(fmt::format("--runs must be from 1 to {}, got {}", max_runs, options.runs));
  }
  constexpr std::uint64_t max_seconds = 7 * 24 * 3600;
  if (options.time_limit_s > max_seconds) {
    return usage(fmt::format("--time-limit must be from 0 to {} seconds, got {}", max_seconds,
                             options.time_limit_s));
  }
  if (options.max_nodes < 1) return usage("--max-nodes must be at least 1");

  auto loaded = load(options.scenario);
  if (!loaded) return report_problems(loaded.error());
  const model::Scenario& scenario = *loaded;
  planner::PlanOptions search;
  search.confirm.max_risk = options.max_risk;
  search.confirm.runs = options.runs;
  search.confirm.seed = options.seed.value_or(scenario.seed);
  search.confirm.threads = options.threads;
  search.confirm.cap_factor = options.cap_factor;
  search.confirm.prove_timing_limits = options.prove_timing;
  search.time_limit = std::chrono::seconds(options.time_limit_s);
  search.max_nodes = options.max_nodes;

  const auto started = std::chrono::steady_clock::now();
  const auto result = planner::plan_scenario(scenario, search);
  if (!result) {
    std::string text;
    for (const model::ModelError& error : result.error()) {
      text += fmt::format("lyncupdate plan: error: {}: {}\n", error.pointer, error.message);
    }
    write_err(text + "lyncupdate plan: the scenario cannot be planned; nothing was written\n");
    return exit_bad_input;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  if (result->chosen) {
    const std::string& source =
        options.scenario.empty() ? std::string(default_scenario_name()) : options.scenario;
    auto text = loader::self_contained_scenario(source, is_scenario_file(source));
    if (!text) return report_problems(text.error());
    auto planned = planner::scenario_with_plan(
        *text, planner::plan_with_stages(scenario, result->chosen->stages));
    if (!planned) {
      write_err(fmt::format("lyncupdate plan: internal error: {}\n", planned.error()));
      return exit_internal;
    }
    if (options.output.empty()) {
      write_out(*planned);
    } else if (auto written = loader::write_file_atomically(options.output, *planned); !written) {
      write_err(fmt::format("lyncupdate plan: {}\n", written.error()));
      return exit_internal;
    }
  }
  // The summary goes to standard output only when that holds nothing else: with -o and --json.
  const bool summary_on_stdout = options.json && !options.output.empty();
  std::string summary = options.json ? summary_json(*result, scenario, search, options.output)
                                     : summary_text(*result, scenario, search);
  if (!options.json && result->chosen) {
    // What the planner proved, as commands an administrator can run on the file it wrote.
    const std::string file = options.output.empty() ? "PLAN.json" : shell_word(options.output);
    summary += fmt::format(
        "re-check the plan: lyncupdate check {0}; lyncupdate verify {0} --cap-factor {1}{2}; "
        "lyncupdate simulate {0} --runs {3}\n",
        file, search.confirm.cap_factor, search.confirm.prove_timing_limits ? "" : " --order-only",
        search.confirm.runs);
  }
  if (summary_on_stdout) {
    write_out(summary);
  } else {
    write_err(summary);
  }
  // Wall time varies from run to run, so it stays apart, on standard error (and is left out
  // when standard error holds the JSON summary).
  if (!(options.json && !summary_on_stdout)) {
    write_err(fmt::format("plan: {} search nodes, {} plans confirmed in {:.3f} s\n",
                          result->coverage.nodes,
                          result->coverage.confirmed + (result->sequential ? 1 : 0), seconds));
  }
  return result->chosen ? exit_clean : exit_violations;
}

}  // namespace lyncupdate::app
