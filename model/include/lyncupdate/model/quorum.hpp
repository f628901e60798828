#pragma once
/// \file
/// Pool-level quorum of a Front End pool (DOMAIN.md section 3): how many front ends must run,
/// and among which, for the pool to keep running while its back end is up. Below it the
/// remaining front ends stop every Lync service and the pool's users are disconnected.

#include <cstddef>
#include <span>

namespace lyncupdate::model {

/// What a pool of a given size needs: at least `must_run` running front ends among the first
/// `among_first` in topology order (the order in which the servers were first started).
struct QuorumRule {
  std::size_t must_run = 0;
  std::size_t among_first = 0;
  friend bool operator==(const QuorumRule&, const QuorumRule&) = default;
};

/// The rule for a pool of `front_ends` servers (1 or more), after the published table:
///
/// | front ends | must be running          |
/// |-----------:|--------------------------|
/// | 1          | 1 (a pool of one; not in the table) |
/// | 2          | 1                        |
/// | 3-4        | any 2                    |
/// | 5-6        | any 3                    |
/// | 7          | any 4                    |
/// | 8-9        | any 4 of the first 7     |
/// | 10-12      | any 5 of the first 9     |
///
/// Pools of more than 12 front ends do not exist in Lync Server 2013 (the loader refuses
/// them); they get the 10-12 rule.
QuorumRule pool_quorum_rule(std::size_t front_ends);

/// Whether a pool of `front_ends` servers has quorum when `running_in_topology_order[i]` says
/// whether its i-th front end (topology order) runs. Entries past the span's end count as not
/// running; entries past `front_ends` are ignored. A pool of 0 front ends has no quorum.
bool pool_has_quorum(std::size_t front_ends, std::span<const bool> running_in_topology_order);

/// Whether the pool keeps running, its back end's state included. The back end (the principal
/// SQL database) is the pool's quorum witness (DOMAIN.md section 4): with it, the table above;
/// without it, ASSUMED, the front ends must also hold a strict majority among themselves
/// (more than half of all of them running), as a quorum without a witness does.
bool pool_keeps_running(std::size_t front_ends, std::span<const bool> running_in_topology_order,
                        bool back_end_available);

struct EnterprisePool;

/// What `Get-CsPoolUpgradeReadinessState` answers for upgrade domain `domain` of `pool`
/// (DOMAIN.md section 3): whether the pool keeps running (pool_keeps_running) with every
/// front end of that domain stopped too. `running_in_topology_order` has one entry per front
/// end of the pool.
bool upgrade_domain_may_stop(const EnterprisePool& pool,
                             std::span<const bool> running_in_topology_order, std::size_t domain,
                             bool back_end_available);

}  // namespace lyncupdate::model
