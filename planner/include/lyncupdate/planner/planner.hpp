#pragma once
/// \file
/// The planner: the fastest plan of a scenario that verification proves and whose Monte Carlo
/// risk of reaching the outage limit is below a ceiling.
///
/// 1. The work items and constraints come from the scenario (work_items.hpp).
/// 2. Any item that alone breaks an invariant in worst-case time makes every plan fail: that
///    is checked first, item by item.
/// 3. The search (search.hpp) proposes candidates in ascending order of the estimate, a few at
///    a time; each is verified (worst case, unbounded tails capped) and, once proved, run
///    through the Monte Carlo, until one passes. When a round is used up, the next round looks
///    for the candidates that rank after the last one confirmed.
/// 3a. Before the search, each item's Monte Carlo risk alone gives the risk floor; a floor at
///    or above the ceiling makes every plan fail.
/// 4. The naive sequential plan (every item in a stage of its own) is confirmed the same way,
///    for comparison.
///
/// The result depends only on the scenario and the options, not on the Monte Carlo threads;
/// only the time limit can make it depend on the machine.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "lyncupdate/model/resolve.hpp"
#include "lyncupdate/model/scenario.hpp"
#include "lyncupdate/planner/evaluate.hpp"
#include "lyncupdate/planner/search.hpp"
#include "lyncupdate/planner/work_items.hpp"

namespace lyncupdate::planner {

/// What the planner is asked to do.
struct PlanOptions {
  ConfirmOptions confirm;
  /// Stop searching and confirming after this much wall time; zero: no time bound.
  std::chrono::milliseconds time_limit{std::chrono::seconds(60)};
  std::uint64_t max_nodes = 2'000'000;   ///< search-tree nodes, over every round
  std::size_t candidates_per_round = 8;  ///< candidates one search round proposes
  std::size_t max_confirmations = 32;    ///< candidates confirmed at most
};

/// How much of the search the planner covered.
struct Coverage {
  std::size_t items = 0;
  /// The search ran; false when a work item alone already makes every plan fail.
  bool searched = false;
  std::uint64_t nodes = 0;  ///< search-tree nodes, over every round
  std::size_t rounds = 0;
  /// Every plan that ranks before the chosen one (every plan, when none was chosen) was
  /// proposed and confirmed or cut by the bound: the search space was covered.
  bool exhausted = false;
  /// When not exhausted: "node budget", "time limit" or "confirmation limit".
  std::string stop_reason;
  std::size_t proposed = 0;   ///< candidates the search proposed
  std::size_t confirmed = 0;  ///< candidates verified (and simulated when proved)
  friend bool operator==(const Coverage&, const Coverage&) = default;
};

/// What the planner found.
struct PlanResult {
  std::vector<WorkItem> items;
  Constraints constraints;
  std::optional<Evaluation> chosen;      ///< the plan found; nothing: no feasible plan
  std::optional<Evaluation> sequential;  ///< the naive plan; nothing when none is possible
  std::vector<Evaluation> rejected;      ///< candidates confirmed and rejected, in order
  /// No chosen plan: why, one lower-case sentence each.
  std::vector<std::string> infeasible;
  /// The share of runs in which some server reaches the outage limit when each is updated
  /// alone, 1 - prod(1 - r_i): no plan can be expected below it. Zero until measured (after
  /// the worst-case check of the items alone).
  double risk_floor = 0.0;
  Coverage coverage;
  friend bool operator==(const PlanResult&, const PlanResult&) = default;
};

/// The plan of `scenario` with `stages`: its operators kept, no schedule.
model::Plan plan_with_stages(const model::Scenario& scenario, const Stages& stages);

/// The naive sequential plan of `scenario`'s topology: every work item (work_items.hpp) in a
/// stage of its own, in topology order except where a precedence needs an item earlier (a
/// mirror before its principal; a pool's upgrade domains in order). What `plan` compares its
/// plan with, and what `import` writes. No search, no simulation: any number of items.
Stages sequential_stages(const model::Scenario& scenario);

/// The estimate of how long `scenario`'s own plan takes: every step at its 95th percentile,
/// the stages one after another, each worked by the plan's operators (estimate.hpp). Error:
/// the plan does not resolve.
std::expected<Duration, std::vector<model::ModelError>> plan_estimate_p95(
    const model::Scenario& scenario);

/// Plans `scenario`. Errors: a work item's server that the model cannot resolve (a step
/// without a command or timing for its role).
std::expected<PlanResult, std::vector<model::ModelError>> plan_scenario(
    const model::Scenario& scenario, const PlanOptions& options);

}  // namespace lyncupdate::planner
