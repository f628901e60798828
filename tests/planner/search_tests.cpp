// The search core on hand-made problems: every partition once, in rank order, under the
// constraints, within its budget; the estimate of a stage as the operators work it.

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lyncupdate/planner/estimate.hpp"
#include "lyncupdate/planner/search.hpp"

using namespace lyncupdate;
using namespace std::chrono_literals;
using planner::Candidate;
using planner::SearchProblem;
using Stages = std::vector<std::vector<std::size_t>>;

namespace {

// An item of one server whose steps take `minutes` each.
planner::SearchItem item(std::vector<int> minutes) {
  planner::StepChain chain;
  for (const int m : minutes) {
    chain.p95.push_back(std::chrono::minutes(m));
    chain.p50.push_back(std::chrono::minutes(m));
  }
  return {{chain}};
}

// Items of one one-step server each, taking `minutes`.
SearchProblem independent(std::vector<int> minutes) {
  SearchProblem problem;
  for (const int m : minutes) problem.items.push_back(item({m}));
  return problem;
}

std::vector<Candidate> every_candidate(SearchProblem problem) {
  planner::PlanSearch search(std::move(problem));
  const planner::SearchRound round = search.best(1000, nullptr, {});
  BOOST_TEST(round.exhausted);
  BOOST_TEST(round.stop_reason.empty());
  return round.candidates;
}

// A partition as a set of sets, to tell partitions apart whatever their order.
std::set<std::set<std::size_t>> partition(const Candidate& c) {
  std::set<std::set<std::size_t>> out;
  for (const auto& stage : c.stages) out.emplace(stage.begin(), stage.end());
  return out;
}

std::size_t stage_of(const Candidate& c, std::size_t item) {
  for (std::size_t s = 0; s < c.stages.size(); ++s) {
    if (std::ranges::find(c.stages[s], item) != c.stages[s].end()) return s;
  }
  return c.stages.size();
}

std::vector<std::string> names(std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back("item" + std::to_string(i));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(search)

BOOST_AUTO_TEST_CASE(every_partition_of_four_items_is_proposed_once_best_first) {
  const auto candidates = every_candidate(independent({4, 3, 2, 1}));
  // Bell(4): the partitions of four items.
  BOOST_TEST(candidates.size() == 15u);
  std::set<std::set<std::set<std::size_t>>> seen;
  for (const Candidate& c : candidates) seen.insert(partition(c));
  BOOST_TEST(seen.size() == 15u);
  BOOST_TEST(std::ranges::is_sorted(candidates, planner::ranks_before));
  // Everything at once: the longest item alone decides.
  BOOST_TEST((candidates.front().stages == (Stages{{0, 1, 2, 3}})));
  BOOST_TEST(candidates.front().p95 == 4min);
  BOOST_TEST(candidates.front().max_stage_servers == 4u);
  // One stage per item, the worst: 4 + 3 + 2 + 1.
  BOOST_TEST(candidates.back().p95 == 10min);
}

BOOST_AUTO_TEST_CASE(a_precedence_keeps_two_items_apart_and_in_order) {
  SearchProblem problem = independent({4, 3, 2, 1});
  problem.precedences = {{1, 0}};
  const auto candidates = every_candidate(problem);
  // Bell(4) less the Bell(3) partitions with items 0 and 1 together.
  BOOST_TEST(candidates.size() == 10u);
  for (const Candidate& c : candidates) BOOST_TEST(stage_of(c, 1) < stage_of(c, 0));
  // Item 1 first with 2 and 3 (3 minutes), then item 0 (4 minutes): the best of 7 minutes
  // comes with the fewest servers in the largest stage.
  BOOST_TEST(candidates.front().p95 == 7min);
  BOOST_TEST((candidates.front().stages == (Stages{{1, 2}, {0, 3}})));
}

BOOST_AUTO_TEST_CASE(conflicting_items_never_share_a_stage) {
  SearchProblem problem = independent({4, 3, 2, 1});
  problem.conflicts = {{2, 3}};
  const auto candidates = every_candidate(problem);
  BOOST_TEST(candidates.size() == 10u);
  for (const Candidate& c : candidates) BOOST_TEST(stage_of(c, 2) != stage_of(c, 3));
  BOOST_TEST((candidates.front().stages == (Stages{{0, 1, 2}, {3}})));
  BOOST_TEST(candidates.front().p95 == 5min);
}

BOOST_AUTO_TEST_CASE(a_stage_holds_at_most_the_servers_allowed_down) {
  SearchProblem problem = independent({4, 3, 2, 1});
  problem.max_servers_per_stage = 2;
  const auto candidates = every_candidate(problem);
  // All apart (1), one pair (6), two pairs (3).
  BOOST_TEST(candidates.size() == 10u);
  for (const Candidate& c : candidates) {
    for (const auto& stage : c.stages) BOOST_TEST(stage.size() <= 2u);
  }
  // The two longest together, then the two shortest: 4 + 2.
  BOOST_TEST((candidates.front().stages == (Stages{{0, 1}, {2, 3}})));
  BOOST_TEST(candidates.front().p95 == 6min);
}

BOOST_AUTO_TEST_CASE(operators_make_a_stage_as_long_as_their_work) {
  SearchProblem problem = independent({4, 3, 2, 1});
  problem.operators = 1;
  const auto candidates = every_candidate(problem);
  // One operator does all the work whatever the stages: 10 minutes; the fewest stages win.
  for (const Candidate& c : candidates) BOOST_TEST(c.p95 == 10min);
  BOOST_TEST((candidates.front().stages == (Stages{{0, 1, 2, 3}})));
}

BOOST_AUTO_TEST_CASE(the_bound_never_cuts_one_of_the_best_candidates) {
  // Small problems of every kind, each searched twice: for its best three candidates (the
  // bound cuts) and for all of them (nothing to cut, more wanted than there are plans).
  std::uint32_t seed = 12345;
  const auto next = [&](std::uint32_t below) {
    seed = seed * 1'103'515'245u + 12'345u;
    return static_cast<int>((seed >> 16) % below);
  };
  for (int trial = 0; trial < 40; ++trial) {
    SearchProblem problem;
    const int items = 3 + next(4);
    for (int i = 0; i < items; ++i) {
      std::vector<int> steps;
      for (int k = 0, n = 1 + next(3); k < n; ++k) steps.push_back(1 + next(9));
      planner::SearchItem it = item(steps);
      if (next(4) == 0) it.servers.push_back(it.servers.front());
      problem.items.push_back(std::move(it));
    }
    if (next(2) == 0) problem.operators = 1 + static_cast<std::size_t>(next(3));
    if (next(2) == 0) problem.max_servers_per_stage = 2 + static_cast<std::size_t>(next(3));
    if (next(2) == 0) problem.precedences = {{0, 1}};
    if (next(2) == 0) problem.conflicts = {{1, 2}};
    if (!planner::structural_problems(problem, names(problem.items.size())).empty()) continue;
    BOOST_TEST_CONTEXT("trial " << trial) {
      const auto all = every_candidate(problem);
      planner::PlanSearch search(problem);
      const planner::SearchRound best = search.best(3, nullptr, {});
      BOOST_TEST(best.exhausted);
      const std::vector<Candidate> top(all.begin(),
                                       all.begin() + std::min<std::ptrdiff_t>(3, std::ssize(all)));
      BOOST_TEST((best.candidates == top));
    }
  }
}

BOOST_AUTO_TEST_CASE(rounds_continue_after_the_last_candidate_returned) {
  const auto all = every_candidate(independent({4, 3, 2, 1}));
  planner::PlanSearch search(independent({4, 3, 2, 1}));
  std::vector<Candidate> paged;
  const Candidate* after = nullptr;
  for (int round = 0; round < 10; ++round) {
    const planner::SearchRound r = search.best(4, after, {});
    BOOST_TEST(r.exhausted);
    if (r.candidates.empty()) break;
    paged.insert(paged.end(), r.candidates.begin(), r.candidates.end());
    after = &paged.back();
  }
  BOOST_TEST(paged == all);
}

BOOST_AUTO_TEST_CASE(the_bound_cuts_most_of_the_space_when_few_candidates_are_wanted) {
  planner::PlanSearch search(independent({8, 7, 6, 5, 4, 3, 2, 1}));
  const planner::SearchRound one = search.best(1, nullptr, {});
  BOOST_TEST(one.exhausted);
  BOOST_TEST(one.candidates.size() == 1u);
  BOOST_TEST(one.candidates.front().stages.size() == 1u);
  // Bell(8) = 4,140 partitions; the search needs a few of them.
  BOOST_TEST(one.nodes < 100u);
}

BOOST_AUTO_TEST_CASE(a_node_budget_stops_a_large_search_with_what_it_found) {
  std::vector<int> minutes;
  for (int m = 1; m <= 30; ++m) minutes.push_back(m);
  SearchProblem problem = independent(minutes);
  problem.max_servers_per_stage = 4;
  problem.precedences = {{0, 29}, {1, 28}};
  planner::PlanSearch search(problem);
  const planner::SearchRound round =
      search.best(8, nullptr, {.max_nodes = 5'000, .deadline = std::nullopt});
  BOOST_TEST(!round.exhausted);
  BOOST_TEST(round.stop_reason == "node budget");
  BOOST_TEST(round.nodes == 5'000u);
  BOOST_TEST(!round.candidates.empty());
  const auto past = std::chrono::steady_clock::now() - 1s;
  const planner::SearchRound late = search.best(8, nullptr, {.deadline = past});
  BOOST_TEST(!late.exhausted);
  BOOST_TEST(late.stop_reason == "time limit");
}

BOOST_AUTO_TEST_CASE(the_sequential_plan_takes_items_in_index_order_unless_a_precedence_objects) {
  SearchProblem problem = independent({1, 1, 1});
  problem.precedences = {{2, 0}};
  planner::PlanSearch search(problem);
  BOOST_TEST((search.sequential() == (Stages{{1}, {2}, {0}})));
  const Candidate c = search.candidate(search.sequential());
  BOOST_TEST(c.p95 == 3min);
  BOOST_TEST(c.max_stage_servers == 1u);
}

BOOST_AUTO_TEST_CASE(problems_that_no_plan_can_solve_are_named) {
  SearchProblem problem = independent({1, 1, 1});
  problem.items[1].servers.push_back(problem.items[1].servers.front());
  problem.max_servers_per_stage = 1;
  problem.precedences = {{0, 2}, {2, 0}};
  problem.conflicts = {{1, 1}};
  const auto problems = planner::structural_problems(problem, names(3));
  BOOST_TEST(problems ==
             (std::vector<std::string>{"item1 has 2 servers, more than the 1 a stage may hold "
                                       "(limits.max_servers_down)",
                                       "item1 conflicts with itself",
                                       "the precedences form a cycle through item0, item2"}));
  BOOST_TEST(planner::structural_problems(independent({1, 2}), names(2)).empty());
}

BOOST_AUTO_TEST_CASE(operators_take_the_waiting_server_that_comes_first_in_the_plan) {
  using D = std::vector<Duration>;
  const D a{2min, 2min};
  const D b{3min};
  const D c{3min};
  const auto makespan = [](std::vector<std::span<const Duration>> chains, std::size_t operators) {
    return planner::stage_makespan(chains, operators);
  };
  // Two operators: a and b start; at 2 a's second step goes before c (a comes first); c starts
  // at 3 when b ends and ends at 6.
  BOOST_TEST((makespan({a, b, c}, 2) == 6min));
  // b and c first: a waits until 3 and ends at 7.
  BOOST_TEST((makespan({b, c, a}, 2) == 7min));
  BOOST_TEST((makespan({a, b, c}, 1) == 10min));
  BOOST_TEST((makespan({a, b, c}, 0) == 4min));
  BOOST_TEST((makespan({a, b, c}, 3) == 4min));
  BOOST_TEST((makespan({}, 2) == 0min));
}

BOOST_AUTO_TEST_SUITE_END()
