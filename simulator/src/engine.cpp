#include "lyncupdate/simulator/engine.hpp"

#include <cassert>

namespace lyncupdate::sim {

void Engine::schedule(TimePoint time, const Event& event) {
  assert(time >= now_ && "events cannot be scheduled in the past");
  queue_.push(time, event);
}

TimePoint Engine::run() {
  for (;;) {
    if (queue_.empty() && !time_source_->awaiting_external()) break;
    const TimePoint next = queue_.empty() ? TimePoint::max() : queue_.top().key.time;
    now_ = time_source_->advance(now_, next, *this);
    if (queue_.empty() || queue_.top().key.time > now_) continue;
    const auto entry = queue_.pop();
    EventHandler* handler = handlers_.at(static_cast<std::size_t>(entry.payload.kind));
    assert(handler != nullptr && "an event kind without a handler");
    ++handled_;
    handler->handle(entry.payload, *this);
  }
  return now_;
}

}  // namespace lyncupdate::sim
