#include "lyncupdate/simulator/executor.hpp"

#include <cassert>

namespace lyncupdate::sim {
namespace {

TraceEvent event_of(TraceKind kind, TimePoint time, std::uint16_t server = no_index,
                    std::uint16_t step = no_index, std::uint16_t attempt = 0) {
  TraceEvent event;
  event.time = time;
  event.kind = kind;
  event.server = server;
  event.step = step;
  event.attempt = attempt;
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
  engine.on(EventKind::step_retry, *this);
  engine.on(EventKind::reboot_finished, *this);
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

void Executor::begin_step(std::uint16_t server, Engine& engine, std::uint16_t attempt) {
  const model::ResolvedServer& target = plan_->servers[server];
  const std::uint16_t step = next_step_[server];
  if (step >= target.steps.size()) {
    // This server is done; the stage ends when its last server is.
    if (--running_ == 0) start_stage(stage_ + 1, engine);
    return;
  }
  const model::ResolvedStep& resolved = target.steps[step];
  trace_->emit(event_of(TraceKind::step_started, engine.now(), server, step, attempt));
  world_->apply(server, resolved.on_start, engine.now());
  StepRequest request;
  request.server = server;
  request.step = step;
  request.attempt = attempt;
  request.target = &target.target;
  request.resolved = &resolved;
  backend_->begin(request, engine);
}

void Executor::handle(const Event& event, Engine& engine) {
  switch (event.kind) {
    case EventKind::step_finished:
      if (event.outcome == StepOutcome::failed) {
        step_failed(event, engine);
      } else if (event.outcome == StepOutcome::reboot_required) {
        // The installer succeeded but asks for a restart: the step lasts until the server
        // is back (the runbook declares how long that takes).
        const model::ResolvedStep& resolved = plan_->servers[event.server].steps[event.step];
        assert(resolved.definition->reboot_required.has_value());
        trace_->emit(event_of(TraceKind::reboot_started, engine.now(), event.server, event.step,
                              event.attempt));
        Event done = event;
        done.kind = EventKind::reboot_finished;
        engine.schedule(engine.now() + resolved.definition->reboot_required->duration, done);
      } else {
        step_succeeded(event, engine);
      }
      return;
    case EventKind::reboot_finished:
      trace_->emit(event_of(TraceKind::reboot_finished, engine.now(), event.server, event.step,
                            event.attempt));
      step_succeeded(event, engine);
      return;
    case EventKind::step_retry:
      // A failure elsewhere stopped the plan during the delay: no further try starts.
      if (stopped_) {
        server_done(engine);
      } else {
        begin_step(event.server, engine, event.attempt);
      }
      return;
    case EventKind::count_:
      break;
  }
  assert(false && "an event kind the executor does not handle");
}

void Executor::step_succeeded(const Event& event, Engine& engine) {
  const model::ResolvedStep& resolved = plan_->servers[event.server].steps[event.step];
  world_->apply(event.server, resolved.on_finish, engine.now());
  trace_->emit(
      event_of(TraceKind::step_finished, engine.now(), event.server, event.step, event.attempt));
  ++next_step_[event.server];
  if (!stopped_) {
    begin_step(event.server, engine);
    return;
  }
  server_done(engine);
}

void Executor::step_failed(const Event& event, Engine& engine) {
  const model::ResolvedStep& resolved = plan_->servers[event.server].steps[event.step];
  trace_->emit(
      event_of(TraceKind::step_failed, engine.now(), event.server, event.step, event.attempt));
  const auto& retry = resolved.definition->retry;
  if (!stopped_ && retry && event.attempt < retry->attempts) {
    Event again = event;
    again.kind = EventKind::step_retry;
    again.outcome = StepOutcome::succeeded;
    again.attempt = static_cast<std::uint16_t>(event.attempt + 1);
    engine.schedule(engine.now() + retry->delay, again);
    return;
  }
  if (!stopped_) {
    stopped_ = true;
    trace_->emit(
        event_of(TraceKind::plan_stopped, engine.now(), event.server, event.step, event.attempt));
  }
  server_done(engine);
}

// The plan is stopped: this server starts nothing more; the run ends with the last one.
void Executor::server_done(Engine& engine) {
  if (--running_ == 0) finish(engine);
}

void Executor::finish(Engine& engine) {
  assert(!finished_);
  finished_ = true;
  trace_->emit(event_of(TraceKind::run_finished, engine.now()));
}

}  // namespace lyncupdate::sim
