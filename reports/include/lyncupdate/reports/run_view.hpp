#pragma once
/// \file
/// One run, digested for rendering: each step's interval, the outages and the violations.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "lyncupdate/checker/monitors.hpp"
#include "lyncupdate/checker/runbook_analysis.hpp"
#include "lyncupdate/model/resolve.hpp"
#include "lyncupdate/simulator/executor.hpp"
#include "lyncupdate/simulator/trace.hpp"
#include "lyncupdate/simulator/users.hpp"

namespace lyncupdate::reports {

/// How one step of one server went.
struct StepRun {
  enum class Outcome : std::uint8_t { succeeded, failed, not_run };
  TimePoint start{};
  TimePoint end{};
  Outcome outcome = Outcome::not_run;
  std::uint16_t attempts = 0;  ///< tries made (a retry policy allows more than one)
};

/// A fault injected in a run: a failed attempt of a step, or a restart the installer asked
/// for. Every one appears in the reports.
struct Fault {
  enum class Kind : std::uint8_t { attempt_failed, reboot };
  Kind kind = Kind::attempt_failed;
  std::uint16_t server = 0;
  std::uint16_t step = 0;
  std::uint16_t attempt = 1;
  TimePoint begin{};     ///< the attempt's start, or the restart's
  TimePoint end{};       ///< when the attempt failed, or the server was back
  bool retried = false;  ///< attempt_failed: another try followed
};

/// Everything a renderer needs about one run.
struct RunView {
  const model::ResolvedPlan* plan = nullptr;
  std::uint64_t seed = 0;
  sim::RunSummary summary;
  /// Per server (ResolvedPlan::servers order), per step (runbook order).
  std::vector<std::vector<StepRun>> steps;
  std::vector<Fault> faults;  ///< in the order they ended
  std::vector<check::Outage> outages;
  std::vector<check::Violation> violations;
  /// What the update did to the users (simulated alongside the plan).
  sim::UserImpact users;
  /// false: the rehearsal ignored the failures it drew (sim::RunSettings), as `check` does.
  bool chance_failures = true;
  /// `check` only: the static analysis, run before the rehearsal.
  std::optional<std::vector<check::Finding>> findings;
};

/// Builds the view of a run from its recorded trace and its checker.
RunView make_run_view(const model::ResolvedPlan& plan, std::uint64_t seed,
                      const sim::RunSummary& summary, std::span<const sim::TraceEvent> trace,
                      const check::Checker& checker);

/// One server's outages in a run: the longest continuous one and their total.
struct OutageTotals {
  Duration longest{};
  Duration total{};
  std::size_t count = 0;
};

/// The outages of planned server `server` in `view`.
OutageTotals outage_totals(const RunView& view, std::size_t server);

/// A role as people say it: "Enterprise Edition back end with collocated stores".
std::string_view role_label(model::Role role);

}  // namespace lyncupdate::reports
