#pragma once
/// \file
/// The online guard of a live run: before a step that starts or extends a back-end outage,
/// it forecasts with the scenario's timing model the chance that the outage reaches the limit
/// (DOMAIN.md section 2), from what the outage has already lasted and the steps left until
/// the back end is available again.

#include <cstdint>
#include <optional>
#include <vector>

#include "lyncupdate/model/resolve.hpp"
#include "lyncupdate/simulator/trace.hpp"

namespace lyncupdate::live {

/// What the guard does when the forecast is above its threshold before a step that would
/// start an outage. Once an outage has started, stopping would only keep the back end down
/// longer, so the guard then warns whatever the policy.
enum class GuardPolicy : std::uint8_t { warn, stop };

/// The forecast for one step.
struct GuardForecast {
  double probability = 0.0;      ///< of the outage reaching the limit, in [0, 1]
  Duration elapsed{};            ///< how long the outage has lasted so far (0: it would start)
  Duration limit{};              ///< the scenario's back-end outage limit
  bool starts_outage = false;    ///< the step makes the back end unavailable
  std::uint16_t steps_left = 0;  ///< steps until the back end is available again, this one included
};

/// Follows the back ends' availability on the trace and forecasts outages.
class OutageGuard final : public sim::TraceObserver {
 public:
  /// Draws `samples` sums of the remaining steps' durations per forecast, from a generator
  /// seeded with `seed` and the step, so the same question always gets the same answer.
  OutageGuard(const model::ResolvedPlan& plan, std::uint64_t seed, std::uint32_t samples = 4000);

  void on_event(const sim::TraceEvent& event) override;

  /// The forecast for starting `step` of `server` at `now`; nothing when the step neither
  /// starts nor extends an outage of that server's back end.
  std::optional<GuardForecast> forecast(std::uint16_t server, std::uint16_t step,
                                        TimePoint now) const;

 private:
  const model::ResolvedPlan* plan_;
  std::uint64_t seed_;
  std::uint32_t samples_;
  std::vector<std::optional<TimePoint>> down_since_;  // per server
};

}  // namespace lyncupdate::live
