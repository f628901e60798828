#pragma once
/// \file
/// The pending-event set of the discrete-event engine.
///
/// Entries are ordered by (time, insertion sequence): two events due at the same instant come
/// out in the order they were pushed, so a run never depends on heap layout. The queue is an
/// implicit 4-ary min-heap over a contiguous vector of small trivially copyable entries:
/// push and pop are O(log n) with half the depth of a binary heap and cache-friendly sibling
/// scans; top is O(1). There is no cancel: a cancelled event is marked stale by its owner
/// and ignored when popped.

#include <cassert>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "lyncupdate/model/time.hpp"

namespace lyncupdate::sim {

/// The key that orders events: due time, then insertion sequence.
struct EventKey {
  TimePoint time{};
  std::uint64_t sequence = 0;

  friend constexpr bool operator<(const EventKey& a, const EventKey& b) {
    return a.time != b.time ? a.time < b.time : a.sequence < b.sequence;
  }
};

/// A min-queue of `Payload`s keyed by time with FIFO ties. `Payload` must be trivially
/// copyable, so that an entry is a few machine words and moving it is a copy.
template <typename Payload>
class EventQueue {
  static_assert(std::is_trivially_copyable_v<Payload>, "event payloads must be trivially copyable");

 public:
  /// One queued event.
  struct Entry {
    EventKey key;
    Payload payload;
  };

  /// Reserves room for `n` pending events.
  void reserve(std::size_t n) { heap_.reserve(n); }

  /// Schedules `payload` at `time`, after every event already scheduled at `time`.
  void push(TimePoint time, const Payload& payload) {
    heap_.push_back(Entry{EventKey{time, next_sequence_++}, payload});
    sift_up(heap_.size() - 1);
  }

  /// The earliest event. Requires !empty().
  const Entry& top() const {
    assert(!heap_.empty());
    return heap_.front();
  }

  /// Removes and returns the earliest event. Requires !empty().
  Entry pop() {
    assert(!heap_.empty());
    Entry first = heap_.front();
    Entry last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(last);
    return first;
  }

  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }

  /// Removes every event; the sequence counter keeps counting so FIFO order stays total.
  void clear() { heap_.clear(); }

 private:
  static constexpr std::size_t arity = 4;

  void sift_up(std::size_t i) {
    Entry moving = heap_[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / arity;
      if (!(moving.key < heap_[parent].key)) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = moving;
  }

  // Places `moving` (the former last entry) starting from the root.
  void sift_down(const Entry& moving) {
    const std::size_t n = heap_.size();
    std::size_t i = 0;
    for (;;) {
      const std::size_t first_child = i * arity + 1;
      if (first_child >= n) break;
      const std::size_t end = first_child + arity < n ? first_child + arity : n;
      std::size_t best = first_child;
      for (std::size_t c = first_child + 1; c < end; ++c) {
        if (heap_[c].key < heap_[best].key) best = c;
      }
      if (!(heap_[best].key < moving.key)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = moving;
  }

  std::vector<Entry> heap_;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace lyncupdate::sim
