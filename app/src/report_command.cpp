// `report` and `--html FILE`: the self-contained HTML report, written atomically.

#include "report_command.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "common.hpp"
#include "lyncupdate/checker/runbook_analysis.hpp"
#include "lyncupdate/live/journal.hpp"
#include "lyncupdate/live/sha256.hpp"
#include "lyncupdate/loader/files.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/model/printable.hpp"
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

// The journal `file` of a live run of exactly the scenario text whose SHA-256 is `sha256`
// (`source` as it reads now): the SHA-256 that `live` recorded must be that of the text, so
// that the comparison is with the plan that ran.
std::expected<live::Journal, int> read_journal_of(const std::string& source,
                                                  const std::string& sha256,
                                                  const std::string& file) {
  auto journal = live::read_journal(file);
  if (!journal) {
    write_err(fmt::format("lyncupdate: error: {}\n", journal.error()));
    return std::unexpected(exit_bad_input);
  }
  if (journal->header.scenario_sha256 != sha256) {
    write_err(fmt::format(
        "lyncupdate: error: {}: the journal was written for another scenario text (sha256 {}, "
        "scenario {}), not for {} as it reads now (sha256 {}): compare a live run only with "
        "the scenario it ran; nothing was written\n",
        file, model::printable(journal->header.scenario_sha256),
        model::printable(journal->header.scenario), source, sha256));
    return std::unexpected(exit_bad_input);
  }
  return std::move(*journal);
}

// The journal of a live run of the scenario `scenario` names, as its file reads now.
std::expected<live::Journal, int> read_matching_journal(const std::string& scenario,
                                                        const std::string& file) {
  const std::string source = scenario.empty() ? std::string(default_scenario_name()) : scenario;
  auto text = loader::self_contained_scenario(source, is_scenario_file(source));
  if (!text) return std::unexpected(report_problems(text.error()));
  return read_journal_of(source, live::sha256_hex(*text), file);
}

// The report of `plan`: its rehearsal (run 0 of the seed), a batch with --runs, the live run
// `actual` when there is one. Exit code as `report_command`.
int write_plan_report(const ReportOptions& options, const model::ResolvedPlan& plan,
                      std::uint64_t scenario_seed, const reports::ActualRun* actual) {
  const std::uint64_t seed = options.seed.value_or(scenario_seed);

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
                                            batch_summary ? &*batch_summary : nullptr, actual);
      written != exit_clean) {
    return written;
  }
  const bool violations = !view.violations.empty() || check::has_errors(*view.findings) ||
                          (batch && batch->runs_with_violations > 0);
  return violations ? exit_violations : exit_clean;
}

}  // namespace

int report_command(const ReportOptions& options) {
  if (options.output.empty()) return usage("report needs the HTML file to write: -o FILE");
  if (const int code = check_runs(options.runs); code != exit_clean) return code;
  auto loaded = load_plan(options.scenario);
  if (!loaded) return loaded.error();
  const model::ResolvedPlan& plan = loaded->plan;
  std::optional<reports::ActualRun> actual;
  if (!options.journal.empty()) {
    auto journal = read_matching_journal(options.scenario, options.journal);
    if (!journal) return journal.error();
    actual = reports::actual_run(plan, *journal);
  }
  return write_plan_report(options, plan, loaded->scenario->seed, actual ? &*actual : nullptr);
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
                      const mc::BatchSummary* batch, const reports::ActualRun* actual,
                      const check::VerifyResult* verification) {
  reports::HtmlReport report;
  report.actual = actual;
  report.verification = verification;
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

int write_live_report(const std::string& file, const model::ResolvedPlan& plan,
                      const std::string& source, const std::string& sha256,
                      const std::string& journal, int code) {
  ReportOptions options;
  options.scenario = source;
  options.journal = journal;
  options.output = file;
  // The plan that ran, from the text the gate hashed: the file may have changed since.
  int written = exit_internal;
  if (auto read = read_journal_of(source, sha256, journal)) {
    const reports::ActualRun actual = reports::actual_run(plan, *read);
    written = write_plan_report(options, plan, plan.scenario->seed, &actual);
  } else {
    written = read.error();
  }
  if (written == exit_bad_input || written == exit_internal) {
    write_err(fmt::format("lyncupdate: live: the report {} was not written\n", file));
    return code == exit_clean ? exit_internal : code;
  }
  return code;
}

}  // namespace lyncupdate::app
