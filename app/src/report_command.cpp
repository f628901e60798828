// `report` and `--html FILE`: the self-contained HTML report, written atomically.

#include "report_command.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "common.hpp"
#include "lyncupdate/checker/runbook_analysis.hpp"
#include "lyncupdate/loader/files.hpp"
#include "lyncupdate/montecarlo/batch.hpp"
#include "lyncupdate/montecarlo/summary.hpp"
#include "lyncupdate/reports/html.hpp"

namespace lyncupdate::app {
namespace {

constexpr std::uint64_t max_report_runs = 10'000'000;

int usage(const std::string& message) {
  write_err(fmt::format("lyncupdate: error: {}\n", message));
  return exit_bad_input;
}

// The runs one report can draw.
int check_runs(std::optional<std::uint64_t> runs) {
  if (runs && *runs == 0) return usage("--runs needs at least 1 run");
  if (runs && *runs > max_report_runs) {
    return usage(
        fmt::format("--runs {} is more than {} runs for one report", *runs, max_report_runs));
  }
  return exit_clean;
}

}  // namespace

int report_command(const ReportOptions& options) {
  if (options.output.empty()) return usage("report needs the HTML file to write: -o FILE");
  if (const int code = check_runs(options.runs); code != exit_clean) return code;
  auto loaded = load_plan(options.scenario);
  if (!loaded) return loaded.error();
  const model::ResolvedPlan& plan = loaded->plan;
  const std::uint64_t seed = options.seed.value_or(loaded->scenario->seed);

  // The rehearsal drawn in the timeline: run 0 of the seed, exactly what `simulate` prints.
  Rehearsal rehearsal = rehearse(plan, seed);
  const reports::RunView& view = rehearsal.view;
  rehearsal.view.findings = check::analyse_plan(plan, {.strict = options.strict});

  std::optional<mc::BatchResult> batch;
  std::optional<mc::BatchSummary> batch_summary;
  if (options.runs && *options.runs > 1) {
    batch =
        mc::run_batch(plan, seed, *options.runs, mc::RunRange{0, *options.runs}, options.threads);
    batch_summary = mc::summarize(*batch);
  }
  if (const int written = write_html_report(options.output, "report", view, rehearsal.trace,
                                            batch_summary ? &*batch_summary : nullptr);
      written != exit_clean) {
    return written;
  }
  const bool violations = !view.violations.empty() || check::has_errors(*view.findings) ||
                          (batch && batch->runs_with_violations > 0);
  return violations ? exit_violations : exit_clean;
}

int check_html_options(const RunOptions& options) {
  if (!options.shard.empty() || !options.partial.empty()) {
    return usage(
        "--html cannot be combined with --shard or --partial: write the report from "
        "the whole batch");
  }
  if (!options.runs && options.threads != 0) {
    return usage("--threads, --shard and --partial need --runs N");
  }
  return check_runs(options.runs);
}

int write_html_report(const std::string& file, std::string_view command,
                      const reports::RunView& view, std::span<const sim::TraceEvent> trace,
                      const mc::BatchSummary* batch) {
  reports::HtmlReport report;
  report.command = command;
  report.run = &view;
  report.trace = trace;
  report.users = reports::user_impact_series(*view.plan, trace);
  report.batch = batch;
  if (auto written = loader::write_file_atomically(file, reports::render_html_report(report));
      !written) {
    write_err(fmt::format("lyncupdate: error: {}\n", written.error()));
    return exit_internal;
  }
  return exit_clean;
}

}  // namespace lyncupdate::app
