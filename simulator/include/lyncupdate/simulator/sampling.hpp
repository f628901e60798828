#pragma once
/// \file
/// Drawing step durations and failures from the timing model. Every draw is an inverse
/// transform of one uniform number, so a run consumes a predictable amount of randomness.

#include <cstdint>

#include "lyncupdate/model/timing.hpp"
#include "lyncupdate/simulator/random.hpp"

namespace lyncupdate::sim {

/// A duration drawn from `distribution`, rounded to the millisecond and at least 1 ms.
/// A lognormal draw is capped at its `cap` (max_min) if given, else at one year.
Duration sample_duration(const model::Distribution& distribution, RunRandom& random);

/// The value of `distribution` at cumulative probability `p` in (0, 1).
Duration duration_quantile(const model::Distribution& distribution, double p);

/// The share of draws from `distribution` that take at most `duration`: its cumulative
/// distribution function, in [0, 1], non-decreasing in `duration`. The inverse of
/// `duration_quantile` up to the millisecond rounding of the draws; a lognormal with a `cap`
/// gives 1 from the cap on, and a fixed duration gives 0 below its value and 1 from it on.
double duration_cdf(const model::Distribution& distribution, Duration duration);

/// A draw from the exponential distribution of mean `mean_ms` milliseconds (> 0), in
/// milliseconds, not rounded: callers round once where they turn it into a time.
double sample_exponential_ms(double mean_ms, RunRandom& random);

/// A draw from the Poisson distribution of mean `mean` (>= 0): by multiplication of uniforms
/// below 10, by Hoermann's transformed rejection with squeeze (PTRS, 1993) above, so the cost
/// is bounded whatever the mean. Exact, and reproducible on every platform (no lgamma from
/// the C library, which is not thread-safe).
std::uint64_t sample_poisson(double mean, RunRandom& random);

/// The standard normal quantile function (Acklam's rational approximation refined by one
/// Halley step; relative error below 1e-15 on (0, 1)).
double normal_quantile(double p);

}  // namespace lyncupdate::sim
