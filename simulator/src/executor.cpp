#include "lyncupdate/simulator/executor.hpp"

#include <algorithm>
#include <cassert>
#include <limits>

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
      next_step_(plan.servers.size(), 0),
      free_operators_(plan.operators == 0 ? std::numeric_limits<std::size_t>::max()
                                          : plan.operators) {
  assert(plan.servers.size() < no_index && "server indices are 16-bit");
}

void Executor::start(Engine& engine) {
  engine.on(EventKind::step_finished, *this);
  engine.on(EventKind::step_retry, *this);
  engine.on(EventKind::reboot_finished, *this);
  engine.on(EventKind::dispatch, *this);
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
  if (next_step_[server] >= target.steps.size()) {
    // This server is done; the stage ends when its last server is.
    if (--running_ == 0) start_stage(stage_ + 1, engine);
    return;
  }
  waiting_.push_back({server, attempt});
  request_dispatch(engine);
}

// A step has ended: its operator takes the next waiting server.
void Executor::release_operator(Engine& engine) {
  ++free_operators_;
  if (!waiting_.empty()) request_dispatch(engine);
}

// Operators are handed out once every step that ends at this instant has ended: the dispatch
// event is queued behind them (ties run in scheduling order).
void Executor::request_dispatch(Engine& engine) {
  if (dispatch_pending_) return;
  dispatch_pending_ = true;
  Event event;
  event.kind = EventKind::dispatch;
  engine.schedule(engine.now(), event);
}

// Gives free operators to waiting servers: retries first, then the next start of the schedule
// if the plan has one, else the waiting server that comes first in the plan.
void Executor::dispatch(Engine& engine) {
  while (free_operators_ > 0 && !waiting_.empty() && !stopped_) {
    auto chosen = waiting_.end();
    for (auto it = waiting_.begin(); it != waiting_.end(); ++it) {
      if (it->attempt > 1 && (chosen == waiting_.end() || it->server < chosen->server)) chosen = it;
    }
    if (chosen == waiting_.end() && !plan_->schedule.empty()) {
      if (scheduled_ < plan_->schedule.size()) {
        const model::ResolvedStart next = plan_->schedule[scheduled_];
        chosen = std::ranges::find_if(waiting_, [&](const Waiting& w) {
          return w.server == next.server && next_step_[w.server] == next.step;
        });
      }
      if (chosen == waiting_.end()) return;  // the scheduled server is not ready yet
      ++scheduled_;
    } else if (chosen == waiting_.end()) {
      chosen = std::ranges::min_element(waiting_, {}, &Waiting::server);
    }
    const Waiting start = *chosen;
    waiting_.erase(chosen);
    if (!backend_->admit(request_for(start.server, start.attempt), engine)) {
      halt(start.server, start.attempt, engine);
      return;
    }
    --free_operators_;
    start_attempt(start.server, start.attempt, engine);
  }
}

StepRequest Executor::request_for(std::uint16_t server, std::uint16_t attempt) const {
  const model::ResolvedServer& target = plan_->servers[server];
  StepRequest request;
  request.server = server;
  request.step = next_step_[server];
  request.attempt = attempt;
  request.target = &target.target;
  request.resolved = &target.steps[request.step];
  return request;
}

void Executor::start_attempt(std::uint16_t server, std::uint16_t attempt, Engine& engine) {
  const StepRequest request = request_for(server, attempt);
  trace_->emit(event_of(TraceKind::step_started, engine.now(), server, request.step, attempt));
  world_->apply(server, request.resolved->on_start, engine.now());
  backend_->begin(request, engine);
}

void Executor::handle(const Event& event, Engine& engine) {
  switch (event.kind) {
    case EventKind::step_finished:
      if (event.outcome == StepOutcome::failed || event.outcome == StepOutcome::stop) {
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
    case EventKind::dispatch:
      dispatch_pending_ = false;
      dispatch(engine);
      return;
    case EventKind::step_retry:
      // A failure elsewhere stopped the plan during the delay: no further try starts.
      if (stopped_) {
        server_done(engine);
      } else {
        begin_step(event.server, engine, event.attempt);
      }
      return;
    default:  // kinds of other handlers
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
  release_operator(engine);
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
  release_operator(engine);
  const auto& retry = resolved.definition->retry;
  if (!stopped_ && retry && event.attempt < retry->attempts && event.outcome != StepOutcome::stop) {
    Event again = event;
    again.kind = EventKind::step_retry;
    again.outcome = StepOutcome::succeeded;
    again.attempt = static_cast<std::uint16_t>(event.attempt + 1);
    engine.schedule(engine.now() + retry->delay, again);
    request_dispatch(engine);  // the operator is free during the delay
    return;
  }
  if (!stopped_) stop_plan(event, engine);
  server_done(engine);
}

// A failure stops the plan: no further step starts, and servers waiting for an operator are
// done at once.
void Executor::stop_plan(const Event& event, Engine& engine) {
  stopped_ = true;
  trace_->emit(
      event_of(TraceKind::plan_stopped, engine.now(), event.server, event.step, event.attempt));
  const std::size_t waiting = waiting_.size();
  waiting_.clear();
  for (std::size_t i = 0; i < waiting; ++i) server_done(engine);
}

// The backend refused to start `server`'s next step: the plan stops here, before the step,
// as after a failure.
void Executor::halt(std::uint16_t server, std::uint16_t attempt, Engine& engine) {
  Event event;
  event.server = server;
  event.step = next_step_[server];
  event.attempt = attempt;
  stop_plan(event, engine);
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
