#include "lyncupdate/model/timing.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <limits>

namespace lyncupdate::model {

Duration Distribution::lower_bound() const {
  switch (kind) {
    case Kind::fixed:
    case Kind::uniform:
    case Kind::triangular:
      return low;
    case Kind::lognormal:
      return Duration::zero();
  }
  return Duration::zero();
}

Duration Distribution::upper_bound() const {
  switch (kind) {
    case Kind::fixed:
      return low;
    case Kind::uniform:
    case Kind::triangular:
      return high;
    case Kind::lognormal:
      return cap.value_or(Duration::max());
  }
  return Duration::max();
}

std::string_view distribution_name(Distribution::Kind kind) {
  using namespace std::string_view_literals;
  constexpr std::array names{"fixed"sv, "uniform"sv, "triangular"sv, "lognormal"sv};
  return names.at(static_cast<std::size_t>(kind));
}

const StepTiming& TimingModel::for_step(std::string_view fqdn, std::string_view step_id) const {
  if (const auto server = servers.find(fqdn); server != servers.end()) {
    if (const auto step = server->second.find(step_id); step != server->second.end()) {
      return step->second;
    }
  }
  const auto it = steps.find(step_id);
  assert(it != steps.end() && "the loader guarantees timing for every step");
  return it->second;
}

namespace {

void cap_tail(StepTiming& timing, double factor) {
  Distribution& d = timing.duration;
  if (d.kind != Distribution::Kind::lognormal || d.cap) return;
  const auto capped =
      static_cast<Duration::rep>(std::llround(static_cast<double>(d.p95.count()) * factor));
  // The loader requires max_min above p95_min.
  d.cap = Duration(std::max(capped, d.p95.count() + 1));
}

}  // namespace

StepTiming default_automatic_failover() {
  // ASSUMED (docs/domain-notes.md): triangular 0.5 / 1 / 5 minutes, never failing; only the
  // 5-minute bound is published (the RTO, DOMAIN.md section 2).
  StepTiming timing;
  timing.duration.kind = Distribution::Kind::triangular;
  timing.duration.low = std::chrono::seconds(30);
  timing.duration.mode = std::chrono::minutes(1);
  timing.duration.high = std::chrono::minutes(5);
  return timing;
}

const StepTiming& automatic_failover_timing(const TimingModel& timing) {
  static const StepTiming fallback = default_automatic_failover();
  return timing.automatic_failover ? *timing.automatic_failover : fallback;
}

bool is_cap_factor(double factor) {
  return std::isfinite(factor) && factor > 1.0 && factor <= 100.0;
}

TimingModel with_capped_tails(TimingModel timing, double factor) {
  for (auto& [id, step] : timing.steps) cap_tail(step, factor);
  for (auto& [fqdn, steps] : timing.servers) {
    for (auto& [id, step] : steps) cap_tail(step, factor);
  }
  if (timing.automatic_failover) cap_tail(*timing.automatic_failover, factor);
  return timing;
}

}  // namespace lyncupdate::model
