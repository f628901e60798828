#pragma once
/// \file
/// `lyncupdate plan`: the fastest plan that verification proves and whose Monte Carlo risk is
/// below a ceiling, written as the scenario with its plan replaced.

#include <cstdint>
#include <optional>
#include <string>

namespace lyncupdate::app {

/// Options of `plan`.
struct PlanOptions {
  std::string scenario;                 ///< a file path or a shipped name; "" = default
  double max_risk = 0.01;               ///< risk ceiling, in (0, 1]
  std::uint64_t runs = 2000;            ///< Monte Carlo runs per plan confirmed
  std::optional<std::uint64_t> seed;    ///< overrides the scenario's seed
  unsigned threads = 0;                 ///< Monte Carlo threads; 0 = one per hardware thread
  double cap_factor = 2.5;              ///< unbounded steps capped at this x P95 for verify
  bool prove_timing = false;            ///< prove the outage limit in worst-case time too
  std::uint64_t time_limit_s = 60;      ///< bound on the search's wall time; 0 = none
  std::uint64_t max_nodes = 2'000'000;  ///< bound on the search tree
  std::string output;  ///< write the planned scenario here (atomically); "" = standard output
  bool json = false;   ///< the summary as JSON (on standard output when `output` is set)
};

/// Runs `plan`. Exit 0 a plan was found, 1 no feasible plan, 2 bad input, 3 the file could not
/// be written.
int plan_command(const PlanOptions& options);

}  // namespace lyncupdate::app
