#pragma once
/// \file
/// What a Monte Carlo report states about a batch: percentiles of the window length and of
/// each server's longest outage, and the chance that a back end reaches the outage limit.

#include <array>
#include <cstdint>
#include <vector>

#include "lyncupdate/montecarlo/batch.hpp"
#include "lyncupdate/montecarlo/statistics.hpp"

namespace lyncupdate::mc {

/// Nearest-rank percentiles of one metric, in milliseconds.
struct Percentiles {
  std::int64_t p50 = 0;
  std::int64_t p90 = 0;
  std::int64_t p95 = 0;
  std::int64_t p99 = 0;
  std::int64_t max = 0;
};

/// The mean and nearest-rank percentiles of one user-impact metric over a batch.
struct UserMetricSummary {
  std::int64_t sum = 0;  ///< exact: the mean is sum / runs
  double mean = 0.0;
  Percentiles percentiles;
};

/// The percentiles of `samples` (not empty); the samples are copied and sorted.
Percentiles percentiles_of(const std::vector<std::int64_t>& samples);

/// A batch digested for rendering. Refers to the batch, which must outlive it.
struct BatchSummary {
  const BatchResult* batch = nullptr;
  Percentiles window;
  std::vector<Percentiles> longest_outage;                   ///< per server, plan order
  double limit_probability = 0.0;                            ///< runs_reaching_limit / runs
  Interval limit_interval;                                   ///< its 95% Wilson interval
  std::array<UserMetricSummary, user_metrics.size()> users;  ///< user_metrics order
};

/// Summarises a batch of at least one run.
BatchSummary summarize(const BatchResult& batch);

}  // namespace lyncupdate::mc
