#pragma once
/// \file
/// How long steps take and how often they fail. Every default is an assumption
/// (DOMAIN.md section 6) that users replace with figures measured on their own servers.

#include <map>
#include <optional>
#include <string>

#include "lyncupdate/model/time.hpp"

namespace lyncupdate::model {

/// A step-duration distribution. Validated at load: every parameter positive,
/// low <= mode <= high, p95 > median.
struct Distribution {
  enum class Kind : std::uint8_t { fixed, uniform, triangular, lognormal };
  Kind kind = Kind::fixed;
  Duration low{};     ///< fixed: the value; uniform, triangular: the minimum
  Duration mode{};    ///< triangular: the most likely value
  Duration high{};    ///< uniform, triangular: the maximum
  Duration median{};  ///< lognormal
  Duration p95{};     ///< lognormal: 95th percentile
  /// lognormal: an explicit upper bound (`max_min`), above `p95`; without it the lognormal is
  /// unbounded above and no worst case can be proved.
  std::optional<Duration> cap;

  /// The shortest and longest value the distribution can produce; a lognormal without `cap`
  /// is unbounded above, so its upper bound is the largest representable Duration.
  Duration lower_bound() const;
  Duration upper_bound() const;
};

/// The JSON name of a distribution kind, e.g. "lognormal".
std::string_view distribution_name(Distribution::Kind kind);

/// Timing of one step.
struct StepTiming {
  Distribution duration;
  double failure_probability = 0.0;  ///< in [0, 1]
  /// Added to the duration for every 1,000 users still signed in on the server when the step
  /// starts: the drain of `Stop-CsWindowsService -Graceful` (DOMAIN.md section 5). Zero: none.
  Duration drain_per_thousand_users{};
};

/// Timing of every step, with per-server overrides (keyed by FQDN, then step id).
struct TimingModel {
  std::map<std::string, StepTiming, std::less<>> steps;
  std::map<std::string, std::map<std::string, StepTiming, std::less<>>, std::less<>> servers;
  /// How long a witness's automatic failover takes from the moment the principal is lost until
  /// the mirror serves the pool, and how often it does not happen (the mirror was not
  /// synchronized). Nothing: default_automatic_failover().
  std::optional<StepTiming> automatic_failover;
  /// Which of these durations and probabilities no published source gives (`timing.assumed`;
  /// docs/domain-notes.md, "Assumed numbers"); empty when the scenario says nothing.
  std::string assumed;

  /// The timing of `step_id` on `fqdn`: the server's override if any, else the step's.
  /// The loader guarantees that every runbook step has one.
  const StepTiming& for_step(std::string_view fqdn, std::string_view step_id) const;
};

/// The ASSUMED automatic failover of a mirrored back end with a witness: triangular from 30
/// seconds, most likely 1 minute, at most 5 minutes (the RTO Microsoft targets, DOMAIN.md
/// section 2); it never fails.
StepTiming default_automatic_failover();

/// `timing.automatic_failover`, or the default.
const StepTiming& automatic_failover_timing(const TimingModel& timing);

/// `timing` with every lognormal (steps, per-server overrides and the automatic failover) that has
/// no `max_min` capped at `factor` (> 1) times its 95th percentile, rounded to the millisecond and
/// kept above the 95th percentile: a bound for worst-case analysis of unbounded tails.
TimingModel with_capped_tails(TimingModel timing, double factor);

/// Whether `factor` can cap tails (with_capped_tails): finite, above 1 and at most 100.
bool is_cap_factor(double factor);

}  // namespace lyncupdate::model
