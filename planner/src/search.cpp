#include "lyncupdate/planner/search.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <functional>
#include <limits>
#include <numeric>
#include <queue>
#include <tuple>

#include <fmt/format.h>

namespace lyncupdate::planner {
namespace {

std::uint64_t bit(std::size_t i) { return std::uint64_t{1} << i; }

std::size_t lowest(std::uint64_t set) { return static_cast<std::size_t>(std::countr_zero(set)); }

Duration total(const std::vector<Duration>& steps) {
  return std::accumulate(steps.begin(), steps.end(), Duration::zero());
}

// Kahn's algorithm: at each point the ready item with the smallest `key` comes next. Returns
// fewer items than there are when the precedences have a cycle.
template <typename Key>
std::vector<std::size_t> topological_order(
    std::size_t n, const std::vector<std::pair<std::size_t, std::size_t>>& edges, Key key) {
  std::vector<std::size_t> waiting(n, 0);
  std::vector<std::vector<std::size_t>> after(n);
  for (const auto& [before, later] : edges) {
    after[before].push_back(later);
    ++waiting[later];
  }
  const auto later_first = [&](std::size_t a, std::size_t b) { return key(b) < key(a); };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later_first)> ready(
      later_first);
  for (std::size_t i = 0; i < n; ++i) {
    if (waiting[i] == 0) ready.push(i);
  }
  std::vector<std::size_t> order;
  while (!ready.empty()) {
    const std::size_t i = ready.top();
    ready.pop();
    order.push_back(i);
    for (const std::size_t j : after[i]) {
      if (--waiting[j] == 0) ready.push(j);
    }
  }
  return order;
}

// The rank of a candidate in the order of ranks_before, without its stages' contents.
using Rank = std::tuple<Duration, Duration, std::size_t, std::size_t>;

Rank rank(const Candidate& c) { return {c.p95, c.p50, c.stages.size(), c.max_stage_servers}; }

}  // namespace

bool ranks_before(const Candidate& a, const Candidate& b) {
  if (rank(a) != rank(b)) return rank(a) < rank(b);
  return a.stages < b.stages;
}

std::vector<std::string> structural_problems(const SearchProblem& problem,
                                             std::span<const std::string> names) {
  std::vector<std::string> problems;
  const std::size_t n = problem.items.size();
  assert(names.size() == n);
  if (n > max_search_items) {
    problems.push_back(
        fmt::format("{} work items, more than the {} the planner handles", n, max_search_items));
    return problems;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t servers = problem.items[i].servers.size();
    if (servers == 0) problems.push_back(fmt::format("{} has no server", names[i]));
    if (problem.max_servers_per_stage && servers > *problem.max_servers_per_stage) {
      problems.push_back(
          fmt::format("{} has {} servers, more than the {} a stage may hold "
                      "(limits.max_servers_down)",
                      names[i], servers, *problem.max_servers_per_stage));
    }
  }
  for (const auto& [a, b] : problem.conflicts) {
    if (a == b) problems.push_back(fmt::format("{} conflicts with itself", names[a]));
  }
  const auto order = topological_order(n, problem.precedences, std::identity{});
  if (order.size() < n) {
    std::vector<bool> done(n, false);
    for (const std::size_t i : order) done[i] = true;
    std::string stuck;
    for (std::size_t i = 0; i < n; ++i) {
      if (!done[i]) stuck += fmt::format("{}{}", stuck.empty() ? "" : ", ", names[i]);
    }
    problems.push_back(fmt::format("the precedences form a cycle through {}", stuck));
  }
  return problems;
}

PlanSearch::PlanSearch(SearchProblem problem) : problem_(std::move(problem)) {
  const std::size_t n = problem_.items.size();
  assert(structural_problems(problem_, std::vector<std::string>(n)).empty());
  chain95_.assign(n, Duration::zero());
  chain50_.assign(n, Duration::zero());
  work95_.assign(n, Duration::zero());
  work50_.assign(n, Duration::zero());
  servers_.assign(n, 0);
  predecessors_.assign(n, 0);
  successors_.assign(n, 0);
  conflicts_.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (const StepChain& server : problem_.items[i].servers) {
      chain95_[i] = std::max(chain95_[i], total(server.p95));
      chain50_[i] = std::max(chain50_[i], total(server.p50));
      work95_[i] += total(server.p95);
      work50_[i] += total(server.p50);
    }
    servers_[i] = problem_.items[i].servers.size();
  }
  for (const auto& [before, after] : problem_.precedences) {
    predecessors_[after] |= bit(before);
    successors_[before] |= bit(after);
  }
  for (const auto& [a, b] : problem_.conflicts) {
    conflicts_[a] |= bit(b);
    conflicts_[b] |= bit(a);
  }
  // Predecessors first (so that a new stage never needs an edge out of it); among the ready
  // items the longest first, so that the bound grows early and cuts more.
  order_ = topological_order(n, problem_.precedences, [&](std::size_t i) {
    return std::pair{-chain95_[i], i};
  });

  // Bounds that hold for every complete plan, whatever its stages:
  //  - items on a chain of precedences are in different stages, one after another;
  //  - the operators do at most `operators` steps at once;
  //  - with at most K servers (so at most K items) per stage, the i-th longest stage is at
  //    least as long as the (i x K + 1)-th longest item.
  const auto bound = [&](const std::vector<Duration>& chain, const std::vector<Duration>& work) {
    std::vector<Duration> path(n, Duration::zero());
    Duration longest = Duration::zero();
    for (const std::size_t i : topological_order(n, problem_.precedences, std::identity{})) {
      path[i] += chain[i];
      longest = std::max(longest, path[i]);
      for (std::size_t j = 0; j < n; ++j) {
        if ((successors_[i] & bit(j)) != 0) path[j] = std::max(path[j], path[i]);
      }
    }
    if (problem_.operators > 0) {
      const Duration all = std::accumulate(work.begin(), work.end(), Duration::zero());
      longest = std::max(longest, all / static_cast<Duration::rep>(problem_.operators));
    }
    if (problem_.max_servers_per_stage && *problem_.max_servers_per_stage > 0) {
      std::vector<Duration> sorted = chain;
      std::ranges::sort(sorted, std::greater<>{});
      Duration stages = Duration::zero();
      for (std::size_t i = 0; i < n; i += *problem_.max_servers_per_stage) stages += sorted[i];
      longest = std::max(longest, stages);
    }
    return longest;
  };
  bound_ = {bound(chain95_, work95_), bound(chain50_, work50_)};
}

void PlanSearch::order_stage(std::vector<std::size_t>& items) const {
  std::ranges::sort(items, [&](std::size_t a, std::size_t b) {
    return std::pair{-chain95_[a], a} < std::pair{-chain95_[b], b};
  });
}

PlanSearch::StageFigures PlanSearch::stage(std::uint64_t items) {
  if (const auto it = memo_.find(items); it != memo_.end()) return it->second;
  std::vector<std::size_t> members;
  for (std::uint64_t rest = items; rest != 0; rest &= rest - 1) members.push_back(lowest(rest));
  order_stage(members);
  std::vector<std::span<const Duration>> chains95;
  std::vector<std::span<const Duration>> chains50;
  for (const std::size_t i : members) {
    for (const StepChain& server : problem_.items[i].servers) {
      chains95.emplace_back(server.p95);
      chains50.emplace_back(server.p50);
    }
  }
  const StageFigures figures{stage_makespan(chains95, problem_.operators),
                             stage_makespan(chains50, problem_.operators)};
  memo_.emplace(items, figures);
  return figures;
}

Candidate PlanSearch::candidate(std::vector<std::vector<std::size_t>> stages) {
  Candidate c;
  for (std::vector<std::size_t>& items : stages) {
    order_stage(items);
    std::uint64_t set = 0;
    std::size_t servers = 0;
    for (const std::size_t i : items) {
      set |= bit(i);
      servers += servers_[i];
    }
    const StageFigures figures = stage(set);
    c.p95 += figures.p95;
    c.p50 += figures.p50;
    c.max_stage_servers = std::max(c.max_stage_servers, servers);
  }
  c.stages = std::move(stages);
  return c;
}

std::vector<std::size_t> sequential_order(
    std::size_t items, const std::vector<std::pair<std::size_t, std::size_t>>& precedences) {
  return topological_order(items, precedences, std::identity{});
}

std::vector<std::vector<std::size_t>> PlanSearch::sequential() const {
  std::vector<std::vector<std::size_t>> stages;
  for (const std::size_t i : sequential_order(problem_.items.size(), problem_.precedences)) {
    stages.push_back({i});
  }
  return stages;
}

/// The depth-first branch and bound behind PlanSearch::best.
class BranchAndBound {
 public:
  BranchAndBound(PlanSearch& search, std::size_t count, const Candidate* after,
                 const SearchBudget& budget)
      : s_(search),
        count_(count),
        after_(after),
        budget_(budget),
        block_of_(search.problem_.items.size(), no_block) {
    for (const Duration work : search.work95_) s95_.left += work;
    for (const Duration work : search.work50_) s50_.left += work;
  }

  SearchRound run() {
    if (count_ > 0) visit(0);
    SearchRound round;
    round.candidates = std::move(kept_);
    round.nodes = nodes_;
    round.exhausted = stop_reason_.empty();
    round.stop_reason = stop_reason_;
    return round;
  }

 private:
  static constexpr std::size_t no_block = max_search_items;

  // A stage being filled, with what the bound needs to know about it.
  struct Block {
    std::uint64_t items = 0;
    std::size_t servers = 0;
    Duration chain95{}, chain50{}, work95{}, work50{};
  };

  // What the estimate of this block's stage is at least, whatever else joins it.
  std::pair<Duration, Duration> floor(const Block& b) const {
    if (s_.problem_.operators == 0) return {b.chain95, b.chain50};
    const auto operators = static_cast<Duration::rep>(s_.problem_.operators);
    return {std::max(b.chain95, b.work95 / operators), std::max(b.chain50, b.work50 / operators)};
  }

  Block joined(Block b, std::size_t i) const {
    b.items |= bit(i);
    b.servers += s_.servers_[i];
    b.chain95 = std::max(b.chain95, s_.chain95_[i]);
    b.chain50 = std::max(b.chain50, s_.chain50_[i]);
    b.work95 += s_.work95_[i];
    b.work50 += s_.work50_[i];
    return b;
  }

  // Blocks reachable from `from` along the stage graph's edges.
  std::uint64_t reachable(std::size_t from) const {
    std::uint64_t seen = 0;
    std::uint64_t frontier = adjacent_[from];
    while (frontier != 0) {
      const std::size_t b = lowest(frontier);
      frontier &= frontier - 1;
      if ((seen & bit(b)) != 0) continue;
      seen |= bit(b);
      frontier |= adjacent_[b] & ~seen;
    }
    return seen;
  }

  bool out_of_budget() {
    if (!stop_reason_.empty()) return true;
    if (nodes_ >= budget_.max_nodes) {
      stop_reason_ = "node budget";
    } else if (budget_.deadline && nodes_ % 1024 == 0 &&
               std::chrono::steady_clock::now() >= *budget_.deadline) {
      stop_reason_ = "time limit";
    }
    return !stop_reason_.empty();
  }

  // What the bound knows about an assignment, at one percentile: the sum of the blocks'
  // floors, the work they could still take without raising a floor (operators x floor - work),
  // and the work of the items not assigned yet.
  struct Sums {
    Duration floors{}, slack{}, left{};
  };

  // Below the estimate of every completion: the floors, plus the unassigned work that the
  // blocks' slack cannot take, spread over the operators (it raises some floor or makes a new
  // block), and never below the bounds that hold for every plan.
  Duration lower_bound(const Sums& sums, Duration everywhere) const {
    Duration bound = sums.floors;
    if (s_.problem_.operators > 0 && sums.left > sums.slack) {
      bound += (sums.left - sums.slack) / static_cast<Duration::rep>(s_.problem_.operators);
    }
    return std::max(bound, everywhere);
  }

  // `sums` once item i joins `current` (empty: a new block), which becomes `next`.
  Sums after_join(Sums sums, const Block& current, const Block& next, Duration work,
                  bool p95) const {
    const auto operators = static_cast<Duration::rep>(s_.problem_.operators);
    const auto floor_of = [&](const Block& b) { return p95 ? floor(b).first : floor(b).second; };
    const auto work_of = [&](const Block& b) { return p95 ? b.work95 : b.work50; };
    const auto slack_of = [&](const Block& b) {
      if (operators == 0 || b.items == 0) return Duration::zero();
      // The floor's division rounds down, which may leave it a few milliseconds short of the
      // work: no slack then.
      return std::max(Duration::zero(), floor_of(b) * operators - work_of(b));
    };
    sums.floors += floor_of(next) - (current.items == 0 ? Duration::zero() : floor_of(current));
    sums.slack += slack_of(next) - slack_of(current);
    sums.left -= work;
    return sums;
  }

  // Whether every completion of an assignment ranks after the worst candidate kept.
  bool cut(const Sums& s95, const Sums& s50, std::size_t stages, std::size_t servers) const {
    if (kept_.size() < count_) return false;
    const Rank lower{lower_bound(s95, s_.bound_.p95), lower_bound(s50, s_.bound_.p50), stages,
                     servers};
    return rank(kept_.back()) < lower;
  }

  void visit(std::size_t depth) {
    if (out_of_budget()) return;
    ++nodes_;
    if (depth == s_.order_.size()) {
      complete();
      return;
    }
    const std::size_t i = s_.order_[depth];
    // Stages of the item's predecessors (all assigned: items come in topological order).
    std::uint64_t before = 0;
    for (std::uint64_t p = s_.predecessors_[i]; p != 0; p &= p - 1) {
      before |= bit(block_of_[lowest(p)]);
    }
    struct Child {
      Sums s95, s50;
      std::size_t block;
    };
    std::vector<Child> children;
    const std::size_t cap =
        s_.problem_.max_servers_per_stage.value_or(std::numeric_limits<std::size_t>::max());
    for (std::size_t b = 0; b <= blocks_.size() && b < no_block; ++b) {
      const bool fresh = b == blocks_.size();
      const Block current = fresh ? Block{} : blocks_[b];
      if (!fresh) {
        if (current.servers + s_.servers_[i] > cap) continue;
        if ((current.items & (s_.conflicts_[i] | s_.predecessors_[i] | s_.successors_[i])) != 0) {
          continue;
        }
        // Joining b adds edges from every predecessor's stage to b: a cycle if b already
        // leads to one of them.
        if ((reachable(b) & before) != 0) continue;
      }
      const Block next = joined(current, i);
      children.push_back({after_join(s95_, current, next, s_.work95_[i], true),
                          after_join(s50_, current, next, s_.work50_[i], false), b});
    }
    std::ranges::sort(children, {}, [](const Child& c) {
      return std::tuple{c.s95.floors, c.s50.floors, c.block};
    });
    for (const Child& child : children) {
      const bool fresh = child.block == blocks_.size();
      std::size_t servers = s_.servers_[i] + (fresh ? 0 : blocks_[child.block].servers);
      for (const Block& b : blocks_) servers = std::max(servers, b.servers);
      if (cut(child.s95, child.s50, blocks_.size() + (fresh ? 1 : 0), servers)) continue;
      const Block saved = fresh ? Block{} : blocks_[child.block];
      const auto sums = std::pair{s95_, s50_};
      assign(i, child.block);
      s95_ = child.s95;
      s50_ = child.s50;
      visit(depth + 1);
      s95_ = sums.first;
      s50_ = sums.second;
      unassign(i, child.block, saved);
      if (!stop_reason_.empty()) return;
    }
  }

  void assign(std::size_t i, std::size_t b) {
    if (b == blocks_.size()) {
      blocks_.push_back({});
      adjacent_[b] = 0;
    }
    blocks_[b] = joined(blocks_[b], i);
    block_of_[i] = b;
    for (std::uint64_t p = s_.predecessors_[i]; p != 0; p &= p - 1) {
      const std::size_t from = block_of_[lowest(p)];
      if (edges_[from][b]++ == 0) adjacent_[from] |= bit(b);
    }
  }

  // Undoes assign(i, b); `saved` is the block as it was (empty if assign created it, which
  // makes it the last block: the search undoes in reverse order).
  void unassign(std::size_t i, std::size_t b, const Block& saved) {
    for (std::uint64_t p = s_.predecessors_[i]; p != 0; p &= p - 1) {
      const std::size_t from = block_of_[lowest(p)];
      if (--edges_[from][b] == 0) adjacent_[from] &= ~bit(b);
    }
    block_of_[i] = no_block;
    if (saved.items == 0) {
      assert(b + 1 == blocks_.size());
      blocks_.pop_back();
    } else {
      blocks_[b] = saved;
    }
  }

  // A complete assignment: the stages in topological order of the stage graph, the stage
  // holding the smallest item first among those ready, then its estimate.
  void complete() {
    std::vector<std::pair<std::size_t, std::size_t>> edges;
    for (std::size_t from = 0; from < blocks_.size(); ++from) {
      for (std::uint64_t to = adjacent_[from]; to != 0; to &= to - 1) {
        edges.emplace_back(from, lowest(to));
      }
    }
    std::vector<std::vector<std::size_t>> stages;
    for (const std::size_t b : topological_order(
             blocks_.size(), edges, [&](std::size_t x) { return lowest(blocks_[x].items); })) {
      std::vector<std::size_t> items;
      for (std::uint64_t rest = blocks_[b].items; rest != 0; rest &= rest - 1) {
        items.push_back(lowest(rest));
      }
      stages.push_back(std::move(items));
    }
    Candidate c = s_.candidate(std::move(stages));
    if (after_ != nullptr && !ranks_before(*after_, c)) return;
    if (kept_.size() == count_ && !ranks_before(c, kept_.back())) return;
    kept_.insert(std::ranges::upper_bound(kept_, c, ranks_before), std::move(c));
    if (kept_.size() > count_) kept_.pop_back();
  }

  PlanSearch& s_;
  std::size_t count_;
  const Candidate* after_;
  SearchBudget budget_;
  std::vector<std::size_t> block_of_;
  std::vector<Block> blocks_;
  std::array<std::uint64_t, max_search_items> adjacent_{};
  std::array<std::array<std::uint16_t, max_search_items>, max_search_items> edges_{};
  Sums s95_, s50_;
  std::uint64_t nodes_ = 0;
  std::string stop_reason_;
  std::vector<Candidate> kept_;
};

SearchRound PlanSearch::best(std::size_t count, const Candidate* after,
                             const SearchBudget& budget) {
  return BranchAndBound(*this, count, after, budget).run();
}

}  // namespace lyncupdate::planner
