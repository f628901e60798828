// What the HTML report reads from a run's trace beyond the RunView: every attempt of every
// step (the RunView keeps one interval per step) and the users affected over time.

#include <algorithm>
#include <map>
#include <utility>

#include "lyncupdate/reports/html.hpp"
#include "lyncupdate/simulator/users.hpp"

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
  // each event counts the users signed in at that moment. A pool's routing groups have a state
  // of their own (routing_group_* events, DOMAIN.md section 3): each user gets the worse of the
  // pool's and the group's.
  enum class Service : std::uint8_t { normal, resiliency, disconnected };
  struct Home {
    Service service = Service::normal;
    std::int64_t users = 0;
    bool backend_down = false;
    TimePoint down_since{};
  };
  struct Group {
    Service own = Service::normal;
    std::int64_t users = 0;
  };
  struct Pool {
    std::uint16_t home = sim::no_index;  // the planned server its pool-wide events name
    std::map<std::uint16_t, Group> groups;
  };
  std::vector<Home> homes(plan.servers.size());
  std::vector<Pool> pools(plan.scenario->topology.pools.size());
  const Duration limit = plan.scenario->limits.backend_outage_limit;
  const auto is_pool = [&](std::uint16_t server) {
    return plan.servers[server].target.role != model::Role::standard_edition;
  };
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
        service = is_pool(e.server) && home.backend_down && e.time - home.down_since >= limit
                      ? Service::resiliency
                      : Service::normal;
        break;
      case sim::TraceKind::routing_group_quorum_lost:
      case sim::TraceKind::routing_group_stopped:
      case sim::TraceKind::routing_group_quorum_regained: {
        Group& group = pools[plan.servers[e.server].target.index].groups[e.routing_group];
        group.own = e.kind == sim::TraceKind::routing_group_quorum_lost ? Service::resiliency
                    : e.kind == sim::TraceKind::routing_group_stopped   ? Service::disconnected
                                                                        : Service::normal;
        group.users = static_cast<std::int64_t>(e.count);
        break;
      }
      default:
        continue;
    }
    if (!sim::is_routing_group_event(e.kind)) {
      home.service = service;
      home.users = static_cast<std::int64_t>(e.count);
      if (is_pool(e.server)) pools[plan.servers[e.server].target.index].home = e.server;
    }
    UserImpactPoint point{.time = e.time};
    for (std::size_t s = 0; s < homes.size(); ++s) {
      if (is_pool(static_cast<std::uint16_t>(s))) continue;
      if (homes[s].service == Service::resiliency) point.users_in_resiliency += homes[s].users;
      if (homes[s].service == Service::disconnected) point.users_disconnected += homes[s].users;
    }
    for (const Pool& pool : pools) {
      const Home none;
      const Home& h = pool.home != sim::no_index ? homes[pool.home] : none;
      std::int64_t resiliency = 0;
      std::int64_t disconnected = 0;
      for (const auto& [index, group] : pool.groups) {
        if (group.own == Service::resiliency) resiliency += group.users;
        if (group.own == Service::disconnected) disconnected += group.users;
      }
      if (h.service == Service::resiliency)
        resiliency = std::max<std::int64_t>(0, h.users - disconnected);
      if (h.service == Service::disconnected) {
        resiliency = 0;
        disconnected = h.users;
      }
      point.users_in_resiliency += resiliency;
      point.users_disconnected += disconnected;
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
