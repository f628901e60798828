#include "lyncupdate/live/guard.hpp"

#include <algorithm>

#include "lyncupdate/simulator/random.hpp"
#include "lyncupdate/simulator/sampling.hpp"

namespace lyncupdate::live {
namespace {

bool sets(const model::Conditions& effects, model::StateValue value) {
  return std::ranges::any_of(effects, [&](const model::Condition& c) {
    return c.variable == model::StateVariable::backend && c.value == value;
  });
}

}  // namespace

OutageGuard::OutageGuard(const model::ResolvedPlan& plan, std::uint64_t seed, std::uint32_t samples)
    : plan_(&plan), seed_(seed), samples_(samples), down_since_(plan.servers.size()) {}

void OutageGuard::on_event(const sim::TraceEvent& event) {
  if (event.kind != sim::TraceKind::state_changed ||
      event.variable != model::StateVariable::backend || event.server >= down_since_.size()) {
    return;
  }
  if (event.to == model::values::unavailable) {
    down_since_[event.server] = event.time;
  } else {
    down_since_[event.server].reset();
  }
}

std::optional<GuardForecast> OutageGuard::forecast(std::uint16_t server, std::uint16_t step,
                                                   TimePoint now) const {
  const auto& steps = plan_->servers.at(server).steps;
  // A mirror's outage is not judged against the limit (model::UpdateTarget::mirror).
  if (plan_->servers.at(server).target.mirror) return std::nullopt;
  GuardForecast out;
  out.limit = plan_->scenario->limits.backend_outage_limit;
  const auto& since = down_since_.at(server);
  out.starts_outage = !since && sets(steps.at(step).on_start, model::values::unavailable);
  if (!since && !out.starts_outage) return std::nullopt;
  out.elapsed = since ? now - *since : Duration{};
  // The outage lasts through this step and those after it, until one makes the back end
  // available again (or to the end of the runbook).
  std::size_t end = step;
  while (end < steps.size()) {
    if (sets(steps[end].on_finish, model::values::available)) break;
    ++end;
  }
  end = std::min(end + 1, steps.size());
  out.steps_left = static_cast<std::uint16_t>(end - step);
  sim::RunRandom random(seed_, (std::uint64_t{server} << 16) | step, 7);
  std::uint32_t reaching = 0;
  for (std::uint32_t i = 0; i < samples_; ++i) {
    Duration total = out.elapsed;
    for (std::size_t s = step; s < end; ++s) {
      total += sim::sample_duration(steps[s].timing.duration, random);
    }
    if (total >= out.limit) ++reaching;
  }
  out.probability = samples_ == 0 ? 0.0 : static_cast<double>(reaching) / samples_;
  return out;
}

}  // namespace lyncupdate::live
