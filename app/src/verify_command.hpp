#pragma once
/// \file
/// `lyncupdate verify`: exhaustive plan checking in worst-case time.

#include <cstdint>
#include <optional>
#include <string>

namespace lyncupdate::app {

/// Options of `verify`.
struct VerifyOptions {
  std::string scenario;                    ///< a file path or a shipped name; "" = default
  std::optional<std::uint64_t> operators;  ///< overrides the plan's operators
  std::optional<std::uint64_t> max_down;   ///< overrides limits.max_servers_down
  std::uint64_t max_states = 5'000'000;    ///< bound on distinct states
  std::uint64_t max_memory_mib = 2048;     ///< bound on the memory of the stored states
  std::uint64_t time_limit_s = 60;         ///< bound on wall time; 0 = none
  /// Cap every lognormal without max_min at this factor times its P95 for the search.
  std::optional<double> cap_factor;
  bool timing_limits = true;   ///< false: leave the outage limit and the window out of the proof
  std::string counterexample;  ///< write the replay scenario here; "" = don't
  bool json = false;
  std::string html;  ///< also write the HTML report, with the verification, here; "" = don't
};

/// Runs `verify`. Exit 0 proved, 1 violated or not proved, 2 bad input, 3 a file could not be
/// written.
int verify_command(const VerifyOptions& options);

}  // namespace lyncupdate::app
