#pragma once
/// \file
/// What a plan is made of: work items (servers that go into one stage together) and the
/// constraints between them. Everything a planner may reorder is decided here, in one place,
/// from the scenario's topology and limits.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lyncupdate/model/scenario.hpp"

namespace lyncupdate::planner {

/// What a work item updates.
enum class ItemKind : std::uint8_t {
  back_end,          ///< the principal SQL Server back end of an Enterprise Edition pool
  mirror,            ///< the mirror of a pool's back end (DOMAIN.md section 4)
  standard_edition,  ///< a Standard Edition server
  upgrade_domain,    ///< the front ends of one upgrade domain of a pool (DOMAIN.md section 3)
};

/// The JSON name of a kind, e.g. "upgrade_domain".
std::string_view item_kind_name(ItemKind kind);

/// Servers that must be updated in the same stage: one back end, mirror or Standard Edition
/// server, or every front end of one upgrade domain.
struct WorkItem {
  /// What people call it: the server's FQDN, or "<pool> upgrade domain <n>" (1-based).
  std::string name;
  ItemKind kind = ItemKind::back_end;
  /// FQDNs of the servers, in topology order; at least one. They go into a stage in this
  /// order.
  std::vector<std::string> servers;
  /// Index into Topology::pools (back end, mirror, upgrade domain) or into
  /// Topology::standard_edition_servers.
  std::size_t index = 0;
  /// Upgrade domains: index into the pool's `upgrade_domains`; 0 for other kinds.
  std::size_t upgrade_domain = 0;
  friend bool operator==(const WorkItem&, const WorkItem&) = default;
};

/// Item `before` must be updated in an earlier stage than item `after`.
struct Precedence {
  std::size_t before = 0;  ///< index into the items
  std::size_t after = 0;   ///< index into the items
  std::string reason;      ///< lower-case, cites its source
  friend bool operator==(const Precedence&, const Precedence&) = default;
};

/// Items `first` and `second` must never share a stage.
struct Conflict {
  std::size_t first = 0;   ///< index into the items
  std::size_t second = 0;  ///< index into the items
  std::string reason;      ///< lower-case, cites its source
  friend bool operator==(const Conflict&, const Conflict&) = default;
};

/// Everything a plan must respect besides updating every item once.
struct Constraints {
  std::vector<Precedence> precedences;
  std::vector<Conflict> conflicts;
  /// At most this many servers in one stage (`limits.max_servers_down`: every server of a
  /// stage is unavailable at some point, so a stage counts all of them); nothing: no limit.
  std::optional<std::size_t> max_servers_per_stage;
  /// Steps that may run at once (`plan.operators`); 0: one operator per server.
  std::size_t operators = 0;
  friend bool operator==(const Constraints&, const Constraints&) = default;
};

/// The work items of `scenario`, in topology order (model::update_targets): each pool's back
/// end and its mirror, each Standard Edition server, then, when the scenario has a front-end
/// runbook, one item per upgrade domain of each pool (its front ends in topology order).
/// Every update target is in exactly one item.
std::vector<WorkItem> work_items(const model::Scenario& scenario);

/// The constraints between `items` (from work_items(scenario)):
///   - a mirror before its principal (DOMAIN.md section 4, community practice);
///   - the upgrade domains of one pool one after another, in the order of the pool's
///     `upgrade_domains` (DOMAIN.md section 3);
///   - a pool's back end never in a stage with one of its upgrade domains: it is the pool's
///     quorum witness (DOMAIN.md section 4);
/// plus `limits.max_servers_down` and `plan.operators`.
Constraints constraints(const model::Scenario& scenario, std::span<const WorkItem> items);

}  // namespace lyncupdate::planner
