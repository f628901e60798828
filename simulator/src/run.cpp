// One simulated run: the engine, the world, the simulated backend, the executor and the
// users, wired to the caller's observers.
#include <cassert>

#include "lyncupdate/simulator/executor.hpp"
#include "lyncupdate/simulator/random.hpp"
#include "lyncupdate/simulator/sim_backend.hpp"
#include "lyncupdate/simulator/users.hpp"
#include "lyncupdate/simulator/witness.hpp"

namespace lyncupdate::sim {

RunSummary simulate_run(const model::ResolvedPlan& plan, std::uint64_t seed,
                        std::uint64_t run_index, std::span<TraceObserver* const> observers,
                        UserImpact* impact, UserWorkspace* workspace, const RunSettings& settings) {
  Trace trace;
  for (TraceObserver* observer : observers) trace.subscribe(*observer);
  RunRandom random(seed, run_index);
  // The users draw from a stream of their own, so their settings never shift the plan's draws.
  RunRandom user_random(seed, run_index, 1);
  // So does the mirroring witness.
  RunRandom witness_random(seed, run_index, 2);
  SimulatedTime time;
  Engine engine(time);
  World world(plan, trace);
  SimBackend backend(random, &world, settings.chance_failures);
  Executor executor(plan, backend, world, trace);
  Witness witness(plan, world, witness_random, trace, settings.chance_failures);
  if (witness.any()) {
    trace.subscribe(witness);
    witness.start(engine);
  }
  UserModel users(plan, user_random, trace, workspace);
  trace.subscribe(users);  // last: it reacts to changes the others must see first
  users.start(engine);
  executor.start(engine);
  engine.run();
  assert(executor.finished() && users.closed());
  RunSummary summary;
  // The engine may run on after the plan while users fail back; the run ends with the plan.
  summary.end = users.plan_end();
  summary.stopped = executor.stopped();
  summary.events = engine.handled();
  if (impact != nullptr) *impact = users.impact();
  return summary;
}

RunSummary simulate_run(const model::ResolvedPlan& plan, std::uint64_t seed,
                        std::uint64_t run_index, std::span<TraceObserver* const> observers) {
  return simulate_run(plan, seed, run_index, observers, nullptr);
}

}  // namespace lyncupdate::sim
