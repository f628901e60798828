#include "lyncupdate/montecarlo/summary.hpp"

#include <algorithm>
#include <cassert>

namespace lyncupdate::mc {

Percentiles percentiles_of(const std::vector<std::int64_t>& samples) {
  assert(!samples.empty());
  std::vector<std::int64_t> sorted = samples;
  std::ranges::sort(sorted);
  return Percentiles{nearest_rank_percentile(sorted, 50), nearest_rank_percentile(sorted, 90),
                     nearest_rank_percentile(sorted, 95), nearest_rank_percentile(sorted, 99),
                     sorted.back()};
}

BatchSummary summarize(const BatchResult& batch) {
  assert(batch.runs() > 0);
  BatchSummary summary;
  summary.batch = &batch;
  summary.window = percentiles_of(batch.window_ms);
  for (const auto& samples : batch.longest_outage_ms) {
    summary.longest_outage.push_back(percentiles_of(samples));
  }
  summary.limit_probability =
      static_cast<double>(batch.runs_reaching_limit) / static_cast<double>(batch.runs());
  summary.limit_interval = wilson_interval(batch.runs_reaching_limit, batch.runs());
  return summary;
}

}  // namespace lyncupdate::mc
