// `report` and `--html FILE`: the self-contained HTML report, written atomically.

#include "report_command.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "common.hpp"
#include "lyncupdate/checker/monitors.hpp"
#include "lyncupdate/checker/runbook_analysis.hpp"
#include "lyncupdate/loader/files.hpp"
#include "lyncupdate/montecarlo/batch.hpp"
#include "lyncupdate/montecarlo/summary.hpp"
#include "lyncupdate/reports/html.hpp"
#include "lyncupdate/simulator/executor.hpp"

namespace lyncupdate::app {
namespace {

constexpr std::uint64_t max_report_runs = 10'000'000;

int usage(const std::string& message) {
  write_err(fmt::format("lyncupdate: error: {}\n", message));
  return exit_bad_input;
}

}  // namespace

int report_command(const ReportOptions& options, std::string_view command) {
  if (options.output.empty()) return usage("report needs the HTML file to write: -o FILE");
  if (options.runs && *options.runs == 0) return usage("--runs needs at least 1 run");
  if (options.runs && *options.runs > max_report_runs) {
    return usage(fmt::format("--runs {} is more than {} runs for one report", *options.runs,
                             max_report_runs));
  }
  auto loaded = load_plan(options.scenario);
  if (!loaded) return loaded.error();
  const model::ResolvedPlan& plan = loaded->plan;
  const std::uint64_t seed = options.seed.value_or(loaded->scenario->seed);

  // The rehearsal drawn in the timeline: run 0 of the seed, exactly what `simulate` prints.
  check::Checker checker(plan);
  sim::TraceRecorder recorder;
  std::vector<sim::TraceObserver*> observers(checker.observers().begin(),
                                             checker.observers().end());
  observers.push_back(&recorder);
  const sim::RunSummary summary = sim::simulate_run(plan, seed, 0, observers);
  reports::RunView view = reports::make_run_view(plan, seed, summary, recorder.events(), checker);
  view.findings = check::analyse_plan(plan, {.strict = options.strict});

  reports::HtmlReport report;
  report.command = command;
  report.run = &view;
  report.trace = recorder.events();
  report.users = reports::user_impact_series(plan, recorder.events());

  std::optional<mc::BatchResult> batch;
  std::optional<mc::BatchSummary> batch_summary;
  if (options.runs && *options.runs > 1) {
    batch =
        mc::run_batch(plan, seed, *options.runs, mc::RunRange{0, *options.runs}, options.threads);
    batch_summary = mc::summarize(*batch);
    report.batch = &*batch_summary;
  }

  if (auto written =
          loader::write_file_atomically(options.output, reports::render_html_report(report));
      !written) {
    write_err(fmt::format("lyncupdate: error: {}\n", written.error()));
    return exit_internal;
  }
  const bool violations = !view.violations.empty() || check::has_errors(*view.findings) ||
                          (batch && batch->runs_with_violations > 0);
  return violations ? exit_violations : exit_clean;
}

int write_html_for(const RunOptions& options, std::string_view command, const std::string& file) {
  if (!options.shard.empty() || !options.partial.empty()) {
    return usage(
        "--html cannot be combined with --shard or --partial: write the report from "
        "the whole batch");
  }
  if (!options.runs && options.threads != 0) {
    return usage("--threads, --shard and --partial need --runs N");
  }
  ReportOptions report{.scenario = options.scenario,
                       .seed = options.seed,
                       .runs = options.runs,
                       .threads = options.threads,
                       .output = file,
                       .strict = options.strict};
  const int code = report_command(report, command);
  return code == exit_violations ? exit_clean : code;
}

}  // namespace lyncupdate::app
