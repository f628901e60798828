#pragma once
/// \file
/// Routing groups of a Front End pool (DOMAIN.md section 3): the pool's users are grouped in
/// routing groups, each kept on three front ends, one primary and two secondaries. Where the
/// replicas of each group live, which user belongs to which group, and how many replicas a
/// group needs to keep writing.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace lyncupdate::model {

struct EnterprisePool;

/// Replicas per routing group: one primary and two secondaries (DOMAIN.md section 3).
inline constexpr std::size_t routing_group_replicas = 3;

/// The most routing groups a scenario may give a pool (the loader's limit).
inline constexpr std::size_t max_routing_groups = 10'000;

// ASSUMED (docs/domain-notes.md): four routing groups per front end.
/// ASSUMED (no published figure): without `routing_groups`, a pool has this many routing
/// groups per front end. A multiple of the front ends gives every front end the same number of
/// primaries; four per front end lets the placement below spread the secondaries of each front
/// end's primaries over the other upgrade domains, and keeps per-group figures readable.
inline constexpr std::size_t default_routing_groups_per_front_end = 4;

/// The routing groups of `pool`: its `routing_groups` when given, else
/// default_routing_groups_per_front_end x its front ends (at least 1).
std::size_t routing_group_count(const EnterprisePool& pool);

/// Where one routing group's replicas live, as indices into the pool's front ends (topology
/// order): `front_ends[0]` holds the primary, the next the secondaries. A pool of one or two
/// front ends holds as many replicas as it has front ends.
struct RoutingGroupPlacement {
  std::array<std::uint8_t, routing_group_replicas> front_ends{};
  std::uint8_t replicas = 0;  ///< how many entries of `front_ends` are used

  /// The front ends holding the replicas, primary first.
  std::span<const std::uint8_t> holders() const { return {front_ends.data(), replicas}; }
  friend bool operator==(const RoutingGroupPlacement&, const RoutingGroupPlacement&) = default;
};

/// Places `groups` routing groups on a pool whose front end i (topology order) is in upgrade
/// domain `domain_of_front_end[i]`. Deterministic, a pure function of its arguments:
/// - the primary of group g is front end g mod F (F front ends): primaries spread evenly;
/// - each secondary is, among the front ends not holding the group yet, one in an upgrade
///   domain the group does not use yet if there is one (ASSUMED, DOMAIN.md section 3: Windows
///   Fabric spreads a group's replicas over upgrade domains, which is why updating one domain
///   at a time is safe), then the one holding the fewest replicas so far, then the first after
///   the primary in topology order, cyclically.
/// With three or more domains, every group's replicas are therefore in three distinct domains;
/// with fewer, two replicas of a group necessarily share a domain.
std::vector<RoutingGroupPlacement> place_routing_groups(
    std::span<const std::size_t> domain_of_front_end, std::size_t groups);

/// The upgrade domain (index into `upgrade_domains`) of each front end of `pool`, topology
/// order; a front end in no domain is a domain of its own, numbered after the pool's.
std::vector<std::size_t> upgrade_domain_of_front_ends(const EnterprisePool& pool);

/// place_routing_groups over `pool`'s front ends, upgrade domains and routing_group_count.
std::vector<RoutingGroupPlacement> place_routing_groups(const EnterprisePool& pool);

/// The routing group of the pool's user with local index `user` (0 to users - 1) among `groups`
/// groups: `user` mod `groups`, so that groups differ by at most one user.
constexpr std::size_t routing_group_of_user(std::size_t user, std::size_t groups) {
  return user % groups;
}

/// How many of a group's `replicas` must run for it to keep its write quorum: ASSUMED, a
/// majority (2 of 3, both of 2, the only one of 1), as Windows Fabric needs for a replica set.
/// Below it the group's users are in resiliency mode; with none running, disconnected.
// ASSUMED (docs/domain-notes.md): a majority of a group's replicas keeps it writing.
constexpr std::size_t routing_group_write_quorum(std::size_t replicas) { return replicas / 2 + 1; }

}  // namespace lyncupdate::model
