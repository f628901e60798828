#pragma once
/// \file
/// The self-contained HTML report (`lyncupdate report`, `--html` on `simulate`, `check`,
/// `verify` and `live`):
/// one file with inline CSS and SVG drawn here, no external asset, readable offline. The
/// same inputs give the same bytes.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lyncupdate/checker/verify.hpp"
#include "lyncupdate/model/resolve.hpp"
#include "lyncupdate/montecarlo/summary.hpp"
#include "lyncupdate/reports/actual_run.hpp"
#include "lyncupdate/reports/run_view.hpp"
#include "lyncupdate/simulator/trace.hpp"

namespace lyncupdate::reports {

/// One try of one step on one server, as the timeline draws it.
struct StepAttempt {
  enum class Outcome : std::uint8_t { succeeded, failed, unfinished };
  std::uint16_t server = 0;   ///< index into ResolvedPlan::servers
  std::uint16_t step = 0;     ///< index into the server's steps
  std::uint16_t attempt = 1;  ///< 1-based
  TimePoint begin{};
  TimePoint end{};  ///< restart included; the run's end when it never finished
  Outcome outcome = Outcome::unfinished;
  bool retried = false;  ///< failed, and another attempt followed
  bool rebooted = false;
  TimePoint reboot_begin{};  ///< rebooted only: the installer's restart
  TimePoint reboot_end{};
};

/// Every step attempt of a run, in the order they started.
std::vector<StepAttempt> step_attempts(std::span<const sim::TraceEvent> trace, TimePoint run_end);

/// How many users were affected from `time` until the next point. A home's users are counted
/// as signed in when its service last changed (the trace's user-impact events carry that
/// count); sign-ins and sign-outs in between do not move the series.
struct UserImpactPoint {
  TimePoint time{};
  std::int64_t users_in_resiliency = 0;  ///< reduced service (DOMAIN.md section 2)
  std::int64_t users_disconnected = 0;   ///< no service until they register again
};

/// The users affected over a run, as a step function; empty when the run has no user
/// sessions.
struct UserImpactSeries {
  std::vector<UserImpactPoint> samples;  ///< ordered by time
};

/// The user impact recorded in a run's trace: a point at every instant a pool's or a Standard
/// Edition server's users changed service (resiliency_entered, users_disconnected, ...).
UserImpactSeries user_impact_series(const model::ResolvedPlan& plan,
                                    std::span<const sim::TraceEvent> trace);

/// What one report shows.
struct HtmlReport {
  std::string_view command = "report";  ///< the command that wrote it
  /// The rehearsal drawn in the timeline (run 0 of the seed, as `simulate` prints it), with
  /// its static-analysis findings when they were computed.
  const RunView* run = nullptr;
  std::span<const sim::TraceEvent> trace;  ///< that rehearsal's trace
  UserImpactSeries users;
  /// The Monte Carlo batch of the same seed, or null for a single rehearsal.
  const mc::BatchSummary* batch = nullptr;
  /// A live run of the same scenario text (`report --journal`), overlaid on the rehearsal and
  /// compared with it; null for none.
  const ActualRun* actual = nullptr;
  /// The exhaustive verification of the same plan (`verify --html`); null for none.
  const check::VerifyResult* verification = nullptr;
};

/// Bins of a Monte Carlo histogram: always this many, of equal width, over the samples.
inline constexpr std::size_t histogram_bins = 40;

/// The whole HTML document.
std::string render_html_report(const HtmlReport& report);

/// `text` with &, <, >, " and ' replaced by character references: safe in element content
/// and in quoted attribute values.
std::string html_escape(std::string_view text);

}  // namespace lyncupdate::reports
