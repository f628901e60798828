#pragma once
/// \file
/// The simulated backend: a step takes a duration drawn from its timing distribution (plus
/// its drain, for the users still signed in) and fails with its failure probability; a gate
/// step asks the simulated world for its answer first.

#include "lyncupdate/simulator/backend.hpp"
#include "lyncupdate/simulator/random.hpp"
#include "lyncupdate/simulator/world.hpp"

namespace lyncupdate::sim {

/// Performs steps in simulated time, drawing from one run's generator.
class SimBackend final : public Backend {
 public:
  /// `world`, when given, answers gate steps (pool upgrade readiness); without it, a gate
  /// only fails with its failure probability.
  /// With `chance_failures` false, a failure drawn from a step's failure probability is
  /// ignored (the draw is still made, so every other draw of the run stays the same).
  explicit SimBackend(RunRandom& random, const World* world = nullptr, bool chance_failures = true)
      : random_(&random), world_(world), chance_failures_(chance_failures) {}
  void begin(const StepRequest& request, Engine& engine) override;

 private:
  RunRandom* random_;
  const World* world_;
  bool chance_failures_;
};

}  // namespace lyncupdate::sim
