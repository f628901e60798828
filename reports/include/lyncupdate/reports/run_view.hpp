#pragma once
/// \file
/// One run, digested for rendering: each step's interval, the outages and the violations.

#include <cstdint>
#include <span>
#include <vector>

#include "lyncupdate/checker/monitors.hpp"
#include "lyncupdate/model/resolve.hpp"
#include "lyncupdate/simulator/executor.hpp"
#include "lyncupdate/simulator/trace.hpp"

namespace lyncupdate::reports {

/// How one step of one server went.
struct StepRun {
  enum class Outcome : std::uint8_t { succeeded, failed, not_run };
  TimePoint start{};
  TimePoint end{};
  Outcome outcome = Outcome::not_run;
};

/// Everything a renderer needs about one run.
struct RunView {
  const model::ResolvedPlan* plan = nullptr;
  std::uint64_t seed = 0;
  sim::RunSummary summary;
  /// Per server (ResolvedPlan::servers order), per step (runbook order).
  std::vector<std::vector<StepRun>> steps;
  std::vector<check::Outage> outages;
  std::vector<check::Violation> violations;
};

/// Builds the view of a run from its recorded trace and its checker.
RunView make_run_view(const model::ResolvedPlan& plan, std::uint64_t seed,
                      const sim::RunSummary& summary, std::span<const sim::TraceEvent> trace,
                      const check::Checker& checker);

/// A role as people say it: "Enterprise Edition back end with collocated stores".
std::string_view role_label(model::Role role);

}  // namespace lyncupdate::reports
