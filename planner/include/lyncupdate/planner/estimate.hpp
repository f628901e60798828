#pragma once
/// \file
/// The planner's cheap deterministic estimate of how long a stage takes: every step at a
/// percentile of its timing, the servers of the stage worked by the operators as the
/// simulator works them. It ranks candidate plans; the Monte Carlo measures the one chosen.

#include <cstddef>
#include <span>
#include <vector>

#include "lyncupdate/model/resolve.hpp"
#include "lyncupdate/model/time.hpp"

namespace lyncupdate::planner {

/// One server's steps as the estimate sees them, in runbook order.
struct StepChain {
  std::vector<Duration> p95;  ///< each step's 95th percentile
  std::vector<Duration> p50;  ///< each step's median
  friend bool operator==(const StepChain&, const StepChain&) = default;
};

/// The duration of one attempt of `step` at cumulative probability `p` in (0, 1), plus the
/// installer's restart when it is asked for with probability above 1 - p. Retries are left
/// out: a failed step is rare, and a run that stops is shorter, not longer.
Duration step_quantile(const model::ResolvedStep& step, double p);

/// `server`'s steps at their 95th percentile and median.
StepChain step_chain(const model::ResolvedServer& server);

/// How long a stage takes when `operators` (0: one per server) work the servers whose step
/// durations are `chains`, given in plan order: whenever operators are free, they take the
/// waiting servers that come first in the plan, as the simulator does (README, "Exhaustive
/// verification"), and no operator idles while a server waits. Without an operator limit, the
/// longest chain. At least the longest chain and the total work divided by the operators.
Duration stage_makespan(std::span<const std::span<const Duration>> chains, std::size_t operators);

}  // namespace lyncupdate::planner
