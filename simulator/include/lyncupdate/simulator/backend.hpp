#pragma once
/// \file
/// The boundary between the executor and whatever performs steps. The executor never knows
/// which backend it has: the simulated backend samples a duration and an outcome from the
/// timing model; a live backend runs the step's real command through a transport.

#include <cstdint>

#include "lyncupdate/model/resolve.hpp"
#include "lyncupdate/simulator/engine.hpp"

namespace lyncupdate::sim {

/// Which step of which server, with everything needed to perform it.
struct StepRequest {
  std::uint16_t server = 0;  ///< index into ResolvedPlan::servers
  std::uint16_t step = 0;    ///< index into the server's steps
  std::uint16_t attempt = 1;
  const model::UpdateTarget* target = nullptr;
  const model::ResolvedStep* resolved = nullptr;
};

/// Performs steps.
class Backend {
 public:
  virtual ~Backend() = default;
  /// Starts `request` at `engine.now()`. The backend must arrange for exactly one
  /// `EventKind::step_finished` event carrying the request's server, step and attempt, at
  /// the time the step ends, with its outcome.
  virtual void begin(const StepRequest& request, Engine& engine) = 0;
  /// Asked just before the executor starts `request`. A live backend refuses when the
  /// operator interrupted the run or its guard forecasts that the step would breach a limit;
  /// the executor then stops the plan at this safe point, starting nothing more. The
  /// simulated backend always admits.
  virtual bool admit(const StepRequest& /*request*/, Engine& /*engine*/) { return true; }
};

}  // namespace lyncupdate::sim
