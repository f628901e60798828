#pragma once
/// \file
/// The simulated backend: a step takes a duration drawn from its timing distribution and
/// fails with its failure probability.

#include "lyncupdate/simulator/backend.hpp"
#include "lyncupdate/simulator/random.hpp"

namespace lyncupdate::sim {

/// Performs steps in simulated time, drawing from one run's generator.
class SimBackend final : public Backend {
 public:
  explicit SimBackend(RunRandom& random) : random_(&random) {}
  void begin(const StepRequest& request, Engine& engine) override;

 private:
  RunRandom* random_;
};

}  // namespace lyncupdate::sim
