#include "routing_group_monitor.hpp"

#include <algorithm>
#include <string>

#include <fmt/format.h>

namespace lyncupdate::check::detail {
namespace {

// "a", "a and b", "a, b and c".
std::string spoken_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

std::string replicas_text(std::size_t n) {
  return fmt::format("{} replica{}", n, n == 1 ? "" : "s");
}

}  // namespace

RoutingGroupMonitor::RoutingGroupMonitor(Context& context)
    : context_(&context), current_step_(context.plan->servers.size(), sim::no_index) {
  for (const model::EnterprisePool& pool : context.plan->scenario->topology.pools) {
    pools_.push_back(
        Pool{model::place_routing_groups(pool), std::vector<char>(pool.front_ends.size(), 1)});
  }
}

void RoutingGroupMonitor::on_event(const sim::TraceEvent& e) {
  if (e.kind == sim::TraceKind::step_started) current_step_[e.server] = e.step;
  if (e.kind != sim::TraceKind::state_changed ||
      e.variable != model::StateVariable::lync_services) {
    return;
  }
  const model::UpdateTarget& target = context_->server(e.server).target;
  if (target.role != model::Role::front_end) return;
  Pool& pool = pools_[target.index];
  const bool running = e.to == model::values::running;
  if ((pool.running[target.front_end] != 0) == running) return;
  pool.running[target.front_end] = running ? 1 : 0;
  if (running) return;
  // The groups this stop takes below their write quorum.
  const auto runs = [&](std::uint8_t f) { return pool.running[f] != 0; };
  std::vector<std::size_t> lost;
  for (std::size_t g = 0; g < pool.groups.size(); ++g) {
    const auto holders = pool.groups[g].holders();
    if (std::ranges::find(holders, static_cast<std::uint8_t>(target.front_end)) == holders.end()) {
      continue;
    }
    const auto up = static_cast<std::size_t>(std::ranges::count_if(holders, runs));
    const std::size_t quorum = model::routing_group_write_quorum(holders.size());
    if (up + 1 == quorum) lost.push_back(g);  // it had its quorum until this stop
  }
  if (lost.empty()) return;
  const model::EnterprisePool& topology_pool =
      context_->plan->scenario->topology.pools[target.index];
  const auto holders = pool.groups[lost.front()].holders();
  std::vector<std::string> stopped;
  std::vector<std::string> still;
  for (const std::uint8_t f : holders) {
    (runs(f) ? still : stopped).push_back(topology_pool.front_ends[f]);
  }
  const std::size_t quorum = model::routing_group_write_quorum(holders.size());
  const std::string state =
      still.empty()
          ? fmt::format(
                "none of its {} runs ({} stopped): its users are disconnected until one "
                "runs again",
                replicas_text(holders.size()), spoken_list(stopped))
          : fmt::format(
                "{} of its {} run{} ({} stopped, {} running) and it needs {}: its users are "
                "in resiliency mode until {} run again",
                still.size(), replicas_text(holders.size()), still.size() == 1 ? "s" : "",
                spoken_list(stopped), spoken_list(still), quorum, quorum);
  const std::string more =
      lost.size() == 1
          ? std::string()
          : fmt::format("; {} more of the pool's {} routing groups lose it at this stop",
                        lost.size() - 1, pool.groups.size());
  context_->violations.push_back(Violation{
      rules::routing_group_quorum, e.time, e.server, current_step_[e.server],
      fmt::format("routing group {} of pool {} loses its write quorum at {} (step {} on {}): {}{}",
                  lost.front() + 1, topology_pool.fqdn, context_->clock(e.time),
                  context_->step_id(e.server, current_step_[e.server]), target.fqdn, state, more)});
}

}  // namespace lyncupdate::check::detail
