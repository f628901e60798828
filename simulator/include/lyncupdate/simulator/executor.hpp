#pragma once
/// \file
/// The executor walks the plan: stages one after another, the servers of a stage at the
/// same time, each server's steps in runbook order. A step holds one of the plan's operators
/// from its start to its end; a server whose next step finds none free waits, and a freed
/// operator goes to the waiting server first in the plan, or to the next start of the plan's
/// explicit schedule. It applies each step's declared effects
/// to the world and asks the backend to perform the step. The same executor runs
/// rehearsals and live updates.

#include <cstdint>
#include <vector>

#include "lyncupdate/model/resolve.hpp"
#include "lyncupdate/simulator/backend.hpp"
#include "lyncupdate/simulator/engine.hpp"
#include "lyncupdate/simulator/trace.hpp"
#include "lyncupdate/simulator/world.hpp"

namespace lyncupdate::sim {

/// Runs one plan once.
class Executor final : public EventHandler {
 public:
  Executor(const model::ResolvedPlan& plan, Backend& backend, World& world, Trace& trace);

  /// Emits run_started and starts the first stage at `engine.now()`; registers itself for
  /// step_finished events.
  void start(Engine& engine);

  void handle(const Event& event, Engine& engine) override;

  /// True once every step ran or a failure stopped the plan and nothing is in flight.
  bool finished() const { return finished_; }
  /// True when a failure stopped the plan, or the backend refused to start a step.
  bool stopped() const { return stopped_; }

 private:
  void start_stage(std::size_t stage, Engine& engine);
  void begin_step(std::uint16_t server, Engine& engine, std::uint16_t attempt = 1);
  void request_dispatch(Engine& engine);
  void dispatch(Engine& engine);
  void start_attempt(std::uint16_t server, std::uint16_t attempt, Engine& engine);
  void release_operator(Engine& engine);
  void stop_plan(const Event& event, Engine& engine);
  void halt(std::uint16_t server, std::uint16_t attempt, Engine& engine);
  StepRequest request_for(std::uint16_t server, std::uint16_t attempt) const;
  void step_succeeded(const Event& event, Engine& engine);
  void step_failed(const Event& event, Engine& engine);
  void server_done(Engine& engine);
  void finish(Engine& engine);

  const model::ResolvedPlan* plan_;
  Backend* backend_;
  World* world_;
  Trace* trace_;
  std::vector<std::uint16_t> next_step_;  // per server: the step to run next
  struct Waiting {
    std::uint16_t server;
    std::uint16_t attempt;
  };
  std::vector<Waiting> waiting_;  // servers ready for their next attempt, without an operator
  std::size_t free_operators_;
  std::size_t scheduled_ = 0;  // entries of the plan's schedule started so far
  bool dispatch_pending_ = false;
  std::size_t stage_ = 0;
  std::size_t running_ = 0;  // servers of the current stage still working
  bool stopped_ = false;
  bool finished_ = false;
};

/// The outcome of one simulated run.
struct RunSummary {
  TimePoint end{};       ///< when the last event happened
  bool stopped = false;  ///< a step failed and stopped the plan
  std::uint64_t events = 0;
};

/// What a simulated run leaves to chance.
struct RunSettings {
  /// false: no step fails and every automatic failover happens (`check`'s rehearsal: it judges
  /// the plan; how often chance stops it is the Monte Carlo's question). The draws are made
  /// all the same, so the durations are those of the run with chance failures.
  bool chance_failures = true;
};

/// Simulates `plan` once with the generator of (`seed`, `run_index`), sending every trace
/// event to `observers` in order.
RunSummary simulate_run(const model::ResolvedPlan& plan, std::uint64_t seed,
                        std::uint64_t run_index, std::span<TraceObserver* const> observers);

}  // namespace lyncupdate::sim
