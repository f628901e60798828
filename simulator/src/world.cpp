#include "lyncupdate/simulator/world.hpp"

namespace lyncupdate::sim {

World::World(const model::ResolvedPlan& plan, Trace& trace)
    : states_(plan.servers.size(), model::initial_server_state()), trace_(&trace) {}

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

}  // namespace lyncupdate::sim
