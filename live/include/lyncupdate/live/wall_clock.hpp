#pragma once
/// \file
/// The time source of a live run. Time zero is the moment the clock was made; the engine
/// sleeps until its next event, or wakes early when a command that runs on a worker thread
/// posts its completion. Completions are delivered on the engine's thread, in the order they
/// were posted, so journal writes and the executor never run concurrently.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <vector>

#include "lyncupdate/simulator/engine.hpp"

namespace lyncupdate::live {

/// Wall-clock time for the engine, with a mailbox for work finishing on other threads.
class WallClock final : public sim::TimeSource {
 public:
  /// What a worker hands to the engine's thread: called with the time of delivery.
  using Delivery = std::function<void(TimePoint now, sim::Engine& engine)>;

  WallClock();

  /// Sleeps until `next` (the earliest queued event) or until a completion is posted, runs
  /// the posted deliveries, and returns the time on the wall clock, never before `now`.
  TimePoint advance(TimePoint now, TimePoint next, sim::Engine& engine) override;

  /// True while work started with `expect()` has not been delivered.
  bool awaiting_external() const override;

  /// Engine thread: one more piece of outside work will post a delivery.
  void expect();

  /// Any thread: hands `delivery` to the engine's thread and wakes it.
  void post(Delivery delivery);

  /// The time since the clock was made.
  TimePoint elapsed() const;

 private:
  std::chrono::steady_clock::time_point origin_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Delivery> inbox_;
  std::size_t outstanding_ = 0;  // expected deliveries not yet run
};

}  // namespace lyncupdate::live
