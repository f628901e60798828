#pragma once
/// \file
/// The statistics a Monte Carlo report gives: exact percentiles of integer samples and the
/// Wilson score interval of a proportion.

#include <cstdint>
#include <span>

namespace lyncupdate::mc {

/// The `percent`-th percentile of `sorted` (ascending, not empty) by the nearest-rank
/// definition: the smallest sample such that at least `percent`% of the samples are at or
/// below it, i.e. sorted[ceil(percent / 100 * n) - 1]; percent 100 is the maximum. Exact on
/// integers: no interpolation, so the result is always one of the samples.
std::int64_t nearest_rank_percentile(std::span<const std::int64_t> sorted, int percent);

/// A two-sided confidence interval of a proportion, as fractions in [0, 1].
struct Interval {
  double low = 0.0;
  double high = 0.0;
};

/// The z of a two-sided 95% interval: the standard normal quantile at 0.975.
inline constexpr double z_95 = 1.959963984540054;

/// The Wilson score interval of `successes` out of `trials` (> 0) at normal quantile `z`
/// (Wilson 1927): unlike the normal approximation it stays within [0, 1] and is not empty
/// when no run or every run succeeds.
Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double z = z_95);

/// The fewest trials whose Wilson interval (at `z`) can end below `ceiling` (in (0, 1]): the
/// upper end is z^2 / (n + z^2) when no trial succeeds, so fewer trials can never show a
/// proportion below the ceiling, whatever they give.
std::uint64_t least_trials_below(double ceiling, double z = z_95);

}  // namespace lyncupdate::mc
