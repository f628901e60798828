/// \file
/// Behaviour of the pending-event set: time order, FIFO among equal times, agreement with a
/// reference ordered container over long random runs, and the bookkeeping calls.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <random>
#include <utility>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lyncupdate/model/time.hpp"
#include "lyncupdate/simulator/event_queue.hpp"

namespace {

using lyncupdate::Duration;
using lyncupdate::TimePoint;

/// A stand-in for an engine event: a unique id, so every popped entry can be told apart.
struct TestEvent {
  std::uint32_t id = 0;
};

using Queue = lyncupdate::sim::EventQueue<TestEvent>;

TimePoint at_ms(std::int64_t ms) { return TimePoint{Duration{ms}}; }

std::int64_t ms_of(TimePoint t) { return t.time_since_epoch().count(); }

/// Pops every entry, earliest first.
std::vector<Queue::Entry> drain(Queue& queue) {
  std::vector<Queue::Entry> out;
  out.reserve(queue.size());
  while (!queue.empty()) out.push_back(queue.pop());
  return out;
}

std::vector<std::uint32_t> ids_of(const std::vector<Queue::Entry>& entries) {
  std::vector<std::uint32_t> ids;
  ids.reserve(entries.size());
  for (const auto& e : entries) ids.push_back(e.payload.id);
  return ids;
}

std::vector<std::int64_t> times_of(const std::vector<Queue::Entry>& entries) {
  std::vector<std::int64_t> times;
  times.reserve(entries.size());
  for (const auto& e : entries) times.push_back(ms_of(e.key.time));
  return times;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(event_queue)

BOOST_AUTO_TEST_CASE(pops_in_time_order) {
  std::mt19937_64 rng{20130101};
  std::uniform_int_distribution<std::int64_t> time_ms{0, std::int64_t{4} * 60 * 60 * 1000};
  std::vector<std::int64_t> pushed;
  Queue queue;
  for (std::uint32_t id = 0; id < 10'000; ++id) {
    pushed.push_back(time_ms(rng));
    queue.push(at_ms(pushed.back()), TestEvent{id});
  }

  const auto popped = drain(queue);

  std::ranges::sort(pushed);
  BOOST_TEST(times_of(popped) == pushed, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(pops_equal_times_in_push_order) {
  // 1,000 events spread over 10 distinct instants, pushed in random order of time: within
  // each instant they must come out in the order they were pushed.
  constexpr std::array<std::int64_t, 10> instants_ms{90'000, 0,      45'000, 600'000,   1,
                                                     30'000, 59'999, 60'000, 7'200'000, 15'000};
  std::mt19937_64 rng{42};
  std::uniform_int_distribution<std::size_t> pick{0, instants_ms.size() - 1};
  Queue queue;
  std::map<std::int64_t, std::vector<std::uint32_t>> pushed_at;
  for (std::uint32_t id = 0; id < 1'000; ++id) {
    const std::int64_t t = instants_ms[pick(rng)];
    queue.push(at_ms(t), TestEvent{id});
    pushed_at[t].push_back(id);
  }
  BOOST_TEST_REQUIRE(pushed_at.size() == instants_ms.size());

  const auto popped = drain(queue);

  // std::map iterates instants in increasing order: the expected output is each instant's
  // ids in push order, instant after instant.
  std::vector<std::uint32_t> expected_ids;
  std::vector<std::int64_t> expected_times;
  for (const auto& [t, ids] : pushed_at) {
    expected_ids.insert(expected_ids.end(), ids.begin(), ids.end());
    expected_times.insert(expected_times.end(), ids.size(), t);
  }
  BOOST_TEST(times_of(popped) == expected_times, boost::test_tools::per_element());
  BOOST_TEST(ids_of(popped) == expected_ids, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(matches_a_reference_over_interleaved_pushes_and_pops) {
  // The reference orders by (time, push count), which is the queue's documented contract.
  // A narrow time range makes ties common, so FIFO order is exercised throughout.
  using Reference = std::multimap<std::pair<std::int64_t, std::uint64_t>, std::uint32_t>;
  Reference reference;
  Queue queue;
  std::mt19937_64 rng{7};
  std::uniform_int_distribution<int> percent{0, 99};
  std::uniform_int_distribution<std::int64_t> delay_ms{0, 50};
  std::int64_t now_ms = 0;  // time of the last pop: events are scheduled at or after it
  std::uint64_t pushes = 0;
  std::uint32_t next_id = 0;
  std::size_t pops = 0;

  for (int op = 0; op < 100'000; ++op) {
    BOOST_TEST_INFO("operation " << op);
    // Slightly more pushes than pops, so the queue grows into the thousands while also
    // running empty at the start.
    if (reference.empty() || percent(rng) < 52) {
      const std::int64_t t = now_ms + delay_ms(rng);
      queue.push(at_ms(t), TestEvent{next_id});
      reference.emplace(std::pair{t, pushes++}, next_id++);
    } else {
      const auto expected = reference.begin();
      BOOST_TEST_REQUIRE(ms_of(queue.top().key.time) == expected->first.first);
      BOOST_TEST_REQUIRE(queue.top().payload.id == expected->second);
      const Queue::Entry got = queue.pop();
      BOOST_TEST_REQUIRE(ms_of(got.key.time) == expected->first.first);
      BOOST_TEST_REQUIRE(got.payload.id == expected->second);
      now_ms = expected->first.first;
      reference.erase(expected);
      ++pops;
    }
    BOOST_TEST_REQUIRE(queue.size() == reference.size());
    BOOST_TEST_REQUIRE(queue.empty() == reference.empty());
  }
  BOOST_TEST(pops > 40'000U);  // the run really interleaved

  const auto rest = drain(queue);
  std::vector<std::uint32_t> expected_rest;
  for (const auto& [key, id] : reference) expected_rest.push_back(id);
  BOOST_TEST(ids_of(rest) == expected_rest, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(reports_size_and_empty_and_clears) {
  Queue queue;
  BOOST_TEST(queue.empty());
  BOOST_TEST(queue.size() == 0U);

  queue.reserve(100);
  BOOST_TEST(queue.empty());

  queue.push(at_ms(300), TestEvent{1});
  queue.push(at_ms(100), TestEvent{2});
  queue.push(at_ms(200), TestEvent{3});
  BOOST_TEST(!queue.empty());
  BOOST_TEST(queue.size() == 3U);

  // top looks without removing.
  BOOST_TEST(queue.top().payload.id == 2U);
  BOOST_TEST(ms_of(queue.top().key.time) == 100);
  BOOST_TEST(queue.size() == 3U);

  BOOST_TEST(queue.pop().payload.id == 2U);
  BOOST_TEST(queue.size() == 2U);

  queue.clear();
  BOOST_TEST(queue.empty());
  BOOST_TEST(queue.size() == 0U);

  // A cleared queue is usable again.
  queue.push(at_ms(50), TestEvent{4});
  BOOST_TEST(queue.size() == 1U);
  BOOST_TEST(queue.pop().payload.id == 4U);
  BOOST_TEST(queue.empty());
}

BOOST_AUTO_TEST_CASE(clear_keeps_sequence_numbers_increasing) {
  Queue queue;
  queue.push(at_ms(5), TestEvent{1});
  queue.push(at_ms(5), TestEvent{2});
  queue.push(at_ms(1), TestEvent{3});
  std::uint64_t highest_before_clear = 0;
  for (const auto& e : drain(queue)) {
    highest_before_clear = std::max(highest_before_clear, e.key.sequence);
  }
  queue.push(at_ms(9), TestEvent{4});
  queue.clear();

  queue.push(at_ms(5), TestEvent{5});
  queue.push(at_ms(5), TestEvent{6});
  const auto popped = drain(queue);

  BOOST_TEST_REQUIRE(popped.size() == 2U);
  BOOST_TEST(popped[0].payload.id == 5U);
  BOOST_TEST(popped[1].payload.id == 6U);
  // The event pushed just before clear used a number too: the next ones are beyond it.
  BOOST_TEST(popped[0].key.sequence > highest_before_clear + 1);
  BOOST_TEST(popped[1].key.sequence > popped[0].key.sequence);
}

BOOST_AUTO_TEST_SUITE_END()
