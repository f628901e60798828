#include "lyncupdate/reports/run_view.hpp"

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
  for (const sim::TraceEvent& e : trace) {
    switch (e.kind) {
      case sim::TraceKind::step_started:
        view.steps[e.server][e.step].start = e.time;
        view.steps[e.server][e.step].end = e.time;
        break;
      case sim::TraceKind::step_finished:
        view.steps[e.server][e.step].end = e.time;
        view.steps[e.server][e.step].outcome = StepRun::Outcome::succeeded;
        break;
      case sim::TraceKind::step_failed:
        view.steps[e.server][e.step].end = e.time;
        view.steps[e.server][e.step].outcome = StepRun::Outcome::failed;
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

std::string_view role_label(model::Role role) {
  switch (role) {
    case model::Role::enterprise_backend:
      return "Enterprise Edition back end";
    case model::Role::enterprise_backend_collocated:
      return "Enterprise Edition back end with collocated stores";
    case model::Role::standard_edition:
      return "Standard Edition server";
  }
  return "";
}

}  // namespace lyncupdate::reports
