// One simulated run: the engine, the world, the simulated backend and the executor, wired
// to the caller's observers.
#include <cassert>

#include "lyncupdate/simulator/executor.hpp"
#include "lyncupdate/simulator/random.hpp"
#include "lyncupdate/simulator/sim_backend.hpp"

namespace lyncupdate::sim {

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
