/// \file
/// The hold model on the pending-event set: the engine's inner loop is "pop the earliest
/// event, schedule a follow-up a random delay later", with the queue's size held constant.
///
/// Both benchmarks use the same 24-byte entry, the same (time, sequence) order, the same
/// initial times and the same increments, so they perform identical operation sequences:
/// the only difference is the heap (the engine's 4-ary heap vs std::priority_queue's binary
/// heap). One iteration is one hold (one pop plus one push); items_per_second counts holds.

#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <queue>
#include <random>
#include <type_traits>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>

#include "lyncupdate/model/time.hpp"
#include "lyncupdate/simulator/event_queue.hpp"

namespace {

using lyncupdate::Duration;
using lyncupdate::TimePoint;

/// An 8-byte stand-in for an engine event (e.g. an index into a table of step states).
struct Payload {
  std::uint64_t id = 0;
};
static_assert(sizeof(Payload) == 8 && std::is_trivially_copyable_v<Payload>);

using EventQueue = lyncupdate::sim::EventQueue<Payload>;
using Entry = EventQueue::Entry;
static_assert(sizeof(Entry) == 24, "time (8) + sequence (8) + payload (8)");

/// std::priority_queue is a max-heap: this comparison puts the earliest (time, sequence) on top.
struct Later {
  bool operator()(const Entry& a, const Entry& b) const { return b.key < a.key; }
};

/// A binary-heap event queue with the same interface and order as the engine's.
class PriorityQueue {
 public:
  explicit PriorityQueue(std::size_t capacity) {
    std::vector<Entry> storage;
    storage.reserve(capacity);
    heap_ = decltype(heap_)(Later{}, std::move(storage));
  }
  void push(TimePoint time, const Payload& payload) {
    heap_.push(Entry{lyncupdate::sim::EventKey{time, next_sequence_++}, payload});
  }
  Entry pop() {
    Entry first = heap_.top();
    heap_.pop();
    return first;
  }

 private:
  std::priority_queue<Entry, std::vector<Entry>, Later> heap_;
  std::uint64_t next_sequence_ = 0;
};

constexpr std::uint64_t seed = 0x4c796e6332303133;  // fixed: every run does the same work
constexpr double mean_increment_ms = 1000.0;
constexpr std::size_t increment_table_size = std::size_t{1} << 16;  // a power of two

/// Exponential delays with mean 1000 ms, rounded to whole milliseconds.
std::vector<Duration> make_increments(std::mt19937_64& rng, std::size_t n) {
  std::exponential_distribution<double> exponential{1.0 / mean_increment_ms};
  std::vector<Duration> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.emplace_back(std::llround(exponential(rng)));
  return out;
}

/// Pops the earliest event and schedules a follow-up `increment` after it.
template <typename Queue>
inline void hold(Queue& queue, Duration increment) {
  const Entry earliest = queue.pop();
  queue.push(earliest.key.time + increment, earliest.payload);
}

/// Fills `queue` with `state.range(0)` events, lets it reach its steady state, then times holds.
template <typename Queue>
void run_hold(benchmark::State& state, Queue& queue) {
  const auto pending = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng{seed};
  const std::vector<Duration> increments = make_increments(rng, increment_table_size);
  for (const Duration initial : make_increments(rng, pending)) {
    queue.push(TimePoint{initial}, Payload{0});
  }
  std::size_t next = 0;
  // The hold model's time distribution drifts away from the initial one: one hold per
  // pending event before timing, as is usual for this model.
  for (std::size_t i = 0; i < pending; ++i) {
    hold(queue, increments[next++ & (increment_table_size - 1)]);
  }

  for (auto _ : state) {
    hold(queue, increments[next++ & (increment_table_size - 1)]);
  }
  benchmark::DoNotOptimize(queue.pop());
  state.SetItemsProcessed(state.iterations());
}

void BM_EventQueueHold(benchmark::State& state) {
  EventQueue queue;
  queue.reserve(static_cast<std::size_t>(state.range(0)));
  run_hold(state, queue);
}

void BM_PriorityQueueHold(benchmark::State& state) {
  PriorityQueue queue{static_cast<std::size_t>(state.range(0))};
  run_hold(state, queue);
}

// 1k pending events fit in L1, 64k (1.5 MiB) in L2/L3, 1M (24 MiB) spills to memory.
BENCHMARK(BM_EventQueueHold)->Arg(1 << 10)->Arg(1 << 14)->Arg(1 << 16)->Arg(1 << 20);
BENCHMARK(BM_PriorityQueueHold)->Arg(1 << 10)->Arg(1 << 14)->Arg(1 << 16)->Arg(1 << 20);

}  // namespace
