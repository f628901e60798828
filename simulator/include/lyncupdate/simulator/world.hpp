#pragma once
/// \file
/// The rehearsed world: the state of every server in the plan. Each change is reported as a
/// `state_changed` trace event, so monitors never read the world directly.

#include <vector>

#include "lyncupdate/model/resolve.hpp"
#include "lyncupdate/simulator/trace.hpp"

namespace lyncupdate::sim {

/// Server states of one run, indexed like ResolvedPlan::servers.
class World {
 public:
  World(const model::ResolvedPlan& plan, Trace& trace);

  /// Sets each of `effects` on `server` at `time`, emitting one event per actual change.
  void apply(std::uint16_t server, const model::Conditions& effects, TimePoint time);

  const model::ServerState& state(std::uint16_t server) const { return states_.at(server); }

 private:
  std::vector<model::ServerState> states_;
  Trace* trace_;
};

}  // namespace lyncupdate::sim
