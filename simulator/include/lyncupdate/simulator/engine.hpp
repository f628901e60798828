#pragma once
/// \file
/// The discrete-event loop. One loop serves simulated and live runs: they differ only in
/// the time source, which jumps the clock (simulation) or sleeps until the next event and
/// may deliver events early, e.g. when a command finishes (live), as in FoundationDB's flow.

#include <array>
#include <cstdint>

#include "lyncupdate/model/time.hpp"
#include "lyncupdate/simulator/event_queue.hpp"

namespace lyncupdate::sim {

/// What a queued event asks for. Further kinds (user sessions, timers) extend this list.
enum class EventKind : std::uint8_t {
  step_finished,    ///< a backend's step completed; `outcome` says how
  step_retry,       ///< the delay after a failed attempt is over: try `step` again
  reboot_finished,  ///< the restart an installer asked for is over
  dispatch,         ///< every step ending at this instant has ended: free operators take work
  // The user model (users.hpp); `server` is the home (pool or Standard Edition server).
  user_arrival,   ///< a user of the home signs in (`step` 0), or the hour's rate changes (1)
  user_sign_out,  ///< user (`step` << 16 | `attempt`) of the home signs out
  user_timer,     ///< a home's timer (`step`: which) of generation `attempt` is due
  /// The witness (witness.hpp): the automatic failover of principal `server`, scheduled when
  /// its outage began (`attempt`: which of its outages), is due.
  automatic_failover,
  count_,
};

/// How a step ended.
enum class StepOutcome : std::uint8_t {
  succeeded,
  failed,
  reboot_required,  ///< succeeded, but the server must restart before the step is done
  stop,             ///< failed in a way that forbids another try: the plan stops (a gate said so)
};

/// A queued event: 8 bytes, so a queue entry with its key is 24 bytes.
struct Event {
  EventKind kind = EventKind::step_finished;
  StepOutcome outcome = StepOutcome::succeeded;
  std::uint16_t server = 0;
  std::uint16_t step = 0;
  std::uint16_t attempt = 0;
};
static_assert(sizeof(Event) == 8);

class Engine;

/// Handles the events of one kind.
class EventHandler {
 public:
  virtual ~EventHandler() = default;
  virtual void handle(const Event& event, Engine& engine) = 0;
};

/// Where time comes from.
class TimeSource {
 public:
  virtual ~TimeSource() = default;
  /// Moves time forward towards `next` (the earliest queued event, or TimePoint::max() when
  /// none is queued) and returns the new now. A live source may return earlier, after
  /// scheduling an event that arrived from outside (a finished command).
  virtual TimePoint advance(TimePoint now, TimePoint next, Engine& engine) = 0;
  /// Whether events may still arrive from outside while the queue is empty.
  virtual bool awaiting_external() const { return false; }
};

/// Simulated time: jump straight to the next event.
class SimulatedTime final : public TimeSource {
 public:
  TimePoint advance(TimePoint /*now*/, TimePoint next, Engine& /*engine*/) override { return next; }
};

/// The event loop of one run. Not thread-safe; many engines may run in one process.
class Engine {
 public:
  explicit Engine(TimeSource& time_source) : time_source_(&time_source) {}

  /// The current time of the run.
  TimePoint now() const { return now_; }

  /// Routes events of `kind` to `handler`.
  void on(EventKind kind, EventHandler& handler) {
    handlers_.at(static_cast<std::size_t>(kind)) = &handler;
  }

  /// Schedules `event` at `time` (>= now()); ties run in scheduling order.
  void schedule(TimePoint time, const Event& event);

  /// Runs until no event is queued and none can arrive. Returns the final time.
  TimePoint run();

  /// How many events were handled so far.
  std::uint64_t handled() const { return handled_; }

  /// How many events are queued.
  std::size_t pending() const { return queue_.size(); }

 private:
  EventQueue<Event> queue_;
  std::array<EventHandler*, static_cast<std::size_t>(EventKind::count_)> handlers_{};
  TimeSource* time_source_;
  TimePoint now_{};
  std::uint64_t handled_ = 0;
};

}  // namespace lyncupdate::sim
