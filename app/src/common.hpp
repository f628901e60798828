#pragma once
/// \file
/// Internal to the command line: helpers the subcommands share.

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/model/resolve.hpp"
#include "lyncupdate/reports/run_view.hpp"
#include "lyncupdate/reports/style.hpp"
#include "lyncupdate/simulator/trace.hpp"

namespace lyncupdate::app {

/// Writes `text` to standard output in one go (output is rendered whole first, so it is
/// never half written when something fails).
void write_out(const std::string& text);

/// Colour for standard output: on a terminal only, and not when NO_COLOR is set.
reports::TextStyle stdout_style();

/// Writes `text` to standard error in one go.
void write_err(const std::string& text);

/// `path` as one POSIX shell word: as it is when it holds only safe characters, else quoted
/// (for the commands a subcommand prints for the user to run next).
std::string shell_word(const std::string& path);

/// Whether SCENARIO names a file: it looks like a path or exists on disk; otherwise it is a
/// shipped scenario's name.
bool is_scenario_file(const std::string& argument);

/// The shipped scenario that runs when none is named.
std::string_view default_scenario_name();

/// Loads SCENARIO: a path when it looks like one or exists on disk, else a shipped name;
/// "" is the default scenario.
loader::LoadResult load(const std::string& argument);

/// Prints every problem and the closing line (`command: N problems in the input; outcome`);
/// returns exit_bad_input, or exit_internal when a problem is in what ships in the binary.
int report_problems(const std::vector<loader::Diagnostic>& problems,
                    std::string_view command = "lyncupdate",
                    std::string_view outcome = "nothing was run");

/// A loaded scenario and its resolved plan. The scenario lives on the heap because the plan
/// points into it.
struct LoadedPlan {
  std::unique_ptr<model::Scenario> scenario;
  model::ResolvedPlan plan;
};

/// Loads SCENARIO (as `load`) and resolves its plan; on failure, reports why and gives the
/// exit code.
std::expected<LoadedPlan, int> load_plan(const std::string& argument);

/// One rehearsal with its trace kept: run 0 of the seed, as `simulate` prints it and the HTML
/// report draws it.
struct Rehearsal {
  std::vector<sim::TraceEvent> trace;
  reports::RunView view;  ///< checked by the monitors, users included; no findings
};

/// Rehearses `plan` once (run 0 of `seed`) with the monitors and the users simulated
/// alongside, keeping the trace.
Rehearsal rehearse(const model::ResolvedPlan& plan, std::uint64_t seed,
                   const sim::RunSettings& settings = {});

/// `simulate --runs N`: a Monte Carlo batch, a shard of one, or a partial result.
int montecarlo_command(const RunOptions& options);

}  // namespace lyncupdate::app
