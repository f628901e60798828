#pragma once
/// \file
/// The subcommands of `lyncupdate`. Each returns the process exit code.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lyncupdate::app {

/// Exit codes (README, "Exit codes").
enum ExitCode : int {
  exit_clean = 0,       ///< success, no violation
  exit_violations = 1,  ///< the run broke an invariant
  exit_bad_input = 2,   ///< bad input or usage; nothing was run
  exit_internal = 3,    ///< internal or environment failure
};

/// Options shared by the commands that run a scenario.
struct RunOptions {
  std::string scenario;               ///< a file path or a shipped name; "" = default
  std::optional<std::uint64_t> seed;  ///< overrides the scenario's seed
  bool json = false;
  bool analyse = false;  ///< run the static analysis before the rehearsal (`check`)
  bool strict = false;   ///< `check --strict`: warnings and unproved bounds are errors
  /// `check --draw-failures`: steps fail with their failure probability, as in `simulate`;
  /// without it `check`'s rehearsal has no chance failure.
  bool draw_failures = false;
  // Monte Carlo (`simulate` only): set `runs` to run a batch.
  std::optional<std::uint64_t> runs;  ///< runs in the batch
  unsigned threads = 0;               ///< worker threads; 0 = one per hardware thread
  std::string shard;                  ///< "K/N": run the K-th of N slices; "" = all
  std::string partial;                ///< write a mergeable partial result here; "" = print
  /// `--html FILE`: also write the HTML report of the same rehearsal (and batch) here; "" =
  /// none.
  std::string html;
};

/// Options of `merge`.
struct MergeOptions {
  std::vector<std::string> files;  ///< partial results written by `simulate --partial`
  bool json = false;
};

int simulate_command(const RunOptions& options);
int check_command(const RunOptions& options);
int export_command(const std::string& name);
int merge_command(const MergeOptions& options);

}  // namespace lyncupdate::app
