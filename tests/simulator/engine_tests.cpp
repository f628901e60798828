#include <vector>

#include <boost/test/unit_test.hpp>

#include "lyncupdate/simulator/engine.hpp"
#include "lyncupdate/simulator/random.hpp"

using namespace lyncupdate;
using namespace lyncupdate::sim;
using std::chrono::milliseconds;

namespace {

// Records the order and time in which events arrive, and schedules follow-ups on request.
struct Recorder final : EventHandler {
  std::vector<std::pair<std::int64_t, std::uint16_t>> seen;
  void handle(const Event& event, Engine& engine) override {
    seen.emplace_back(engine.now().time_since_epoch().count(), event.server);
    if (event.attempt > 0) {  // a follow-up at the same instant, after those already queued
      Event next = event;
      next.attempt = 0;
      next.server = static_cast<std::uint16_t>(event.server + 100);
      engine.schedule(engine.now(), next);
    }
  }
};

Event event_for(std::uint16_t id, std::uint16_t follow_up = 0) {
  Event e;
  e.server = id;
  e.attempt = follow_up;
  return e;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(engine)

BOOST_AUTO_TEST_CASE(events_run_in_time_order_and_ties_in_scheduling_order) {
  SimulatedTime time;
  Engine engine(time);
  Recorder recorder;
  engine.on(EventKind::step_finished, recorder);
  engine.schedule(TimePoint{milliseconds(30)}, event_for(1));
  engine.schedule(TimePoint{milliseconds(10)}, event_for(2, 1));  // schedules 102 at 10
  engine.schedule(TimePoint{milliseconds(10)}, event_for(3));
  engine.schedule(TimePoint{milliseconds(20)}, event_for(4));
  const TimePoint end = engine.run();
  const std::vector<std::pair<std::int64_t, std::uint16_t>> expected{
      {10, 2}, {10, 3}, {10, 102}, {20, 4}, {30, 1}};
  BOOST_TEST(recorder.seen == expected);
  BOOST_TEST(end.time_since_epoch().count() == 30);
  BOOST_TEST(engine.handled() == 5u);
}

BOOST_AUTO_TEST_CASE(an_empty_engine_ends_at_time_zero) {
  SimulatedTime time;
  Engine engine(time);
  BOOST_TEST(engine.run().time_since_epoch().count() == 0);
}

BOOST_AUTO_TEST_CASE(run_generators_are_reproducible_and_distinct) {
  RunRandom a(7, 0), b(7, 0), c(7, 1), d(8, 0);
  std::vector<std::uint64_t> xa, xb, xc, xd;
  for (int i = 0; i < 8; ++i) {
    xa.push_back(a.next());
    xb.push_back(b.next());
    xc.push_back(c.next());
    xd.push_back(d.next());
  }
  BOOST_TEST(xa == xb);
  BOOST_TEST(xa != xc);
  BOOST_TEST(xa != xd);
}

BOOST_AUTO_TEST_CASE(uniform_numbers_stay_in_range) {
  RunRandom random(1, 0);
  for (int i = 0; i < 100000; ++i) {
    const double u = random.uniform();
    const double o = random.open_uniform();
    BOOST_REQUIRE(u >= 0.0);
    BOOST_REQUIRE(u < 1.0);
    BOOST_REQUIRE(o > 0.0);
    BOOST_REQUIRE(o < 1.0);
  }
}

BOOST_AUTO_TEST_SUITE_END()
