#include "lyncupdate/simulator/users.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

#include "lyncupdate/model/budget.hpp"
#include "lyncupdate/model/fqdn.hpp"
#include "lyncupdate/model/quorum.hpp"
#include "lyncupdate/simulator/sampling.hpp"

namespace lyncupdate::sim {
namespace {

constexpr double ms_per_hour = 3'600'000.0;
constexpr Duration day = std::chrono::hours(24);
constexpr Duration hour = std::chrono::hours(1);

// Local user ids travel in an Event's `step` (high 16 bits) and `attempt` (low 16 bits); the
// loader refuses more users than that (model::max_users_per_home), so none is clamped here.
static_assert(model::max_users_per_home == std::numeric_limits<std::uint32_t>::max());

std::uint32_t user_count(std::int64_t users) {
  assert(users >= 0 && users <= model::max_users_per_home && "the loader bounds users");
  return static_cast<std::uint32_t>(users);
}

// The hour of the day (0-23) at run time `t` of a window that opens at `window_start`.
std::size_t hour_of_day(TimePoint t, Duration window_start) {
  const Duration of_day = (window_start + t.time_since_epoch()) % day;
  return static_cast<std::size_t>(of_day / hour);
}

// Run time of the next hour boundary after `t`.
TimePoint next_hour(TimePoint t, Duration window_start) {
  const Duration into_hour = (window_start + t.time_since_epoch()) % hour;
  return t + (hour - into_hour);
}

Duration round_ms(double ms) { return Duration(static_cast<Duration::rep>(std::llround(ms))); }

}  // namespace

std::uint64_t UserImpact::failed_operations() const {
  std::uint64_t total = 0;
  for (const std::uint64_t n : failed) total += n;
  return total;
}

UserModel::UserModel(const model::ResolvedPlan& plan, RunRandom& random, Trace& trace,
                     UserWorkspace* workspace)
    : plan_(&plan),
      activity_(&plan.scenario->users),
      random_(&random),
      trace_(&trace),
      governed_(plan.servers.size(), no_index),
      front_end_of_(plan.servers.size(), no_index),
      services_stopped_(plan.servers.size(), 0),
      backend_down_(plan.servers.size(), 0),
      order_(workspace != nullptr ? workspace->order : own_.order),
      position_(workspace != nullptr ? workspace->position : own_.position),
      signed_in_at_(workspace != nullptr ? workspace->signed_in_at : own_.signed_in_at),
      affected_(workspace != nullptr ? workspace->affected : own_.affected) {
  const model::Topology& topology = plan.scenario->topology;
  const std::size_t pools = topology.pools.size();
  homes_.resize(pools + topology.standard_edition_servers.size());
  assert(homes_.size() < no_index && "home indices are 16-bit");
  std::size_t offset = 0;
  for (std::size_t i = 0; i < homes_.size(); ++i) {
    Home& home = homes_[i];
    home.standard_edition = i >= pools;
    home.users =
        user_count(home.standard_edition ? topology.standard_edition_servers[i - pools].users
                                         : topology.pools[i].users);
    home.offset = offset;
    offset += home.users;
    home.arrival_rate_scale =
        static_cast<double>(home.users) / static_cast<double>(activity_->session_mean.count());
    if (home.standard_edition) {
      const auto& backup = topology.standard_edition_servers[i - pools].backup_pool;
      // Pairs are of one edition (DOMAIN.md section 7): the backup is another SE server.
      home.has_backup =
          backup && std::ranges::any_of(topology.standard_edition_servers, [&](const auto& se) {
            return model::fqdn_key(se.fqdn) == model::fqdn_key(*backup);
          });
    } else {
      home.front_ends = std::min(topology.pools[i].front_ends.size(), max_front_ends);
      std::fill_n(home.front_end_running.begin(), home.front_ends, true);
      home.quorum = model::pool_has_quorum(
          home.front_ends, std::span<const bool>(home.front_end_running.data(), home.front_ends));
      home.group_offset = groups_.size();
      for (const model::RoutingGroupPlacement& placement :
           model::place_routing_groups(topology.pools[i])) {
        Group group;
        group.placement = placement;
        group.running = placement.replicas;
        groups_.push_back(group);
      }
      home.group_count = static_cast<std::uint32_t>(groups_.size() - home.group_offset);
    }
  }
  for (std::size_t s = 0; s < plan.servers.size(); ++s) {
    const model::UpdateTarget& target = plan.servers[s].target;
    std::size_t h = 0;
    if (target.role == model::Role::front_end) {
      // A front end does not govern its pool: its stopped services count towards quorum.
      if (target.front_end < max_front_ends) {
        front_end_of_[s] = static_cast<std::uint16_t>(target.front_end);
      }
      // A pool whose back end is not planned reports its users' events under its first
      // planned front end, one server for the whole run.
      if (homes_[target.index].reporter == no_index) {
        homes_[target.index].reporter = static_cast<std::uint16_t>(s);
      }
      continue;
    }
    if (target.role == model::Role::standard_edition) {
      h = pools + target.index;
    } else {
      // A mirror's outage costs users nothing: the principal serves the pool (DOMAIN.md
      // section 4). Failover to the mirror is not modelled.
      if (model::fqdn_key(target.fqdn) !=
          model::fqdn_key(topology.pools[target.index].back_end.fqdn))
        continue;
      h = target.index;
    }
    governed_[s] = static_cast<std::uint16_t>(h);
    homes_[h].governor = static_cast<std::uint16_t>(s);
  }
  // order_ and position_ are set in start(); signed_in_at_ is written at each sign-in before
  // it is read.
  order_.resize(offset);
  position_.resize(offset);
  signed_in_at_.resize(offset);
  affected_.assign(offset, 0);
  impact_.users = offset;
}

void UserModel::start(Engine& engine) {
  engine_ = &engine;
  engine.on(EventKind::user_arrival, *this);
  engine.on(EventKind::user_sign_out, *this);
  engine.on(EventKind::user_timer, *this);
  const TimePoint now = engine.now();
  const double fraction =
      activity_->profile[hour_of_day(now, plan_->scenario->limits.window_start)];
  // Users on at the window start have been on for at least a conference length: their
  // conferences may be in progress.
  const TimePoint long_ago = now - activity_->conference_length;
  for (std::size_t h = 0; h < homes_.size(); ++h) {
    Home& home = homes_[h];
    home.accrued_to = now;
    home.normal_since = long_ago;
    for (std::size_t g = 0; g < home.group_count; ++g) {
      groups_[home.group_offset + g].normal_since = long_ago;
    }
    for (std::uint32_t u = 0; u < home.users; ++u) {
      order_[home.offset + u] = u;
      position_[home.offset + u] = u;
    }
    // Each user is on with probability `fraction`; visiting positions in order, a chosen
    // user is swapped to the end of the signed-in prefix, which only holds visited users.
    if (fraction > 0) {
      for (std::uint32_t p = 0; p < home.users; ++p) {
        if (fraction < 1 && !(random_->uniform() < fraction)) continue;
        const std::size_t a = home.offset + home.signed_in;
        const std::size_t b = home.offset + p;
        std::swap(order_[a], order_[b]);
        position_[home.offset + order_[a]] = home.signed_in;
        position_[home.offset + order_[b]] = p;
        const std::uint32_t user = order_[a];
        ++home.signed_in;
        if (home.group_count > 0) ++group_of(home, user).signed_in;
        ++impact_.sessions;
        signed_in_at_[home.offset + user] = long_ago;
        // The remaining time of a session in progress: exponential again (memoryless), or the
        // whole fixed length.
        const Duration length =
            activity_->session_length == model::SessionLength::fixed
                ? activity_->session_mean
                : round_ms(sample_exponential_ms(
                      static_cast<double>(activity_->session_mean.count()), *random_));
        Event out;
        out.kind = EventKind::user_sign_out;
        out.server = static_cast<std::uint16_t>(h);
        out.step = static_cast<std::uint16_t>(user >> 16);
        out.attempt = static_cast<std::uint16_t>(user & 0xffff);
        schedule(engine, now + length, out);
      }
    }
    schedule_arrival(static_cast<std::uint16_t>(h), engine);
  }
}

void UserModel::schedule_arrival(std::uint16_t h, Engine& engine) {
  const Home& home = homes_[h];
  if (home.users == 0) return;
  const TimePoint now = engine.now();
  const Duration window_start = plan_->scenario->limits.window_start;
  const TimePoint boundary = next_hour(now, window_start);
  const double rate = home.arrival_rate_scale * activity_->profile[hour_of_day(now, window_start)];
  Event out;
  out.kind = EventKind::user_arrival;
  out.server = h;
  out.step = 1;  // the hour ends first: draw again at its rate (exact: arrivals are memoryless)
  TimePoint at = boundary;
  if (rate > 0) {
    const double gap = sample_exponential_ms(1.0 / rate, *random_);
    if (gap < static_cast<double>((boundary - now).count())) {
      at = now + round_ms(gap);
      out.step = 0;
    }
  }
  schedule(engine, at, out);
}

void UserModel::sign_in(Home& home, std::uint16_t h, TimePoint now, Engine& engine) {
  if (home.signed_in >= home.users) return;  // everyone is on: the arrival is lost
  const std::uint32_t out_count = home.users - home.signed_in;
  const auto pick =
      std::min(out_count - 1,
               static_cast<std::uint32_t>(random_->uniform() * static_cast<double>(out_count)));
  const std::size_t a = home.offset + home.signed_in;
  const std::size_t b = a + pick;
  std::swap(order_[a], order_[b]);
  position_[home.offset + order_[a]] = home.signed_in;
  position_[home.offset + order_[b]] = home.signed_in + pick;
  const std::uint32_t user = order_[a];
  accrue(home, now);
  ++home.signed_in;
  Service service = home.service;
  if (home.group_count > 0) {
    Group& group = group_of(home, user);
    ++group.signed_in;
    count_group_users(home, group.own, 1);
    service = group.service;
  }
  ++impact_.sessions;
  signed_in_at_[home.offset + user] = now;
  if (service != Service::normal && affected_[home.offset + user] == 0) {
    affected_[home.offset + user] = 1;
    ++impact_.users_affected;
  }
  const Duration length =
      activity_->session_length == model::SessionLength::fixed
          ? activity_->session_mean
          : round_ms(sample_exponential_ms(static_cast<double>(activity_->session_mean.count()),
                                           *random_));
  Event out;
  out.kind = EventKind::user_sign_out;
  out.server = h;
  out.step = static_cast<std::uint16_t>(user >> 16);
  out.attempt = static_cast<std::uint16_t>(user & 0xffff);
  schedule(engine, now + length, out);
}

void UserModel::accrue(Home& home, TimePoint now) {
  // Each user gets the worse of the home's service and their routing group's own.
  std::uint32_t resiliency = home.group_resiliency_signed_in;
  std::uint32_t disconnected = home.group_disconnected_signed_in;
  if (home.service == Service::resiliency) resiliency = home.signed_in - disconnected;
  if (home.service == Service::disconnected) {
    resiliency = 0;
    disconnected = home.signed_in;
  }
  const std::int64_t elapsed = (now - home.accrued_to).count();
  home.resiliency_user_ms += static_cast<std::int64_t>(resiliency) * elapsed;
  home.disconnected_user_ms += static_cast<std::int64_t>(disconnected) * elapsed;
  home.accrued_to = now;
}

UserModel::Group& UserModel::group_of(const Home& home, std::uint32_t user) {
  return groups_[home.group_offset + model::routing_group_of_user(user, home.group_count)];
}

// Adds `users` (negative: removes) to the home's count of signed-in users whose group's own
// service is `own`.
void UserModel::count_group_users(Home& home, Service own, std::int64_t users) {
  const auto add = [&](std::uint32_t& count) {
    count = static_cast<std::uint32_t>(static_cast<std::int64_t>(count) + users);
  };
  if (own == Service::resiliency) add(home.group_resiliency_signed_in);
  if (own == Service::disconnected) add(home.group_disconnected_signed_in);
}

void UserModel::schedule(Engine& engine, TimePoint at, const Event& event) {
  ++own_pending_;
  engine.schedule(at, event);
}

void UserModel::handle(const Event& event, Engine& engine) {
  --own_pending_;
  if (closed_) return;  // the tally is over; what remains queued changes nothing
  if (!plan_over_ && engine.pending() == own_pending_) {
    // Only users' events are left: nothing can move the plan any more (a live run would
    // wait for a command; a simulated one cannot). End the tally rather than run forever.
    plan_end_ = last_plan_event_;
    plan_over_ = true;
    close(engine.now());
    return;
  }
  Home& home = homes_[event.server];
  const TimePoint now = engine.now();
  switch (event.kind) {
    case EventKind::user_arrival:
      if (event.step == 0) sign_in(home, event.server, now, engine);
      schedule_arrival(event.server, engine);
      break;
    case EventKind::user_sign_out: {
      const std::uint32_t user = (std::uint32_t{event.step} << 16) | event.attempt;
      const std::uint32_t p = position_[home.offset + user];
      assert(p < home.signed_in);
      accrue(home, now);
      const std::uint32_t last = home.signed_in - 1;
      const std::size_t a = home.offset + p;
      const std::size_t b = home.offset + last;
      std::swap(order_[a], order_[b]);
      position_[home.offset + order_[a]] = p;
      position_[home.offset + order_[b]] = last;
      --home.signed_in;
      if (home.group_count > 0) {
        Group& group = group_of(home, user);
        --group.signed_in;
        count_group_users(home, group.own, -1);
      }
      break;
    }
    case EventKind::user_timer:
      if (event.attempt != home.generation[event.step]) break;  // cancelled since
      timer_due(event.server, static_cast<Timer>(event.step), now);
      maybe_close(now);
      break;
    default:
      assert(false && "an event kind the user model does not handle");
  }
}

void UserModel::on_event(const TraceEvent& e) {
  if (closed_) return;
  if (!is_user_event(e.kind)) last_plan_event_ = e.time;
  if (e.kind == TraceKind::state_changed) {
    if (front_end_of_[e.server] != no_index) {
      if (e.variable != model::StateVariable::lync_services) return;
      set_front_end_running(plan_->servers[e.server].target.index, front_end_of_[e.server],
                            e.to == model::values::running, e.time, e.server);
      return;
    }
    if (governed_[e.server] == no_index) return;
    if (e.variable == model::StateVariable::backend) {
      backend_down_[e.server] = e.to == model::values::unavailable ? 1 : 0;
    } else if (e.variable == model::StateVariable::lync_services) {
      services_stopped_[e.server] = e.to == model::values::stopped ? 1 : 0;
    } else if (e.variable == model::StateVariable::database_principal) {
      principal_moved(e.server, e.to == model::values::on_mirror, e.time);
      return;
    } else {
      return;
    }
    server_changed(e.server, e.time);
  } else if (e.kind == TraceKind::run_finished) {
    plan_over_ = true;
    plan_end_ = e.time;
    maybe_close(e.time);
  }
}

void UserModel::server_changed(std::uint16_t server, TimePoint now) {
  const std::uint16_t h = governed_[server];
  Home& home = homes_[h];
  // DOMAIN.md section 2: a Standard Edition server is front end and back end in one box, so
  // stopped services or an unavailable back end both take its users' service away; a pool's
  // front ends keep serving while its back end is down, for the outage limit.
  const bool down = home.standard_edition
                        ? services_stopped_[server] != 0 || backend_down_[server] != 0
                        : backend_down_[server] != 0;
  if (down == home.down) return;
  home.down = down;
  if (!home.standard_edition) update_quorum(home);
  const model::UserActivity& a = *activity_;
  const Duration limit = plan_->scenario->limits.backend_outage_limit;
  if (down) {
    home.down_since = now;
    if (home.standard_edition) {
      if (home.failback_pending) {
        // Down again before the users came back: they stay on the backup pool.
        ++home.generation[failback_timer];
        home.failback_pending = false;
      } else if (home.has_backup) {
        schedule_timer(h, failover_timer, now + a.failover_timer);
      }
    } else {
      schedule_timer(h, resiliency_timer, now + limit);
    }
    refresh(h, now);
    return;
  }
  if (home.standard_edition) {
    ++home.generation[failover_timer];
    // Back exactly when the failover timer runs out: the users have re-registered.
    if (home.has_backup && !home.on_backup && now - home.down_since >= a.failover_timer) {
      home.on_backup = true;
      refresh(h, now);
    }
    if (home.on_backup) {
      home.failback_pending = true;
      schedule_timer(h, failback_timer, now + a.failback_timer);
    }
  } else {
    ++home.generation[resiliency_timer];
    // Back exactly at the limit: "for the limit or longer" (DOMAIN.md section 1) puts the users
    // into resiliency mode, for no time at all.
    if (!home.in_resiliency && now - home.down_since >= limit) {
      home.in_resiliency = true;
      refresh(h, now);
    }
    home.in_resiliency = false;
  }
  refresh(h, now);
}

void UserModel::set_front_end_running(std::size_t pool, std::size_t front_end, bool running,
                                      TimePoint now, std::uint16_t server) {
  Home& home = homes_.at(pool);
  assert(!home.standard_edition && front_end < home.front_ends);
  const auto h = static_cast<std::uint16_t>(pool);
  if (home.front_end_running[front_end] == running) {
    refresh(h, now);
    return;
  }
  home.front_end_running[front_end] = running;
  update_quorum(home);
  accrue(home, now);
  if (server == no_index) server = home.governor != no_index ? home.governor : home.reporter;
  // DOMAIN.md section 3: the routing groups with a replica here gain or lose one.
  std::uint32_t moved = 0;
  bool primaries_moved = false;
  for (std::size_t g = 0; g < home.group_count; ++g) {
    Group& group = groups_[home.group_offset + g];
    const auto holders = group.placement.holders();
    if (std::ranges::find(holders, static_cast<std::uint8_t>(front_end)) == holders.end()) {
      continue;
    }
    group.running = static_cast<std::uint8_t>(running ? group.running + 1 : group.running - 1);
    if (!home.front_end_running[holders[group.primary]] && group.running > 0) {
      // The primary moves to the first running replica (a secondary, or the original primary
      // back); its users re-register there, unless the pool itself has stopped.
      const auto first =
          std::ranges::find_if(holders, [&](std::uint8_t f) { return home.front_end_running[f]; });
      group.primary = static_cast<std::uint8_t>(first - holders.begin());
      if (!running && home.quorum) {
        moved += group.signed_in;
        primaries_moved = true;
      }
    }
    const Service own = group.running == 0 ? Service::disconnected
                        : group.running < model::routing_group_write_quorum(holders.size())
                            ? Service::resiliency
                            : Service::normal;
    if (own == group.own) continue;
    count_group_users(home, group.own, -static_cast<std::int64_t>(group.signed_in));
    count_group_users(home, own, group.signed_in);
    group.own = own;
    emit_group_event(home,
                     own == Service::normal       ? TraceKind::routing_group_quorum_regained
                     : own == Service::resiliency ? TraceKind::routing_group_quorum_lost
                                                  : TraceKind::routing_group_stopped,
                     server, g, now);
  }
  if (primaries_moved) {
    impact_.users_moved += moved;
    TraceEvent event;
    event.time = now;
    event.kind = TraceKind::primaries_moved;
    event.server = server;
    event.count = moved;
    trace_->emit(event);
  }
  refresh(h, now);
  settle_groups(h, now);
}

void UserModel::emit_group_event(const Home& home, TraceKind kind, std::uint16_t server,
                                 std::size_t g, TimePoint now) {
  TraceEvent event;
  event.time = now;
  event.kind = kind;
  event.server = server;
  event.routing_group = static_cast<std::uint16_t>(g);
  event.count = groups_[home.group_offset + g].signed_in;
  trace_->emit(event);
}

// Quorum of the pool's front ends, with its principal back end as the witness while it is up
// and serves the pool (DOMAIN.md sections 3, 4; sim::World::witness_available).
void UserModel::update_quorum(Home& home) {
  home.quorum = model::pool_keeps_running(
      home.front_ends, std::span<const bool>(home.front_end_running.data(), home.front_ends),
      !home.down && !home.on_mirror);
}

void UserModel::principal_moved(std::uint16_t server, bool on_mirror, TimePoint now) {
  const std::uint16_t h = governed_[server];
  Home& home = homes_[h];
  if (home.standard_edition || home.on_mirror == on_mirror) return;
  home.on_mirror = on_mirror;
  update_quorum(home);
  refresh(h, now);
}

void UserModel::timer_due(std::uint16_t h, Timer timer, TimePoint now) {
  Home& home = homes_[h];
  switch (timer) {
    case resiliency_timer:
      if (home.down) home.in_resiliency = true;
      break;
    case failover_timer:
      if (home.down) home.on_backup = true;
      break;
    case failback_timer:
      if (!home.down) {
        home.on_backup = false;
        home.failback_pending = false;
      }
      break;
  }
  refresh(h, now);
}

void UserModel::schedule_timer(std::uint16_t h, Timer timer, TimePoint at) {
  Home& home = homes_[h];
  ++home.generation[timer];
  Event out;
  out.kind = EventKind::user_timer;
  out.server = h;
  out.step = timer;
  out.attempt = home.generation[timer];
  schedule(*engine_, at, out);
}

void UserModel::refresh(std::uint16_t h, TimePoint now) {
  const Home& home = homes_[h];
  Service service = Service::normal;
  if (home.standard_edition) {
    if (home.on_backup) {
      service = Service::resiliency;
    } else if (home.down) {
      service = Service::disconnected;
    }
  } else if (!home.quorum) {
    service = Service::disconnected;
  } else if (home.in_resiliency) {
    service = Service::resiliency;
  }
  set_service(h, service, now);
}

void UserModel::set_service(std::uint16_t h, Service service, TimePoint now) {
  Home& home = homes_[h];
  if (service == home.service) return;
  accrue(home, now);
  const Service old = home.service;
  home.service = service;
  if (home.group_count > 0) {
    settle_groups(h, now);
  } else {
    if (old == Service::normal) end_normal_service(home, now);
    if (service == Service::normal) home.normal_since = now;
  }

  TraceKind kind = TraceKind::users_disconnected;
  if (home.standard_edition) {
    if (service == Service::resiliency) {
      kind = TraceKind::users_failed_over;
    } else if (service == Service::normal) {
      kind =
          old == Service::resiliency ? TraceKind::users_failed_back : TraceKind::users_reconnected;
    }
  } else if (service == Service::resiliency) {
    kind = old == Service::normal ? TraceKind::resiliency_entered : TraceKind::users_reconnected;
  } else if (service == Service::normal) {
    kind = old == Service::resiliency ? TraceKind::resiliency_left : TraceKind::users_reconnected;
  }
  TraceEvent event;
  event.time = now;
  event.kind = kind;
  event.server = home.governor != no_index ? home.governor : home.reporter;
  event.count = home.signed_in;
  trace_->emit(event);
}

// The users of the home's groups whose service leaves normal now, all at once (one draw).
void UserModel::settle_groups(std::uint16_t h, TimePoint now) {
  Home& home = homes_[h];
  bool leaving = false;
  for (std::size_t g = 0; g < home.group_count; ++g) {
    Group& group = groups_[home.group_offset + g];
    const Service service = std::max(home.service, group.own);
    group.leaving_normal = group.service == Service::normal && service != Service::normal;
    leaving = leaving || group.leaving_normal;
    if (service == Service::normal && group.service != Service::normal) group.normal_since = now;
    group.service = service;
  }
  if (leaving) end_normal_service(home, now);
}

// Service leaves normal for the signed-in users of `home` (of its groups marked
// leaving_normal, for a pool). Every one of them is affected. Their conferences end (DOMAIN.md
// section 2): each one started in the last conference length of normal service while its
// organiser was on.
void UserModel::end_normal_service(Home& home, TimePoint now) {
  const std::int64_t window = activity_->conference_length.count();
  std::int64_t organising_ms = 0;
  for (std::uint32_t p = 0; p < home.signed_in; ++p) {
    const std::uint32_t user = order_[home.offset + p];
    TimePoint normal_since = home.normal_since;
    if (home.group_count > 0) {
      const Group& group = group_of(home, user);
      if (!group.leaving_normal) continue;
      normal_since = group.normal_since;
    }
    const TimePoint since = std::max(signed_in_at_[home.offset + user], normal_since);
    organising_ms += std::min(window, (now - since).count());
    if (affected_[home.offset + user] == 0) {
      affected_[home.offset + user] = 1;
      ++impact_.users_affected;
    }
  }
  impact_.conferences_ended +=
      sample_poisson(activity_->rate(model::Operation::conference_organise) *
                         static_cast<double>(organising_ms) / ms_per_hour,
                     *random_);
}

void UserModel::maybe_close(TimePoint now) {
  if (!plan_over_ || closed_) return;
  // A server still down when the plan ends stays down: nothing in the run brings it back, so
  // the tally ends with the plan. Otherwise it ends when the last users have failed back.
  const bool down = std::ranges::any_of(homes_, [](const Home& h) { return h.down || !h.quorum; });
  const bool waiting =
      std::ranges::any_of(homes_, [](const Home& h) { return h.failback_pending; });
  if (down || !waiting) close(now);
}

void UserModel::close(TimePoint now) {
  closed_ = true;
  impact_.closed = now;
  for (Home& home : homes_) {
    accrue(home, now);
    impact_.resiliency_user_ms += home.resiliency_user_ms;
    impact_.disconnected_user_ms += home.disconnected_user_ms;
    // The operations of the impaired user-time, drawn at once: the operations of all users of
    // a home form one Poisson process whose count over the impaired time is Poisson with mean
    // rate x user-time.
    for (std::size_t o = 0; o < model::operation_count; ++o) {
      const auto operation = static_cast<model::Operation>(o);
      const double rate = activity_->rates_per_hour[o] / ms_per_hour;
      const std::uint64_t in_resiliency =
          sample_poisson(rate * static_cast<double>(home.resiliency_user_ms), *random_);
      const std::uint64_t disconnected =
          sample_poisson(rate * static_cast<double>(home.disconnected_user_ms), *random_);
      impact_.attempted_impaired[o] += in_resiliency + disconnected;
      impact_.failed[o] +=
          (model::fails_in_resiliency(operation) ? in_resiliency : 0) + disconnected;
    }
  }
}

}  // namespace lyncupdate::sim
