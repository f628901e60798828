#pragma once
// routing-group-quorum: a routing group of a pool loses its write quorum (DOMAIN.md section 3).
// Private to the checker library; Checker runs it with the other monitors.

#include <cstdint>
#include <vector>

#include "lyncupdate/model/routing_groups.hpp"
#include "lyncupdate/simulator/trace.hpp"
#include "monitor_context.hpp"

namespace lyncupdate::check::detail {

/// Places every pool's routing groups (model::place_routing_groups) and, on every change of a
/// planned front end's Lync services, reports the groups that fall below their write quorum
/// (model::routing_group_write_quorum): one violation per change, naming the pool, the first
/// such group, its front ends, and how many more fell with it.
class RoutingGroupMonitor final : public sim::TraceObserver {
 public:
  explicit RoutingGroupMonitor(Context& context);
  void on_event(const sim::TraceEvent& event) override;

 private:
  struct Pool {
    std::vector<model::RoutingGroupPlacement> groups;
    std::vector<char> running;  // per front end, topology order
  };
  Context* context_;
  std::vector<Pool> pools_;
  std::vector<std::uint16_t> current_step_;
};

}  // namespace lyncupdate::check::detail
