#include "lyncupdate/simulator/executor.hpp"

#include <cassert>

#include "lyncupdate/simulator/sim_backend.hpp"

namespace lyncupdate::sim {
namespace {

TraceEvent event_of(TraceKind kind, TimePoint time, std::uint16_t server = no_index,
                    std::uint16_t step = no_index) {
  TraceEvent event;
  event.time = time;
  event.kind = kind;
  event.server = server;
  event.step = step;
  return event;
}

}  // namespace

Executor::Executor(const model::ResolvedPlan& plan, Backend& backend, World& world, Trace& trace)
    : plan_(&plan),
      backend_(&backend),
      world_(&world),
      trace_(&trace),
      next_step_(plan.servers.size(), 0) {
  assert(plan.servers.size() < no_index && "server indices are 16-bit");
}

void Executor::start(Engine& engine) {
  engine.on(EventKind::step_finished, *this);
  trace_->emit(event_of(TraceKind::run_started, engine.now()));
  start_stage(0, engine);
}

void Executor::start_stage(std::size_t stage, Engine& engine) {
  stage_ = stage;
  if (stage >= plan_->stages.size()) {
    finish(engine);
    return;
  }
  TraceEvent event = event_of(TraceKind::stage_started, engine.now());
  event.stage = static_cast<std::uint16_t>(stage);
  trace_->emit(event);
  const auto& servers = plan_->stages[stage];
  running_ = servers.size();
  for (const std::size_t server : servers) begin_step(static_cast<std::uint16_t>(server), engine);
}

void Executor::begin_step(std::uint16_t server, Engine& engine) {
  const model::ResolvedServer& target = plan_->servers[server];
  const std::uint16_t step = next_step_[server];
  if (step >= target.steps.size()) {
    // This server is done; the stage ends when its last server is.
    if (--running_ == 0) start_stage(stage_ + 1, engine);
    return;
  }
  const model::ResolvedStep& resolved = target.steps[step];
  trace_->emit(event_of(TraceKind::step_started, engine.now(), server, step));
  world_->apply(server, resolved.on_start, engine.now());
  StepRequest request;
  request.server = server;
  request.step = step;
  request.target = &target.target;
  request.resolved = &resolved;
  backend_->begin(request, engine);
}

void Executor::handle(const Event& event, Engine& engine) {
  assert(event.kind == EventKind::step_finished);
  const model::ResolvedStep& resolved = plan_->servers[event.server].steps[event.step];
  if (event.outcome == StepOutcome::succeeded) {
    world_->apply(event.server, resolved.on_finish, engine.now());
    trace_->emit(event_of(TraceKind::step_finished, engine.now(), event.server, event.step));
    ++next_step_[event.server];
    if (!stopped_) {
      begin_step(event.server, engine);
      return;
    }
  } else {
    trace_->emit(event_of(TraceKind::step_failed, engine.now(), event.server, event.step));
    if (!stopped_) {
      stopped_ = true;
      trace_->emit(event_of(TraceKind::plan_stopped, engine.now(), event.server, event.step));
    }
  }
  // The plan is stopped: this server starts nothing more; the run ends with the last one.
  if (--running_ == 0) finish(engine);
}

void Executor::finish(Engine& engine) {
  assert(!finished_);
  finished_ = true;
  trace_->emit(event_of(TraceKind::run_finished, engine.now()));
}

RunSummary simulate_run(const model::ResolvedPlan& plan, std::uint64_t seed,
                        std::uint64_t run_index, std::span<TraceObserver* const> observers) {
  Trace trace;
  for (TraceObserver* observer : observers) trace.subscribe(*observer);
  RunRandom random(seed, run_index);
  SimulatedTime time;
  Engine engine(time);
  World world(plan, trace);
  SimBackend backend(random);
  Executor executor(plan, backend, world, trace);
  executor.start(engine);
  RunSummary summary;
  summary.end = engine.run();
  summary.stopped = executor.stopped();
  summary.events = engine.handled();
  assert(executor.finished());
  return summary;
}

}  // namespace lyncupdate::sim
