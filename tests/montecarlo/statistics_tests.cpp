#include <vector>

#include <boost/test/unit_test.hpp>

#include "lyncupdate/montecarlo/statistics.hpp"
#include "lyncupdate/montecarlo/summary.hpp"

using namespace lyncupdate::mc;

BOOST_AUTO_TEST_SUITE(statistics)

BOOST_AUTO_TEST_CASE(nearest_rank_picks_the_sample_at_rank_ceil_p_n) {
  // The classic example: 15, 20, 35, 40, 50.
  const std::vector<std::int64_t> five{15, 20, 35, 40, 50};
  BOOST_TEST(nearest_rank_percentile(five, 5) == 15);   // rank ceil(0.25) = 1
  BOOST_TEST(nearest_rank_percentile(five, 30) == 20);  // rank ceil(1.5) = 2
  BOOST_TEST(nearest_rank_percentile(five, 40) == 20);  // rank 2 exactly
  BOOST_TEST(nearest_rank_percentile(five, 50) == 35);  // rank ceil(2.5) = 3
  BOOST_TEST(nearest_rank_percentile(five, 100) == 50);
  std::vector<std::int64_t> hundred;
  for (std::int64_t i = 1; i <= 100; ++i) hundred.push_back(i * 1000);
  BOOST_TEST(nearest_rank_percentile(hundred, 50) == 50'000);
  BOOST_TEST(nearest_rank_percentile(hundred, 90) == 90'000);
  BOOST_TEST(nearest_rank_percentile(hundred, 95) == 95'000);
  BOOST_TEST(nearest_rank_percentile(hundred, 99) == 99'000);
  const std::vector<std::int64_t> one{7};
  BOOST_TEST(nearest_rank_percentile(one, 50) == 7);
  BOOST_TEST(nearest_rank_percentile(one, 99) == 7);
}

BOOST_AUTO_TEST_CASE(percentiles_of_unsorted_samples) {
  const Percentiles p = percentiles_of({9, 1, 8, 2, 7, 3, 6, 4, 5, 10});
  BOOST_TEST(p.p50 == 5);
  BOOST_TEST(p.p90 == 9);
  BOOST_TEST(p.p95 == 10);
  BOOST_TEST(p.p99 == 10);
  BOOST_TEST(p.max == 10);
}

BOOST_AUTO_TEST_CASE(wilson_interval_matches_known_values) {
  const auto tol = boost::test_tools::tolerance(1e-12);
  const Interval none = wilson_interval(0, 10);
  BOOST_TEST(none.low == 0.0);
  BOOST_TEST(none.high == 0.2775327998628892, tol);
  const Interval half = wilson_interval(5, 10);
  BOOST_TEST(half.low == 0.236593090512564, tol);
  BOOST_TEST(half.high == 0.7634069094874361, tol);
  const Interval rare = wilson_interval(12, 1000);
  BOOST_TEST(rare.low == 0.006877647806403522, tol);
  BOOST_TEST(rare.high == 0.02085726847549828, tol);
  const Interval all = wilson_interval(10, 10);
  BOOST_TEST(all.low == 0.7224672001371107, tol);
  BOOST_TEST(all.high == 1.0, tol);
}

BOOST_AUTO_TEST_SUITE_END()
