#pragma once
/// \file
/// Internal to the command line: `report`, and `--html FILE` on `simulate` and `check`.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "commands.hpp"
#include "lyncupdate/checker/verify.hpp"
#include "lyncupdate/model/resolve.hpp"
#include "lyncupdate/montecarlo/summary.hpp"
#include "lyncupdate/reports/actual_run.hpp"
#include "lyncupdate/reports/run_view.hpp"
#include "lyncupdate/simulator/trace.hpp"

namespace lyncupdate::app {

/// Options of `report`.
struct ReportOptions {
  std::string scenario;               ///< a file path or a shipped name; "" = default
  std::optional<std::uint64_t> seed;  ///< overrides the scenario's seed
  std::optional<std::uint64_t> runs;  ///< Monte Carlo runs; none or 1 = one rehearsal
  unsigned threads = 0;               ///< worker threads; 0 = one per hardware thread
  std::string output;                 ///< the HTML file to write
  bool strict = false;                ///< the static analysis in `--strict` mode
  /// A journal of `live` for this scenario text, compared with the rehearsal; "" = none.
  std::string journal;
};

/// `report`: rehearses SCENARIO (and with --runs N, a Monte Carlo batch of the same seed),
/// with --journal compares the live run it records, writes the HTML report atomically. A
/// journal of another scenario text (its header's SHA-256) is bad input: nothing is written. Exit
/// code as `simulate`/`check`: 0 clean, 1 violations or static errors, 2 bad input, 3 the file
/// cannot be written.
int report_command(const ReportOptions& options);

/// `simulate --html FILE` and `check --html FILE`: exit_clean when the options can give a
/// report, else the usage error (said on standard error) to exit with. Checked before
/// anything runs.
int check_html_options(const RunOptions& options);

/// Writes the report of a rehearsal that `command` ran (`view` with its findings, `trace`) and
/// of its Monte Carlo batch (null for none) to `file`, atomically. Returns exit_clean, or
/// exit_internal when the file cannot be written (said on standard error).
int write_html_report(const std::string& file, std::string_view command,
                      const reports::RunView& view, std::span<const sim::TraceEvent> trace,
                      const mc::BatchSummary* batch = nullptr,
                      const reports::ActualRun* actual = nullptr,
                      const check::VerifyResult* verification = nullptr);

/// `live --html FILE`: after the run, writes the report that `report SCENARIO --journal
/// JOURNAL -o FILE` writes, of `plan` as the run loaded it from the text the gate hashed
/// (`sha256`; `source` names it), never from the file read again. Returns `code` (the run's
/// exit code), or exit_internal when the report cannot be written and the run was otherwise
/// clean; problems go to standard error.
int write_live_report(const std::string& file, const model::ResolvedPlan& plan,
                      const std::string& source, const std::string& sha256,
                      const std::string& journal, int code);

}  // namespace lyncupdate::app
