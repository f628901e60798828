#pragma once
/// \file
/// `lyncupdate live`: the gate, the dry run, and the live run of a plan on real servers with
/// the simulation's executor, its monitors and a crash-safe journal.

#include <cstdint>
#include <optional>
#include <string>

namespace lyncupdate::app {

/// Options of `live`.
struct LiveOptions {
  std::string scenario;           ///< a file path or a shipped name
  std::string journal;            ///< the journal file; "" = "<scenario name>.journal"
  bool resume = false;            ///< continue the run the journal records
  bool retry_failed = false;      ///< with resume: probe the failed step, run it again if not done
  bool status = false;            ///< print what the journal says and what --resume would do
  bool dry_run = false;           ///< print the gate and every command, run nothing
  std::string transport = "ssh";  ///< "ssh" or "local"
  std::string ssh_config;         ///< passed to ssh as -F; "" = the user's own configuration
  std::string ssh_user;           ///< "" = ssh's default
  bool unattended = false;        ///< manual steps run their unattended checks
  std::uint64_t confirm_timeout_s = 600;
  std::optional<std::uint64_t> step_timeout_s;
  double max_risk = 0.01;          ///< the gate's ceiling on P(an outage reaches the limit)
  std::uint64_t gate_runs = 2000;  ///< Monte Carlo runs of the gate
  std::string guard = "stop";      ///< "stop" or "warn"
  double guard_threshold = 0.05;
  unsigned threads = 0;  ///< threads of the gate's Monte Carlo; 0 = one per hardware thread
  std::string html;      ///< after the run, the HTML report with the journal; "" = none
};

/// Exit code of a live run that the operator interrupted at a safe point (128 + SIGINT).
inline constexpr int exit_interrupted = 130;

int live_command(const LiveOptions& options);

}  // namespace lyncupdate::app
