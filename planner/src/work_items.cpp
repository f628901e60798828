#include "lyncupdate/planner/work_items.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include <fmt/format.h>

#include "lyncupdate/model/mirror_failover.hpp"

namespace lyncupdate::planner {

std::string_view item_kind_name(ItemKind kind) {
  switch (kind) {
    case ItemKind::back_end:
      return "back_end";
    case ItemKind::mirror:
      return "mirror";
    case ItemKind::standard_edition:
      return "standard_edition";
    case ItemKind::upgrade_domain:
      return "upgrade_domain";
  }
  return "back_end";
}

std::vector<WorkItem> work_items(const model::Scenario& scenario) {
  std::vector<WorkItem> items;
  // (pool, upgrade domain) -> item: the front ends of one domain are one item.
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> domains;
  for (const model::UpdateTarget& target : model::update_targets(scenario.topology)) {
    if (target.role == model::Role::front_end) {
      // Without a front-end runbook the front ends cannot be planned (model::resolve_plan).
      if (!scenario.front_end_runbook) continue;
      const auto key = std::pair{target.index, target.upgrade_domain};
      if (const auto it = domains.find(key); it != domains.end()) {
        items[it->second].servers.push_back(target.fqdn);
        continue;
      }
      domains.emplace(key, items.size());
      items.push_back(
          {fmt::format("{} upgrade domain {}", target.pool_fqdn, target.upgrade_domain + 1),
           ItemKind::upgrade_domain,
           {target.fqdn},
           target.index,
           target.upgrade_domain});
      continue;
    }
    ItemKind kind = ItemKind::back_end;
    if (target.role == model::Role::standard_edition) {
      kind = ItemKind::standard_edition;
    } else if (target.mirror) {
      kind = ItemKind::mirror;
    }
    items.push_back({target.fqdn, kind, {target.fqdn}, target.index});
  }
  return items;
}

Constraints constraints(const model::Scenario& scenario, std::span<const WorkItem> items) {
  Constraints out;
  // Per pool: its principal back end, its mirror and its upgrade domains.
  struct PoolItems {
    std::optional<std::size_t> back_end;
    std::optional<std::size_t> mirror;
    std::vector<std::size_t> domains;
  };
  std::vector<PoolItems> pools(scenario.topology.pools.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const WorkItem& item = items[i];
    if (item.kind == ItemKind::standard_edition) continue;
    PoolItems& pool = pools.at(item.index);
    if (item.kind == ItemKind::back_end) pool.back_end = i;
    if (item.kind == ItemKind::mirror) pool.mirror = i;
    if (item.kind == ItemKind::upgrade_domain) pool.domains.push_back(i);
  }
  for (PoolItems& pool : pools) {
    // work_items lists domains in the order of their first front end; updates follow the
    // order of the pool's `upgrade_domains`.
    std::ranges::sort(pool.domains, {}, [&](std::size_t i) { return items[i].upgrade_domain; });
    if (pool.back_end && pool.mirror) {
      // The rule check and verify judge step by step (model/mirror_failover.hpp); a plan holds
      // it by updating the whole mirror in an earlier stage.
      out.precedences.push_back(
          {*pool.mirror, *pool.back_end, std::string(model::mirror_first_reason)});
    }
    for (std::size_t d = 1; d < pool.domains.size(); ++d) {
      out.precedences.push_back(
          {pool.domains[d - 1], pool.domains[d],
           "DOMAIN.md section 3: a pool's upgrade domains are updated one at a time, in the "
           "order the topology lists them"});
    }
    if (pool.back_end) {
      for (const std::size_t domain : pool.domains) {
        out.conflicts.push_back(
            {*pool.back_end, domain,
             "DOMAIN.md section 4: the back end is the pool's quorum witness; it is never down "
             "while front ends of its pool are"});
      }
    }
  }
  if (scenario.limits.max_servers_down) {
    out.max_servers_per_stage = static_cast<std::size_t>(*scenario.limits.max_servers_down);
  }
  if (scenario.plan.operators) out.operators = static_cast<std::size_t>(*scenario.plan.operators);
  return out;
}

}  // namespace lyncupdate::planner
