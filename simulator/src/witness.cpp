#include "lyncupdate/simulator/witness.hpp"

#include <cassert>

#include "lyncupdate/simulator/sampling.hpp"

namespace lyncupdate::sim {
namespace {

constexpr std::size_t index_of(model::StateVariable variable) {
  return static_cast<std::size_t>(variable);
}

}  // namespace

Witness::Witness(const model::ResolvedPlan& plan, World& world, RunRandom& random, Trace& trace,
                 bool chance_failures)
    : plan_(&plan),
      world_(&world),
      random_(&random),
      trace_(&trace),
      chance_failures_(chance_failures),
      current_step_(plan.servers.size(), no_index) {
  const model::Topology& topology = plan.scenario->topology;
  for (std::size_t p = 0; p < topology.pools.size(); ++p) {
    const std::uint16_t server = world.back_end_server(p);
    if (server != no_index && topology.pools[p].back_end.witness) {
      principals_.push_back(Principal{server, p, 0});
    }
  }
}

void Witness::start(Engine& engine) {
  engine_ = &engine;
  engine.on(EventKind::automatic_failover, *this);
}

Witness::Principal* Witness::principal_of(std::uint16_t server) {
  for (Principal& principal : principals_) {
    if (principal.server == server) return &principal;
  }
  return nullptr;
}

void Witness::on_event(const TraceEvent& e) {
  if (principals_.empty()) return;
  if (e.kind == TraceKind::step_started) {
    current_step_[e.server] = e.step;
    return;
  }
  if (e.kind != TraceKind::state_changed || e.variable != model::StateVariable::backend ||
      e.to != model::values::unavailable) {
    return;
  }
  Principal* principal = principal_of(e.server);
  if (principal == nullptr) return;
  ++principal->outage;
  // The witness fails over only from the principal, to an available mirror, and only when SQL
  // Server itself is lost: not while Install-CsDatabase updates the databases.
  const model::ServerState& state = world_->state(e.server);
  if (state[index_of(model::StateVariable::database_principal)] == model::values::on_mirror) {
    return;
  }
  const std::uint16_t step = current_step_[e.server];
  if (step != no_index &&
      plan_->servers[e.server].steps[step].definition->kind == model::StepKind::database) {
    return;
  }
  if (!world_->available(world_->mirror_server(principal->pool))) return;
  const model::StepTiming& timing = model::automatic_failover_timing(plan_->scenario->timing);
  // Draw the failure only when one is possible (as the simulated backend does).
  const Duration delay = sample_duration(timing.duration, *random_);
  if (timing.failure_probability > 0.0 && random_->uniform() < timing.failure_probability &&
      chance_failures_) {
    return;
  }
  assert(engine_ != nullptr && "Witness::start was called");
  Event event;
  event.kind = EventKind::automatic_failover;
  event.server = e.server;
  event.attempt = principal->outage;
  engine_->schedule(e.time + delay, event);
}

void Witness::handle(const Event& event, Engine& engine) {
  Principal* principal = principal_of(event.server);
  assert(principal != nullptr);
  // The outage it was drawn for is over, or the mirror went down meanwhile: nothing to do.
  if (event.attempt != principal->outage) return;
  if (world_->available(event.server) ||
      !world_->available(world_->mirror_server(principal->pool))) {
    return;
  }
  TraceEvent failover;
  failover.time = engine.now();
  failover.kind = TraceKind::automatic_failover;
  failover.server = event.server;
  failover.step = current_step_[event.server];
  trace_->emit(failover);
  world_->apply(event.server,
                {{model::StateVariable::backend, model::values::available},
                 {model::StateVariable::database_principal, model::values::on_mirror}},
                engine.now());
}

}  // namespace lyncupdate::sim
