#include "lyncupdate/model/quorum.hpp"

#include <algorithm>
#include <array>

#include "lyncupdate/model/topology.hpp"

namespace lyncupdate::model {

QuorumRule pool_quorum_rule(std::size_t front_ends) {
  // DOMAIN.md section 3, "Pool-level quorum" (OD Gg412996, the topologies-and-components
  // article), whose table starts at two front ends.
  // ASSUMED (docs/domain-notes.md): a pool of one front end needs that one running.
  if (front_ends <= 1) return {front_ends, front_ends};
  if (front_ends == 2) return {1, 2};
  if (front_ends <= 4) return {2, front_ends};
  if (front_ends <= 6) return {3, front_ends};
  if (front_ends == 7) return {4, 7};
  if (front_ends <= 9) return {4, 7};
  return {5, 9};
}

bool pool_has_quorum(std::size_t front_ends, std::span<const bool> running_in_topology_order) {
  if (front_ends == 0) return false;
  const QuorumRule rule = pool_quorum_rule(front_ends);
  const std::size_t considered = std::min(rule.among_first, running_in_topology_order.size());
  const auto running = static_cast<std::size_t>(std::count(
      running_in_topology_order.begin(),
      running_in_topology_order.begin() + static_cast<std::ptrdiff_t>(considered), true));
  return running >= rule.must_run;
}

bool pool_keeps_running(std::size_t front_ends, std::span<const bool> running_in_topology_order,
                        bool back_end_available) {
  if (!pool_has_quorum(front_ends, running_in_topology_order)) return false;
  if (back_end_available) return true;
  const std::size_t considered = std::min(front_ends, running_in_topology_order.size());
  const auto running = static_cast<std::size_t>(std::count(
      running_in_topology_order.begin(),
      running_in_topology_order.begin() + static_cast<std::ptrdiff_t>(considered), true));
  return 2 * running > front_ends;
}

bool upgrade_domain_may_stop(const EnterprisePool& pool,
                             std::span<const bool> running_in_topology_order, std::size_t domain,
                             bool back_end_available) {
  // A pool has at most 12 front ends (the loader refuses more).
  std::array<bool, 16> running{};
  const std::size_t count = std::min(pool.front_ends.size(), running.size());
  std::copy_n(running_in_topology_order.begin(), std::min(count, running_in_topology_order.size()),
              running.begin());
  for (const std::string& fqdn : pool.upgrade_domains.at(domain)) {
    const auto it = std::ranges::find(pool.front_ends, fqdn);
    const auto index = static_cast<std::size_t>(it - pool.front_ends.begin());
    if (index < count) running[index] = false;
  }
  return pool_keeps_running(pool.front_ends.size(), std::span<const bool>(running.data(), count),
                            back_end_available);
}

}  // namespace lyncupdate::model
