#include "lyncupdate/montecarlo/statistics.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace lyncupdate::mc {

std::int64_t nearest_rank_percentile(std::span<const std::int64_t> sorted, int percent) {
  assert(!sorted.empty() && percent > 0 && percent <= 100);
  // ceil(percent * n / 100) in integers, so no rounding error can move the rank.
  const std::uint64_t n = sorted.size();
  const std::uint64_t rank = (static_cast<std::uint64_t>(percent) * n + 99) / 100;
  return sorted[static_cast<std::size_t>(std::max<std::uint64_t>(rank, 1) - 1)];
}

Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double z) {
  assert(trials > 0 && successes <= trials);
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double denominator = 1.0 + z2 / n;
  const double centre = (p + z2 / (2.0 * n)) / denominator;
  const double half = z / denominator * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
  return Interval{std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

std::uint64_t least_trials_below(double ceiling, double z) {
  assert(ceiling > 0.0 && ceiling <= 1.0);
  // The closed form, then the interval itself settles rounding either way.
  const double estimate = z * z * (1.0 / ceiling - 1.0);
  auto trials = static_cast<std::uint64_t>(std::max(1.0, std::floor(estimate)));
  while (trials > 1 && wilson_interval(0, trials - 1, z).high < ceiling) --trials;
  while (wilson_interval(0, trials, z).high >= ceiling) ++trials;
  return trials;
}

}  // namespace lyncupdate::mc
