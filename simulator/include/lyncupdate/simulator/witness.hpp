#pragma once
/// \file
/// The SQL Server mirroring witness of a rehearsal (DOMAIN.md sections 2 and 4): when a
/// principal back end with a witness becomes unavailable while its mirror is available, the
/// witness fails the databases over automatically, after a time drawn from the scenario's
/// `automatic_failover` timing (ASSUMED at most the 5-minute RTO by default). The principal
/// then shows as available, served by its mirror (`database_principal` mirror), and stays so
/// until a step fails it back.
///
/// What starts an outage decides whether the witness acts: `Install-CsDatabase` (a `database`
/// step) keeps SQL Server running, so the witness sees the principal alive and does nothing.
/// Live mode has no Witness: the real one acts there.

#include <cstdint>
#include <vector>

#include "lyncupdate/model/resolve.hpp"
#include "lyncupdate/simulator/engine.hpp"
#include "lyncupdate/simulator/random.hpp"
#include "lyncupdate/simulator/trace.hpp"
#include "lyncupdate/simulator/world.hpp"

namespace lyncupdate::sim {

/// Automatic failovers of the witnessed principal back ends of one run.
class Witness final : public TraceObserver, public EventHandler {
 public:
  /// `random` is the run's witness stream, so that failovers never shift the plan's draws.
  /// With `chance_failures` false, a failover drawn to fail happens all the same.
  Witness(const model::ResolvedPlan& plan, World& world, RunRandom& random, Trace& trace,
          bool chance_failures = true);

  /// Registers for automatic_failover events; call before the run starts.
  void start(Engine& engine);

  void on_event(const TraceEvent& event) override;
  void handle(const Event& event, Engine& engine) override;

  /// Whether the plan has a principal back end with a witness (else the Witness never acts).
  bool any() const { return !principals_.empty(); }

 private:
  struct Principal {
    std::uint16_t server = no_index;  // the planned principal back end
    std::size_t pool = 0;
    std::uint16_t outage = 0;  // which of its outages is under way, counted from 1
  };
  Principal* principal_of(std::uint16_t server);

  const model::ResolvedPlan* plan_;
  World* world_;
  RunRandom* random_;
  Trace* trace_;
  Engine* engine_ = nullptr;
  bool chance_failures_;
  std::vector<Principal> principals_;
  std::vector<std::uint16_t> current_step_;  // per server: its step under way, or no_index
};

}  // namespace lyncupdate::sim
