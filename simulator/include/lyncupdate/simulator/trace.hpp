#pragma once
/// \file
/// The trace of a run: every change of the rehearsed world as a typed event. Monitors
/// consume it online; reports read it afterwards. The engine never calls a report or a
/// monitor directly: they subscribe as observers (the SimGrid way).

#include <cstdint>
#include <limits>
#include <span>
#include <type_traits>
#include <vector>

#include "lyncupdate/model/budget.hpp"
#include "lyncupdate/model/state.hpp"
#include "lyncupdate/model/time.hpp"

namespace lyncupdate::sim {

/// What happened.
enum class TraceKind : std::uint8_t {
  run_started,      ///< the plan starts
  stage_started,    ///< a plan stage starts; `stage` says which
  step_started,     ///< `server` starts `step`
  step_finished,    ///< `server` finished `step` successfully
  step_failed,      ///< `server`'s `step` failed; `attempt` says which try
  state_changed,    ///< `server`'s `variable` changed from `from` to `to`
  plan_stopped,     ///< a failure stopped the plan: no further step starts
  run_finished,     ///< nothing more happens
  reboot_started,   ///< `server`'s install `step` succeeded and asked for a restart
  reboot_finished,  ///< the restart is over; `step_finished` follows at the same time
  // User impact (users.hpp): `server` is the planned server whose state caused it, `count`
  // the users signed in at that moment.
  resiliency_entered,  ///< the pool's users enter resiliency mode (back end down for the limit)
  resiliency_left,     ///< the back end is back: every feature returns
  users_disconnected,  ///< the users of a stopped Standard Edition server or pool lose service
  users_reconnected,   ///< they register again on their own server
  users_failed_over,   ///< they re-registered on the backup pool, in resiliency mode
  users_failed_back,   ///< they returned from the backup pool to their own server
  // Routing groups of a pool (DOMAIN.md section 3; users.hpp): `server` is the planned front end
  // whose services changed, `routing_group` the group, `count` its users signed in.
  routing_group_quorum_lost,      ///< fewer of its replicas run than its write quorum, at least
                                  ///< one: its users are in resiliency mode
  routing_group_stopped,          ///< none of its replicas runs: its users are disconnected
  routing_group_quorum_regained,  ///< a write quorum of its replicas runs again
  primaries_moved,  ///< the front end `server` stopped and the primaries it held moved to a
                    ///< running secondary; `count` the users who re-registered
  /// The mirroring witness failed principal `server`'s databases over to its mirror (DOMAIN.md
  /// sections 2 and 4): the `state_changed` events that follow make it available again, served
  /// by the mirror.
  automatic_failover,
};

/// Marks "no server" or "no step" in an event.
inline constexpr std::uint16_t no_index = std::numeric_limits<std::uint16_t>::max();
// Every server of a scenario has a number below no_index (the loader refuses more).
static_assert(model::max_servers < no_index);

/// One trace event. Indices refer to the ResolvedPlan the run executed.
struct TraceEvent {
  TimePoint time{};
  TraceKind kind = TraceKind::run_started;
  model::StateVariable variable{};  ///< state_changed only
  model::StateValue from = 0;       ///< state_changed only
  model::StateValue to = 0;         ///< state_changed only
  std::uint16_t server = no_index;  ///< index into ResolvedPlan::servers
  std::uint16_t step = no_index;    ///< index into the server's steps
  std::uint16_t stage = no_index;   ///< stage_started only
  /// step_started, step_finished, step_failed, reboot_*: which try of the step, from 1.
  std::uint16_t attempt = 0;
  std::uint32_t count = 0;  ///< user-impact events: users signed in at that moment
  /// routing_group_* events: the routing group, an index among its pool's groups.
  std::uint16_t routing_group = no_index;
};
static_assert(std::is_trivially_copyable_v<TraceEvent>);

/// Receives trace events as they happen.
class TraceObserver {
 public:
  virtual ~TraceObserver() = default;
  virtual void on_event(const TraceEvent& event) = 0;
};

/// Fans events out to observers, in the order they subscribed.
class Trace {
 public:
  void subscribe(TraceObserver& observer) { observers_.push_back(&observer); }
  void emit(const TraceEvent& event) {
    for (TraceObserver* observer : observers_) observer->on_event(event);
  }

 private:
  std::vector<TraceObserver*> observers_;
};

/// An observer that keeps every event, for reports.
class TraceRecorder final : public TraceObserver {
 public:
  void on_event(const TraceEvent& event) override { events_.push_back(event); }
  std::span<const TraceEvent> events() const { return events_; }

 private:
  std::vector<TraceEvent> events_;
};

}  // namespace lyncupdate::sim
