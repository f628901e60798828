#include "lyncupdate/model/quorum.hpp"

#include <algorithm>

namespace lyncupdate::model {

QuorumRule pool_quorum_rule(std::size_t front_ends) {
  // DOMAIN.md section 3, "Pool-level quorum".
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

}  // namespace lyncupdate::model
