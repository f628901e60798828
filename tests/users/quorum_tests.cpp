// The pool-level quorum table of DOMAIN.md section 3, every row, and the "first N" rule.
#include <array>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lyncupdate/model/quorum.hpp"

using lyncupdate::model::pool_has_quorum;
using lyncupdate::model::pool_quorum_rule;
using lyncupdate::model::QuorumRule;

namespace {

// A pool of `size` front ends of which the first `running` run (topology order).
bool first_running(std::size_t size, std::size_t running) {
  std::array<bool, 12> flags{};
  for (std::size_t i = 0; i < running; ++i) flags[i] = true;
  return pool_has_quorum(size, std::span<const bool>(flags.data(), size));
}

// A pool of `size` front ends of which the last `running` run.
bool last_running(std::size_t size, std::size_t running) {
  std::array<bool, 12> flags{};
  for (std::size_t i = size - running; i < size; ++i) flags[i] = true;
  return pool_has_quorum(size, std::span<const bool>(flags.data(), size));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(quorum)

BOOST_AUTO_TEST_CASE(every_row_of_the_table) {
  // front ends -> (must run, among the first)
  const std::vector<std::pair<std::size_t, QuorumRule>> table{
      {1, {1, 1}}, {2, {1, 2}}, {3, {2, 3}}, {4, {2, 4}},  {5, {3, 5}},  {6, {3, 6}},
      {7, {4, 7}}, {8, {4, 7}}, {9, {4, 7}}, {10, {5, 9}}, {11, {5, 9}}, {12, {5, 9}}};
  for (const auto& [size, rule] : table) {
    BOOST_TEST_CONTEXT(size << " front ends") {
      BOOST_TEST((pool_quorum_rule(size) == rule));
      // Exactly the required number among the first: quorum; one fewer: none.
      BOOST_TEST(first_running(size, rule.must_run));
      BOOST_TEST(!first_running(size, rule.must_run - 1));
      BOOST_TEST(first_running(size, size));
    }
  }
}

BOOST_AUTO_TEST_CASE(any_servers_count_in_pools_of_up_to_seven) {
  for (std::size_t size = 2; size <= 7; ++size) {
    BOOST_TEST_CONTEXT(size << " front ends") {
      const std::size_t need = pool_quorum_rule(size).must_run;
      BOOST_TEST(last_running(size, need));
      BOOST_TEST(!last_running(size, need - 1));
    }
  }
  // Any 2 of 4: the second and the fourth.
  const std::array<bool, 4> alternate{false, true, false, true};
  BOOST_TEST(pool_has_quorum(4, alternate));
}

BOOST_AUTO_TEST_CASE(eight_to_twelve_count_only_the_first_seven_or_nine) {
  // 8 front ends, the last four running: 4 running, but only one of them among the first 7.
  BOOST_TEST(!last_running(8, 4));  // fe5..fe8: 3 among the first 7
  BOOST_TEST(last_running(8, 5));   // fe4..fe8: 4 among the first 7
  // 9: fe6..fe9 run: 2 among the first 7.
  BOOST_TEST(!last_running(9, 4));
  BOOST_TEST(!last_running(9, 5));  // fe5..fe9: 3 among the first 7
  BOOST_TEST(last_running(9, 6));   // fe4..fe9: 4 among the first 7
  // 12: fe8..fe12 run: 2 among the first 9; fe4..fe12: 6 among the first 9.
  BOOST_TEST(!last_running(12, 5));
  BOOST_TEST(!last_running(12, 6));  // fe7..fe12: 3 among the first 9
  BOOST_TEST(!last_running(12, 7));  // fe6..fe12: 4 among the first 9
  BOOST_TEST(last_running(12, 8));   // fe5..fe12: 5 among the first 9
  // 10 and 11: the first five running is enough, the four after the ninth never count.
  BOOST_TEST(first_running(10, 5));
  BOOST_TEST(first_running(11, 5));
  BOOST_TEST(!last_running(10, 5));  // fe6..fe10: 4 among the first 9
  BOOST_TEST(last_running(10, 6));   // fe5..fe10: 5 among the first 9
}

BOOST_AUTO_TEST_CASE(a_short_span_counts_missing_servers_as_stopped) {
  const std::array<bool, 2> two{true, true};
  BOOST_TEST(!pool_has_quorum(5, two));  // 5 front ends need 3
  BOOST_TEST(pool_has_quorum(4, two));
  BOOST_TEST(!pool_has_quorum(0, two));
}

BOOST_AUTO_TEST_SUITE_END()
