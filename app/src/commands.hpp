#pragma once
/// \file
/// The subcommands of `lyncupdate`. Each returns the process exit code.

#include <cstdint>
#include <optional>
#include <string>

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
};

int simulate_command(const RunOptions& options);
int check_command(const RunOptions& options);
int export_command(const std::string& name);

}  // namespace lyncupdate::app
