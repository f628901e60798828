#include "lyncupdate/model/routing_groups.hpp"

#include <algorithm>
#include <cassert>
#include <tuple>

#include "lyncupdate/model/topology.hpp"

namespace lyncupdate::model {

std::size_t routing_group_count(const EnterprisePool& pool) {
  if (pool.routing_groups > 0) return static_cast<std::size_t>(pool.routing_groups);
  return std::max<std::size_t>(1, default_routing_groups_per_front_end * pool.front_ends.size());
}

std::vector<RoutingGroupPlacement> place_routing_groups(
    std::span<const std::size_t> domain_of_front_end, std::size_t groups) {
  const std::size_t front_ends = domain_of_front_end.size();
  std::vector<RoutingGroupPlacement> placement(front_ends == 0 ? 0 : groups);
  if (front_ends == 0) return placement;
  assert(front_ends <= 255 && "front end indices are 8-bit");
  const std::size_t replicas = std::min(routing_group_replicas, front_ends);
  std::vector<std::size_t> held(front_ends, 0);  // replicas per front end so far
  for (std::size_t g = 0; g < groups; ++g) {
    RoutingGroupPlacement& group = placement[g];
    const std::size_t primary = g % front_ends;
    const auto take = [&](std::size_t f) {
      group.front_ends[group.replicas++] = static_cast<std::uint8_t>(f);
      ++held[f];
    };
    take(primary);
    while (group.replicas < replicas) {
      // The best candidate: a domain the group does not use yet, then the least loaded front
      // end, then the first after the primary in topology order.
      std::size_t best = front_ends;
      std::tuple<bool, std::size_t, std::size_t> best_key{};
      for (std::size_t step = 1; step < front_ends; ++step) {
        const std::size_t f = (primary + step) % front_ends;
        const auto holders = group.holders();
        if (std::ranges::find(holders, f) != holders.end()) continue;
        const bool domain_used = std::ranges::any_of(holders, [&](std::uint8_t h) {
          return domain_of_front_end[h] == domain_of_front_end[f];
        });
        const std::tuple<bool, std::size_t, std::size_t> key{domain_used, held[f], step};
        if (best == front_ends || key < best_key) {
          best = f;
          best_key = key;
        }
      }
      take(best);
    }
  }
  return placement;
}

std::vector<std::size_t> upgrade_domain_of_front_ends(const EnterprisePool& pool) {
  std::vector<std::size_t> domain(pool.front_ends.size(), pool.upgrade_domains.size());
  std::size_t next = pool.upgrade_domains.size();
  for (std::size_t f = 0; f < pool.front_ends.size(); ++f) {
    const auto in = std::ranges::find_if(pool.upgrade_domains, [&](const auto& members) {
      return std::ranges::find(members, pool.front_ends[f]) != members.end();
    });
    domain[f] = in != pool.upgrade_domains.end()
                    ? static_cast<std::size_t>(in - pool.upgrade_domains.begin())
                    : next++;
  }
  return domain;
}

std::vector<RoutingGroupPlacement> place_routing_groups(const EnterprisePool& pool) {
  const std::vector<std::size_t> domains = upgrade_domain_of_front_ends(pool);
  return place_routing_groups(domains, routing_group_count(pool));
}

}  // namespace lyncupdate::model
