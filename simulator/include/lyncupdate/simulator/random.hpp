#pragma once
/// \file
/// The random numbers of a run. Every run owns one generator derived from (base seed, run
/// index), so results never depend on thread count or scheduling (DESIGN.md).

#include <cstdint>

namespace lyncupdate::sim {

/// xoshiro256** (Blackman and Vigna): small state, fast, and its output is fully specified,
/// so a seed gives the same stream with every compiler and standard library.
class RunRandom {
 public:
  /// The generator of run `run_index` of a batch seeded with `base_seed`. `stream` selects
  /// one of several independent generators of the same run (0: the plan's step durations),
  /// so that adding draws to one part of the model never shifts the draws of another.
  RunRandom(std::uint64_t base_seed, std::uint64_t run_index, std::uint64_t stream = 0);

  /// The next 64 random bits.
  std::uint64_t next();

  /// A double uniformly distributed in [0, 1), with 53 random bits.
  double uniform();

  /// A double uniformly distributed in (0, 1): never exactly 0, for inverse transforms.
  double open_uniform();

 private:
  std::uint64_t state_[4];
};

}  // namespace lyncupdate::sim
