#pragma once
/// \file
/// The search core: ordered partitions of work items into stages that respect precedences,
/// conflicts, a cap on servers per stage and the operators, ranked by the cheap estimate
/// (estimate.hpp). A depth-first branch and bound assigns the items one at a time, in a
/// topological order of the precedences, each to an existing stage or a new one (a new stage
/// always gets the next number, so every partition is built once); the stages of a complete
/// assignment then run in a topological order of the stage graph, smallest item first. A
/// partial assignment is cut when a lower bound of every completion's rank is already worse
/// than the candidates kept. No JSON and no scenario here: items are step durations.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "lyncupdate/model/time.hpp"
#include "lyncupdate/planner/estimate.hpp"

namespace lyncupdate::planner {

/// At most this many work items (a stage is a 64-bit set of items).
inline constexpr std::size_t max_search_items = 64;

/// A work item as the search sees it: its servers' steps, servers in the order they go into a
/// stage.
struct SearchItem {
  std::vector<StepChain> servers;  ///< at least one
};

/// What the search partitions, and under which constraints (indices into `items`).
struct SearchProblem {
  std::vector<SearchItem> items;
  std::vector<std::pair<std::size_t, std::size_t>> precedences;  ///< (before, after)
  std::vector<std::pair<std::size_t, std::size_t>> conflicts;    ///< never in one stage
  std::optional<std::size_t> max_servers_per_stage;              ///< nothing: no cap
  std::size_t operators = 0;                                     ///< 0: one per server
};

/// Why no plan can satisfy `problem` whatever the search does: too many items, an item without
/// servers or with more than a stage may hold, an item in conflict with itself, a cycle of
/// precedences. Lower-case sentences naming items by `names` (one per item); empty when the
/// problem is feasible.
std::vector<std::string> structural_problems(const SearchProblem& problem,
                                             std::span<const std::string> names);

/// A plan the search proposes, with its estimate.
struct Candidate {
  /// Item indices per stage, stages in the order they run; in a stage, items by descending
  /// 95th-percentile chain (the longest first, which keeps a stage short when operators are
  /// few), ties by index.
  std::vector<std::vector<std::size_t>> stages;
  Duration p95{};  ///< the sum of the stages' makespans with every step at its P95
  Duration p50{};  ///< the same with every step at its median
  std::size_t max_stage_servers = 0;  ///< servers in the largest stage
  friend bool operator==(const Candidate&, const Candidate&) = default;
};

/// The search's order of candidates, best first: shorter P95 estimate, then shorter median
/// estimate, then fewer stages, then fewer servers in the largest stage (fewer down at once),
/// then the stages' item indices compared lexicographically. A total order: two different
/// candidates never tie.
bool ranks_before(const Candidate& a, const Candidate& b);

/// The order of the naive sequential plan: the `items` indices in index order except where a
/// precedence (before, after) needs an item earlier (the smallest index whose predecessors are
/// done). Fewer indices than items when the precedences have a cycle. O((n + e) log n).
std::vector<std::size_t> sequential_order(
    std::size_t items, const std::vector<std::pair<std::size_t, std::size_t>>& precedences);

/// Bounds on one search.
struct SearchBudget {
  std::uint64_t max_nodes = 1'000'000;  ///< assignments tried (search-tree nodes)
  /// Stop when this time has passed; nothing: no time bound. Only this bound makes the
  /// result depend on the machine.
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

/// What one search returned.
struct SearchRound {
  std::vector<Candidate> candidates;  ///< ascending by ranks_before
  std::uint64_t nodes = 0;            ///< search-tree nodes visited
  /// The search covered the whole space (every assignment visited or cut by the bound), so
  /// `candidates` are exactly the best ones; false: a budget stopped it first.
  bool exhausted = false;
  std::string stop_reason;  ///< when not exhausted: "node budget" or "time limit"
};

/// The search over one problem; it keeps the estimates of stages it has seen.
class PlanSearch {
 public:
  /// `problem` must have no structural_problems.
  explicit PlanSearch(SearchProblem problem);

  /// The best `count` candidates (ascending) among those that rank after `after` (all when
  /// null), within `budget`.
  SearchRound best(std::size_t count, const Candidate* after, const SearchBudget& budget);

  /// The candidate of the given stages (items in a stage reordered as Candidate says).
  Candidate candidate(std::vector<std::vector<std::size_t>> stages);

  /// The naive sequential plan: every item in a stage of its own, in index order except where
  /// a precedence needs an item earlier (the smallest index whose predecessors are done).
  std::vector<std::vector<std::size_t>> sequential() const;

  const SearchProblem& problem() const { return problem_; }

 private:
  friend class BranchAndBound;
  struct StageFigures {
    Duration p95{};
    Duration p50{};
  };
  StageFigures stage(std::uint64_t items);
  void order_stage(std::vector<std::size_t>& items) const;

  SearchProblem problem_;
  std::vector<Duration> chain95_;  // per item: its longest server chain at P95
  std::vector<Duration> chain50_;
  std::vector<Duration> work95_;  // per item: the sum of its servers' chains at P95
  std::vector<Duration> work50_;
  std::vector<std::size_t> servers_;         // per item
  std::vector<std::uint64_t> predecessors_;  // per item: items that must come earlier
  std::vector<std::uint64_t> successors_;    // per item: items that must come later
  std::vector<std::uint64_t> conflicts_;     // per item: items never in its stage
  std::vector<std::size_t> order_;           // the order in which items are assigned
  StageFigures bound_{};                     // below the estimate of every complete plan
  std::unordered_map<std::uint64_t, StageFigures> memo_;  // by the stage's set of items
};

}  // namespace lyncupdate::planner
