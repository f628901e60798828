#include "lyncupdate/reports/run_view.hpp"

#include <algorithm>

namespace lyncupdate::reports {

RunView make_run_view(const model::ResolvedPlan& plan, std::uint64_t seed,
                      const sim::RunSummary& summary, std::span<const sim::TraceEvent> trace,
                      const check::Checker& checker) {
  RunView view;
  view.plan = &plan;
  view.seed = seed;
  view.summary = summary;
  view.steps.resize(plan.servers.size());
  for (std::size_t s = 0; s < plan.servers.size(); ++s) {
    view.steps[s].resize(plan.servers[s].steps.size());
  }
  // Per server: start of the current attempt, and the pending failed attempt (a retry of
  // it is known only when the next try starts).
  std::vector<TimePoint> attempt_start(plan.servers.size());
  std::vector<TimePoint> reboot_start(plan.servers.size());
  std::vector<std::ptrdiff_t> last_failure(plan.servers.size(), -1);
  for (const sim::TraceEvent& e : trace) {
    switch (e.kind) {
      case sim::TraceKind::step_started:
        if (e.attempt <= 1) {
          view.steps[e.server][e.step].start = e.time;
        } else if (last_failure[e.server] >= 0) {
          view.faults[static_cast<std::size_t>(last_failure[e.server])].retried = true;
        }
        last_failure[e.server] = -1;
        attempt_start[e.server] = e.time;
        view.steps[e.server][e.step].end = e.time;
        view.steps[e.server][e.step].attempts = e.attempt;
        break;
      case sim::TraceKind::reboot_started:
        reboot_start[e.server] = e.time;
        break;
      case sim::TraceKind::reboot_finished:
        view.faults.push_back(Fault{Fault::Kind::reboot, e.server, e.step, e.attempt,
                                    reboot_start[e.server], e.time, false});
        break;
      case sim::TraceKind::step_finished:
        view.steps[e.server][e.step].end = e.time;
        view.steps[e.server][e.step].outcome = StepRun::Outcome::succeeded;
        break;
      case sim::TraceKind::step_failed:
        view.steps[e.server][e.step].end = e.time;
        view.steps[e.server][e.step].outcome = StepRun::Outcome::failed;
        last_failure[e.server] = static_cast<std::ptrdiff_t>(view.faults.size());
        view.faults.push_back(Fault{Fault::Kind::attempt_failed, e.server, e.step, e.attempt,
                                    attempt_start[e.server], e.time, false});
        break;
      default:
        break;
    }
  }
  const auto outages = checker.outages();
  view.outages.assign(outages.begin(), outages.end());
  view.violations = checker.violations();
  return view;
}

OutageTotals outage_totals(const RunView& view, std::size_t server) {
  OutageTotals totals;
  for (const check::Outage& o : view.outages) {
    if (o.server != server) continue;
    totals.longest = std::max(totals.longest, o.length());
    totals.total += o.length();
    ++totals.count;
  }
  return totals;
}

std::string_view role_label(model::Role role) {
  switch (role) {
    case model::Role::enterprise_backend:
      return "Enterprise Edition back end";
    case model::Role::enterprise_backend_collocated:
      return "Enterprise Edition back end with collocated stores";
    case model::Role::standard_edition:
      return "Standard Edition server";
    case model::Role::front_end:
      return "Front End server";
  }
  return "";
}

}  // namespace lyncupdate::reports
