#include "lyncupdate/planner/estimate.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

#include "lyncupdate/simulator/sampling.hpp"

namespace lyncupdate::planner {

Duration step_quantile(const model::ResolvedStep& step, double p) {
  Duration duration = sim::duration_quantile(step.timing.duration, p);
  const auto& reboot = step.definition->reboot_required;
  if (reboot && reboot->probability > 1.0 - p) duration += reboot->duration;
  return duration;
}

StepChain step_chain(const model::ResolvedServer& server) {
  StepChain chain;
  for (const model::ResolvedStep& step : server.steps) {
    chain.p95.push_back(step_quantile(step, 0.95));
    chain.p50.push_back(step_quantile(step, 0.50));
  }
  return chain;
}

Duration stage_makespan(std::span<const std::span<const Duration>> chains, std::size_t operators) {
  const auto total = [](std::span<const Duration> chain) {
    return std::accumulate(chain.begin(), chain.end(), Duration::zero());
  };
  if (operators == 0 || operators >= chains.size()) {
    Duration longest = Duration::zero();
    for (const auto chain : chains) longest = std::max(longest, total(chain));
    return longest;
  }
  // List scheduling on `operators` machines, servers in plan order: a server is ready for its
  // next step as soon as its previous step ends.
  constexpr Duration idle = Duration::max();
  std::vector<std::size_t> next(chains.size(), 0);
  std::vector<Duration> running_until(chains.size(), idle);  // idle: not running
  std::size_t free = operators;
  std::size_t busy = 0;
  Duration now = Duration::zero();
  for (;;) {
    for (std::size_t s = 0; s < chains.size() && free > 0; ++s) {
      if (running_until[s] != idle || next[s] >= chains[s].size()) continue;
      running_until[s] = now + chains[s][next[s]];
      --free;
      ++busy;
    }
    if (busy == 0) return now;
    now = *std::ranges::min_element(running_until);
    for (std::size_t s = 0; s < chains.size(); ++s) {
      if (running_until[s] != now) continue;
      running_until[s] = idle;
      ++next[s];
      ++free;
      --busy;
    }
  }
}

}  // namespace lyncupdate::planner
