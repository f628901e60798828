#include <algorithm>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lyncupdate/simulator/sampling.hpp"

using namespace lyncupdate;
using namespace lyncupdate::sim;
using model::Distribution;
using std::chrono::minutes;

namespace {

Distribution lognormal(int median_min, int p95_min) {
  Distribution d;
  d.kind = Distribution::Kind::lognormal;
  d.median = minutes(median_min);
  d.p95 = minutes(p95_min);
  return d;
}

Distribution triangular(int low, int mode, int high) {
  Distribution d;
  d.kind = Distribution::Kind::triangular;
  d.low = minutes(low);
  d.mode = minutes(mode);
  d.high = minutes(high);
  return d;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sampling)

BOOST_AUTO_TEST_CASE(normal_quantile_matches_known_values) {
  BOOST_TEST(normal_quantile(0.5) == 0.0, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(normal_quantile(0.95) == 1.6448536269514722, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(normal_quantile(0.025) == -1.959963984540054, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(normal_quantile(1e-9) == -5.997807015007686, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(lognormal_quantiles_are_the_given_median_and_p95) {
  const Distribution d = lognormal(12, 25);
  BOOST_TEST(duration_quantile(d, 0.5).count() == 720'000);
  BOOST_TEST(duration_quantile(d, 0.95).count() == 1'500'000);
}

BOOST_AUTO_TEST_CASE(a_capped_lognormal_never_exceeds_its_cap) {
  Distribution d = lognormal(12, 25);
  d.cap = minutes(30);
  BOOST_TEST(duration_quantile(d, 0.5).count() == 720'000);
  BOOST_TEST(duration_quantile(d, 0.999).count() == 1'800'000);
}

BOOST_AUTO_TEST_CASE(triangular_quantiles) {
  const Distribution d = triangular(1, 2, 5);
  BOOST_TEST(duration_quantile(d, 0.25).count() == 120'000);  // the mode's cumulative share
  BOOST_TEST(duration_quantile(d, 1e-12).count() == 60'000);
  BOOST_TEST(duration_quantile(d, 1 - 1e-12).count() == 300'000);
}

BOOST_AUTO_TEST_CASE(the_cdf_of_a_lognormal_is_one_half_at_the_median_and_95_percent_at_p95) {
  const Distribution d = lognormal(12, 25);
  BOOST_TEST(duration_cdf(d, minutes(12)) == 0.5, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(duration_cdf(d, minutes(25)) == 0.95, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(duration_cdf(d, Duration(0)) == 0.0);
  // The inverse of the quantile function, up to the millisecond the draws are rounded to.
  for (const double p : {0.01, 0.2, 0.5, 0.8, 0.99}) {
    BOOST_TEST(duration_cdf(d, duration_quantile(d, p)) == p, boost::test_tools::tolerance(1e-5));
  }
}

BOOST_AUTO_TEST_CASE(a_capped_lognormal_has_all_its_draws_by_the_cap) {
  Distribution d = lognormal(12, 25);
  d.cap = minutes(30);
  BOOST_TEST(duration_cdf(d, minutes(30) - Duration(1)) < 1.0);
  BOOST_TEST(duration_cdf(d, minutes(30)) == 1.0);
  BOOST_TEST(duration_cdf(d, minutes(90)) == 1.0);
}

BOOST_AUTO_TEST_CASE(the_cdf_of_triangular_uniform_and_fixed_durations) {
  const Distribution t = triangular(1, 2, 5);
  BOOST_TEST(duration_cdf(t, minutes(1)) == 0.0);
  BOOST_TEST(duration_cdf(t, minutes(2)) == 0.25, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(duration_cdf(t, minutes(4)) == 1.0 - 1.0 / 12, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(duration_cdf(t, minutes(5)) == 1.0);
  BOOST_TEST(duration_cdf(t, minutes(9)) == 1.0);

  Distribution u;
  u.kind = Distribution::Kind::uniform;
  u.low = minutes(10);
  u.high = minutes(20);
  BOOST_TEST(duration_cdf(u, minutes(5)) == 0.0);
  BOOST_TEST(duration_cdf(u, minutes(15)) == 0.5, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(duration_cdf(u, minutes(25)) == 1.0);

  Distribution f;
  f.kind = Distribution::Kind::fixed;
  f.low = minutes(3);
  BOOST_TEST(duration_cdf(f, minutes(3) - Duration(1)) == 0.0);
  BOOST_TEST(duration_cdf(f, minutes(3)) == 1.0);
}

BOOST_AUTO_TEST_CASE(samples_stay_within_the_support_and_match_the_median) {
  RunRandom random(3, 0);
  const Distribution tri = triangular(1, 2, 5);
  std::vector<std::int64_t> draws;
  for (int i = 0; i < 20001; ++i) {
    const Duration d = sample_duration(tri, random);
    BOOST_REQUIRE(d >= minutes(1));
    BOOST_REQUIRE(d <= minutes(5));
    draws.push_back(sample_duration(lognormal(10, 20), random).count());
  }
  std::ranges::nth_element(draws, draws.begin() + 10000);
  // The sample median of 20,001 lognormal draws lies within 2% of the true median.
  BOOST_TEST(std::abs(draws[10000] - 600'000) < 12'000);
}

BOOST_AUTO_TEST_CASE(fixed_durations_consume_no_randomness) {
  RunRandom a(5, 0), b(5, 0);
  Distribution fixed;
  fixed.low = minutes(2);
  BOOST_TEST(sample_duration(fixed, a).count() == 120'000);
  BOOST_TEST(a.next() == b.next());
}

BOOST_AUTO_TEST_SUITE_END()
