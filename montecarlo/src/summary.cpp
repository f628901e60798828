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
  for (std::size_t m = 0; m < user_metrics.size(); ++m) {
    const std::vector<std::int64_t>& samples = batch.user_samples[m];
    UserMetricSummary& out = summary.users[m];
    for (const std::int64_t v : samples) out.sum += v;
    out.mean = static_cast<double>(out.sum) / static_cast<double>(samples.size());
    out.percentiles = percentiles_of(samples);
  }
  return summary;
}

}  // namespace lyncupdate::mc
