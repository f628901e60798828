#include "lyncupdate/live/wall_clock.hpp"

#include <algorithm>
#include <cassert>

namespace lyncupdate::live {

WallClock::WallClock() : origin_(std::chrono::steady_clock::now()) {}

TimePoint WallClock::elapsed() const {
  return TimePoint(
      std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - origin_));
}

bool WallClock::awaiting_external() const {
  const std::lock_guard lock(mutex_);
  return outstanding_ > 0;
}

void WallClock::expect() {
  const std::lock_guard lock(mutex_);
  ++outstanding_;
}

void WallClock::post(Delivery delivery) {
  {
    const std::lock_guard lock(mutex_);
    inbox_.push_back(std::move(delivery));
  }
  wake_.notify_one();
}

TimePoint WallClock::advance(TimePoint now, TimePoint next, sim::Engine& engine) {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (!inbox_.empty()) {
      std::vector<Delivery> ready;
      ready.swap(inbox_);
      assert(outstanding_ >= ready.size());
      outstanding_ -= ready.size();
      lock.unlock();
      const TimePoint at = std::max(now, elapsed());
      for (const Delivery& delivery : ready) delivery(at, engine);
      return at;
    }
    if (next == TimePoint::max()) {
      wake_.wait(lock);
      continue;
    }
    if (wake_.wait_until(lock, origin_ + next.time_since_epoch()) == std::cv_status::timeout &&
        inbox_.empty()) {
      return std::max({now, next, elapsed()});
    }
  }
}

}  // namespace lyncupdate::live
