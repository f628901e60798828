#pragma once
/// \file
/// The users of a run: sessions on every Enterprise Edition pool and Standard Edition server
/// of the topology, and what the update does to them (DOMAIN.md sections 2 and 3).
///
/// The model, per home (a pool or a Standard Edition server with N users):
/// - at the window start each user is signed in with the probability the time-of-day profile
///   gives for that hour; later sign-ins arrive as a Poisson process of rate N x f(hour) /
///   mean session (Little's law keeps the fraction f signed in), each a user drawn uniformly
///   from those signed out; sessions last an exponential time (or a fixed one). Each sign-in
///   and sign-out is an engine event.
/// - the home's service is normal, resiliency or disconnected, driven by the `backend` and
///   `lync_services` state changes of the planned servers (the trace). Operations are Poisson
///   processes per signed-in user; only their counts while the service is impaired matter, so
///   they are drawn once per home at the end, from the exact user-time spent impaired (a sum
///   of independent Poisson processes is a Poisson process): no event per operation.
/// - conferences a user organised end when the service leaves normal; their number is drawn
///   from the user-time each signed-in user spent in normal service over the last conference
///   length (a conference lasts that long, or until its organiser signs out).
/// - a pool's users are in routing groups (model/routing_groups.hpp), user i in group
///   i mod groups, each group on up to three front ends. A group whose replicas fall below its
///   write quorum puts its users into resiliency mode, with none running disconnects them
///   (ASSUMED, DOMAIN.md section 3); the pool's own state (quorum, back end) applies on top, the
///   worse of the two counts. When the front end holding a group's primary stops while another
///   replica runs, the primary moves there and the group's signed-in users re-register
///   (UserImpact::users_moved), without losing service.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "lyncupdate/model/resolve.hpp"
#include "lyncupdate/model/routing_groups.hpp"
#include "lyncupdate/model/users.hpp"
#include "lyncupdate/simulator/engine.hpp"
#include "lyncupdate/simulator/executor.hpp"
#include "lyncupdate/simulator/random.hpp"
#include "lyncupdate/simulator/trace.hpp"

namespace lyncupdate::sim {

/// Whether `kind` is one of the user model's own trace events (resiliency_entered, ...).
constexpr bool is_user_event(TraceKind kind) {
  switch (kind) {
    case TraceKind::resiliency_entered:
    case TraceKind::resiliency_left:
    case TraceKind::users_disconnected:
    case TraceKind::users_reconnected:
    case TraceKind::users_failed_over:
    case TraceKind::users_failed_back:
    case TraceKind::routing_group_quorum_lost:
    case TraceKind::routing_group_stopped:
    case TraceKind::routing_group_quorum_regained:
    case TraceKind::primaries_moved:
      return true;
    default:
      return false;
  }
}

/// Whether `kind` reports a routing group's own state (routing_group_quorum_lost, ...).
constexpr bool is_routing_group_event(TraceKind kind) {
  return kind == TraceKind::routing_group_quorum_lost || kind == TraceKind::routing_group_stopped ||
         kind == TraceKind::routing_group_quorum_regained;
}

/// What the update did to the users in one run. Exact integers.
struct UserImpact {
  std::uint64_t users = 0;     ///< users homed on every pool and Standard Edition server
  std::uint64_t sessions = 0;  ///< sessions simulated: signed in at the window start or later
  /// Distinct users signed in while their service was in resiliency mode or disconnected.
  std::uint64_t users_affected = 0;
  std::int64_t resiliency_user_ms = 0;    ///< user-milliseconds in resiliency mode
  std::int64_t disconnected_user_ms = 0;  ///< user-milliseconds disconnected
  /// Per model::Operation: attempted while in resiliency mode or disconnected.
  std::array<std::uint64_t, model::operation_count> attempted_impaired{};
  /// Per model::Operation: failed (in resiliency mode, the operations it stops; disconnected,
  /// every operation).
  std::array<std::uint64_t, model::operation_count> failed{};
  std::uint64_t conferences_ended = 0;  ///< conferences that ended because their organiser's
                                        ///< service left normal
  /// Signed-in users who re-registered because the front end holding their routing group's
  /// primary stopped and a secondary took over (one count per move; no loss of service).
  std::uint64_t users_moved = 0;
  /// When the tally closed: the plan's end, or later when users still had to fail back.
  TimePoint closed{};

  /// Every failed operation.
  std::uint64_t failed_operations() const;
};

/// Per-user memory of the user model, reusable from run to run: a batch that keeps one per
/// thread touches fresh pages once, not once a run (a few bytes per user; 2 MB for 120,000).
struct UserWorkspace {
  std::vector<std::uint32_t> order;     ///< local user ids per home; signed-in ones first
  std::vector<std::uint32_t> position;  ///< where each local id sits in `order`
  std::vector<TimePoint> signed_in_at;
  std::vector<std::uint8_t> affected;
};

/// The users of one run: an engine event handler for sign-ins, sign-outs and timers, and a
/// trace observer of the planned servers' state. Subscribe it to the trace after every other
/// observer: it emits its own events (resiliency_entered, ...) in reaction to state changes,
/// and those must reach the others after the change that caused them.
class UserModel final : public EventHandler, public TraceObserver {
 public:
  /// Users of `plan`'s topology behaving as its scenario's `users` says, drawing from
  /// `random`, reporting to `trace`.
  /// `workspace`, when given, holds the per-user memory (it must outlive the model).
  UserModel(const model::ResolvedPlan& plan, RunRandom& random, Trace& trace,
            UserWorkspace* workspace = nullptr);

  /// Signs in the users who are on at the window start and schedules the first arrivals;
  /// registers for the user event kinds.
  void start(Engine& engine);

  void handle(const Event& event, Engine& engine) override;
  void on_event(const TraceEvent& event) override;

  /// The most front ends a pool has (the loader's limit, DOMAIN.md section 3).
  static constexpr std::size_t max_front_ends = 12;

  /// Starts or stops front end `front_end` (topology order) of pool `pool` (topology index)
  /// at `now`: below the quorum of DOMAIN.md section 3 (with the back end as witness,
  /// model::pool_keeps_running) the pool stops and its users are disconnected until quorum
  /// returns; the routing groups with a replica on it gain or lose one (primaries move, groups
  /// lose or regain their write quorum). Planned front ends drive it through their
  /// `lync_services` state changes; `server` is the planned server its trace events name
  /// (no_index: the pool's reporting server).
  void set_front_end_running(std::size_t pool, std::size_t front_end, bool running, TimePoint now,
                             std::uint16_t server = no_index);

  /// True once the tally is closed: the plan is over and every user is back to normal (or a
  /// server stays down, and the run ends with the plan).
  bool closed() const { return closed_; }
  /// When the plan ended (run_finished), or when its last event happened if the executor
  /// stalled with nothing queued; valid once closed().
  TimePoint plan_end() const { return plan_end_; }
  /// The impact; complete once closed().
  const UserImpact& impact() const { return impact_; }

 private:
  enum class Service : std::uint8_t { normal, resiliency, disconnected };
  enum Timer : std::uint16_t { resiliency_timer = 0, failover_timer = 1, failback_timer = 2 };

  struct Home {
    std::uint32_t users = 0;
    std::size_t offset = 0;             // into the per-user arrays
    std::uint32_t signed_in = 0;        // users order_[offset, offset + signed_in) are signed in
    bool standard_edition = false;      // else an Enterprise Edition pool
    std::uint16_t governor = no_index;  // planned server whose state drives it
    std::uint16_t reporter = no_index;  // pools without a governor: a planned front end
    double arrival_rate_scale = 0;      // users / mean session in ms: x f(hour) = arrivals per ms
    Service service = Service::normal;
    TimePoint accrued_to{};    // user-time is counted up to here
    TimePoint normal_since{};  // when the service last became normal
    std::int64_t resiliency_user_ms = 0;
    std::int64_t disconnected_user_ms = 0;
    // Pools: the principal back end is down since `down_since`; quorum of the front ends.
    // Standard Edition: the server is down (services stopped or back end unavailable).
    bool down = false;
    TimePoint down_since{};
    bool in_resiliency = false;  // pools: the back end has been down for the limit
    // Pools: the principal's databases failed over to the mirror, which leaves the pool
    // without its quorum witness (sim::World::witness_available).
    bool on_mirror = false;
    bool quorum = true;
    std::size_t front_ends = 0;
    std::array<bool, max_front_ends> front_end_running{};  // pools: topology order
    // Standard Edition: its users are registered on the backup pool.
    bool has_backup = false;
    bool on_backup = false;
    bool failback_pending = false;
    std::array<std::uint16_t, 3> generation{};  // per Timer: a due timer of another is stale
    // Pools: their routing groups are groups_[group_offset, group_offset + group_count), and
    // how many signed-in users their groups' own replicas put in resiliency or disconnect.
    std::size_t group_offset = 0;
    std::uint32_t group_count = 0;
    std::uint32_t group_resiliency_signed_in = 0;
    std::uint32_t group_disconnected_signed_in = 0;
  };

  // A routing group of a pool (DOMAIN.md section 3).
  struct Group {
    model::RoutingGroupPlacement placement;
    std::uint32_t signed_in = 0;
    std::uint8_t running = 0;           // replicas whose front end runs
    std::uint8_t primary = 0;           // index into placement.holders() of the acting primary
    Service own = Service::normal;      // from its replicas alone
    Service service = Service::normal;  // its users': the worse of `own` and the pool's
    bool leaving_normal = false;        // settle_groups() scratch
    TimePoint normal_since{};           // when `service` last became normal
  };

  void schedule(Engine& engine, TimePoint at, const Event& event);
  void refresh(std::uint16_t h, TimePoint now);
  static void update_quorum(Home& home);
  void sign_in(Home& home, std::uint16_t h, TimePoint now, Engine& engine);
  void schedule_arrival(std::uint16_t h, Engine& engine);
  void accrue(Home& home, TimePoint now);
  void set_service(std::uint16_t h, Service service, TimePoint now);
  void settle_groups(std::uint16_t h, TimePoint now);
  void end_normal_service(Home& home, TimePoint now);
  Group& group_of(const Home& home, std::uint32_t user);
  void count_group_users(Home& home, Service own, std::int64_t users);
  void emit_group_event(const Home& home, TraceKind kind, std::uint16_t server, std::size_t g,
                        TimePoint now);
  void server_changed(std::uint16_t server, TimePoint now);
  /// The governing principal of a pool failed over to its mirror (`on_mirror`) or back.
  void principal_moved(std::uint16_t server, bool on_mirror, TimePoint now);
  void timer_due(std::uint16_t h, Timer timer, TimePoint now);
  void schedule_timer(std::uint16_t h, Timer timer, TimePoint at);
  void maybe_close(TimePoint now);
  void close(TimePoint now);

  const model::ResolvedPlan* plan_;
  const model::UserActivity* activity_;
  RunRandom* random_;
  Trace* trace_;
  Engine* engine_ = nullptr;
  std::vector<Home> homes_;
  std::vector<Group> groups_;  // every pool's routing groups, pool by pool
  // Per planned server: the home it governs (no_index: none) and its state.
  std::vector<std::uint16_t> governed_;
  std::vector<std::uint16_t> front_end_of_;  // per planned server: front end index, or no_index
  std::vector<std::uint8_t> services_stopped_;
  std::vector<std::uint8_t> backend_down_;
  // Per user (home offset + local index), in the caller's workspace or this one's.
  UserWorkspace own_;
  std::vector<std::uint32_t>& order_;
  std::vector<std::uint32_t>& position_;
  std::vector<TimePoint>& signed_in_at_;
  std::vector<std::uint8_t>& affected_;
  UserImpact impact_;
  TimePoint plan_end_{};
  TimePoint last_plan_event_{};  // the latest trace event not of the user model
  std::size_t own_pending_ = 0;  // user events queued
  bool plan_over_ = false;
  bool closed_ = false;
};

/// Simulates `plan` once with the generators of (`seed`, `run_index`), sending every trace
/// event to `observers` in order, with the users of the topology simulated alongside; their
/// impact is stored in `*impact` when it is not null. The summary's end is the plan's end.
/// `workspace`, when given, lends its per-user memory to the run.
RunSummary simulate_run(const model::ResolvedPlan& plan, std::uint64_t seed,
                        std::uint64_t run_index, std::span<TraceObserver* const> observers,
                        UserImpact* impact, UserWorkspace* workspace = nullptr,
                        const RunSettings& settings = {});

}  // namespace lyncupdate::sim
