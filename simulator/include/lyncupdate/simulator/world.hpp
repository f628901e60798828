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
  const model::ResolvedPlan& plan() const { return *plan_; }

  /// Whether front end `front_end` (topology order) of pool `pool` runs its Lync services; a
  /// front end the plan does not update always does.
  bool front_end_running(std::size_t pool, std::size_t front_end) const;
  /// Whether pool `pool`'s databases are available: its principal back end's, or, once they
  /// failed over (`database_principal` is mirror), its mirror's; a server the plan does not
  /// update always is.
  bool back_end_available(std::size_t pool) const;
  /// Whether pool `pool` has its quorum witness: the primary SQL database, its principal back
  /// end, available and not failed over to the mirror (docs/domain-notes.md, "The quorum
  /// witness while a pool runs on its mirror"); a principal the plan does not update always
  /// is.
  bool witness_available(std::size_t pool) const;
  /// Whether planned server `server` is available (`backend`); no_index, a server the plan
  /// does not update, always is.
  bool available(std::uint16_t server) const;
  /// Pool `pool`'s planned principal back end and mirror, or no_index.
  std::uint16_t back_end_server(std::size_t pool) const { return back_end_servers_.at(pool); }
  std::uint16_t mirror_server(std::size_t pool) const { return mirror_servers_.at(pool); }
  /// Whether pool `pool` keeps running (model::pool_keeps_running).
  bool pool_running(std::size_t pool) const;
  /// What `Get-CsPoolUpgradeReadinessState` answers for front end `server`'s upgrade domain:
  /// whether the pool keeps running with every front end of that domain stopped.
  bool upgrade_domain_may_stop(std::uint16_t server) const;

 private:
  std::vector<model::ServerState> states_;
  Trace* trace_;
  const model::ResolvedPlan* plan_;
  // Per pool: the planned server of each front end (topology order) and of the principal back
  // end, or no_index.
  std::vector<std::vector<std::uint16_t>> front_end_servers_;
  std::vector<std::uint16_t> back_end_servers_;
  std::vector<std::uint16_t> mirror_servers_;
};

}  // namespace lyncupdate::sim
