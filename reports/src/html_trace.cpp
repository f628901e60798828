// What the HTML report reads from a run's trace beyond the RunView: every attempt of every
// step (the RunView keeps one interval per step) and the users affected over time.

#include <map>
#include <utility>

#include "lyncupdate/reports/html.hpp"

namespace lyncupdate::reports {

std::vector<StepAttempt> step_attempts(std::span<const sim::TraceEvent> trace, TimePoint run_end) {
  std::vector<StepAttempt> attempts;
  // Per server, the attempt in progress (each server runs one step at a time).
  std::map<std::uint16_t, std::size_t> open;
  // Per (server, step), the last failed attempt: a retry of it shows when the next try starts.
  std::map<std::pair<std::uint16_t, std::uint16_t>, std::size_t> failed;
  for (const sim::TraceEvent& e : trace) {
    switch (e.kind) {
      case sim::TraceKind::step_started: {
        if (const auto it = failed.find({e.server, e.step}); it != failed.end()) {
          attempts[it->second].retried = true;
          failed.erase(it);
        }
        open[e.server] = attempts.size();
        attempts.push_back(StepAttempt{.server = e.server,
                                       .step = e.step,
                                       .attempt = e.attempt == 0 ? std::uint16_t{1} : e.attempt,
                                       .begin = e.time,
                                       .end = run_end});
        break;
      }
      case sim::TraceKind::reboot_started:
      case sim::TraceKind::reboot_finished:
        if (const auto it = open.find(e.server); it != open.end()) {
          StepAttempt& a = attempts[it->second];
          a.rebooted = true;
          if (e.kind == sim::TraceKind::reboot_started) {
            a.reboot_begin = e.time;
            a.reboot_end = run_end;
          } else {
            a.reboot_end = e.time;
          }
        }
        break;
      case sim::TraceKind::step_finished:
      case sim::TraceKind::step_failed:
        if (const auto it = open.find(e.server); it != open.end()) {
          StepAttempt& a = attempts[it->second];
          a.end = e.time;
          if (e.kind == sim::TraceKind::step_finished) {
            a.outcome = StepAttempt::Outcome::succeeded;
          } else {
            a.outcome = StepAttempt::Outcome::failed;
            failed[{e.server, e.step}] = it->second;
          }
          open.erase(it);
        }
        break;
      default:
        break;
    }
  }
  return attempts;
}

UserImpactSeries user_impact_series(const model::ResolvedPlan& plan,
                                    std::span<const sim::TraceEvent> trace) {
  // The users of each home (a pool, or a Standard Edition server) are in one service state at
  // a time, changed by the user-impact events of the planned server that governs the home;
  // each event counts the users signed in at that moment.
  enum class Service : std::uint8_t { normal, resiliency, disconnected };
  struct Home {
    Service service = Service::normal;
    std::int64_t users = 0;
    bool backend_down = false;
    TimePoint down_since{};
  };
  std::vector<Home> homes(plan.servers.size());
  const Duration limit = plan.scenario->limits.backend_outage_limit;
  UserImpactSeries series;
  for (const sim::TraceEvent& e : trace) {
    if (e.server >= homes.size()) continue;
    Home& home = homes[e.server];
    Service service = home.service;
    switch (e.kind) {
      case sim::TraceKind::state_changed:
        if (e.variable == model::StateVariable::backend) {
          const bool down = e.to == model::values::unavailable;
          if (down && !home.backend_down) home.down_since = e.time;
          home.backend_down = down;
        }
        continue;
      case sim::TraceKind::resiliency_entered:
      case sim::TraceKind::users_failed_over:
        service = Service::resiliency;
        break;
      case sim::TraceKind::resiliency_left:
      case sim::TraceKind::users_failed_back:
        service = Service::normal;
        break;
      case sim::TraceKind::users_disconnected:
        service = Service::disconnected;
        break;
      case sim::TraceKind::users_reconnected:
        // A pool's users come back into resiliency mode when its back end has been down for
        // the limit (DOMAIN.md section 1), otherwise to normal service.
        service = plan.servers[e.server].target.role != model::Role::standard_edition &&
                          home.backend_down && e.time - home.down_since >= limit
                      ? Service::resiliency
                      : Service::normal;
        break;
      default:
        continue;
    }
    home.service = service;
    home.users = static_cast<std::int64_t>(e.count);
    UserImpactPoint point{.time = e.time};
    for (const Home& h : homes) {
      if (h.service == Service::resiliency) point.users_in_resiliency += h.users;
      if (h.service == Service::disconnected) point.users_disconnected += h.users;
    }
    // Several changes at one instant make one point: the state after the last of them.
    if (!series.samples.empty() && series.samples.back().time == e.time) {
      series.samples.back() = point;
    } else {
      series.samples.push_back(point);
    }
  }
  return series;
}

}  // namespace lyncupdate::reports
