#include "lyncupdate/simulator/world.hpp"

#include <array>

#include "lyncupdate/model/fqdn.hpp"
#include "lyncupdate/model/quorum.hpp"

namespace lyncupdate::sim {
namespace {

constexpr std::size_t index_of(model::StateVariable variable) {
  return static_cast<std::size_t>(variable);
}

}  // namespace

World::World(const model::ResolvedPlan& plan, Trace& trace)
    : states_(plan.servers.size(), model::initial_server_state()), trace_(&trace), plan_(&plan) {
  const model::Topology& topology = plan.scenario->topology;
  front_end_servers_.resize(topology.pools.size());
  back_end_servers_.assign(topology.pools.size(), no_index);
  mirror_servers_.assign(topology.pools.size(), no_index);
  for (std::size_t p = 0; p < topology.pools.size(); ++p) {
    front_end_servers_[p].assign(topology.pools[p].front_ends.size(), no_index);
  }
  for (std::size_t s = 0; s < plan.servers.size(); ++s) {
    const model::UpdateTarget& target = plan.servers[s].target;
    const auto server = static_cast<std::uint16_t>(s);
    if (target.role == model::Role::front_end) {
      front_end_servers_[target.index][target.front_end] = server;
    } else if (target.role != model::Role::standard_edition &&
               model::fqdn_key(target.fqdn) ==
                   model::fqdn_key(topology.pools[target.index].back_end.fqdn)) {
      back_end_servers_[target.index] = server;
    } else if (target.role != model::Role::standard_edition) {
      mirror_servers_[target.index] = server;
    }
  }
}

void World::apply(std::uint16_t server, const model::Conditions& effects, TimePoint time) {
  model::ServerState& state = states_.at(server);
  for (const model::Condition& effect : effects) {
    auto& slot = state[static_cast<std::size_t>(effect.variable)];
    if (slot == effect.value) continue;
    TraceEvent event;
    event.time = time;
    event.kind = TraceKind::state_changed;
    event.variable = effect.variable;
    event.from = slot;
    event.to = effect.value;
    event.server = server;
    slot = effect.value;
    trace_->emit(event);
  }
}

bool World::front_end_running(std::size_t pool, std::size_t front_end) const {
  const std::uint16_t server = front_end_servers_.at(pool).at(front_end);
  return server == no_index ||
         states_[server][index_of(model::StateVariable::lync_services)] == model::values::running;
}

bool World::available(std::uint16_t server) const {
  return server == no_index ||
         states_[server][index_of(model::StateVariable::backend)] == model::values::available;
}

bool World::back_end_available(std::size_t pool) const {
  const std::uint16_t principal = back_end_servers_.at(pool);
  if (principal != no_index &&
      states_[principal][index_of(model::StateVariable::database_principal)] ==
          model::values::on_mirror) {
    return available(mirror_servers_.at(pool));
  }
  return available(principal);
}

bool World::witness_available(std::size_t pool) const {
  const std::uint16_t principal = back_end_servers_.at(pool);
  return principal == no_index ||
         (available(principal) &&
          states_[principal][index_of(model::StateVariable::database_principal)] !=
              model::values::on_mirror);
}

bool World::pool_running(std::size_t pool) const {
  const std::size_t count = front_end_servers_.at(pool).size();
  std::array<bool, 16> running{};
  for (std::size_t f = 0; f < count && f < running.size(); ++f) {
    running[f] = front_end_running(pool, f);
  }
  return model::pool_keeps_running(count, running, witness_available(pool));
}

bool World::upgrade_domain_may_stop(std::uint16_t server) const {
  const model::UpdateTarget& target = plan_->servers.at(server).target;
  if (target.role != model::Role::front_end) return true;
  const std::size_t count = front_end_servers_.at(target.index).size();
  std::array<bool, 16> running{};
  for (std::size_t f = 0; f < count && f < running.size(); ++f) {
    running[f] = front_end_running(target.index, f);
  }
  return model::upgrade_domain_may_stop(plan_->scenario->topology.pools[target.index], running,
                                        target.upgrade_domain, witness_available(target.index));
}

}  // namespace lyncupdate::sim
