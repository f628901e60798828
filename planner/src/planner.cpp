#include "lyncupdate/planner/planner.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "lyncupdate/planner/estimate.hpp"

namespace lyncupdate::planner {
namespace {

using Clock = std::chrono::steady_clock;
using Deadline = std::optional<Clock::time_point>;

bool past(const Deadline& deadline) { return deadline && Clock::now() >= *deadline; }

using Chains = std::map<std::string, StepChain, std::less<>>;

// Every work item's server resolved once, in one stage, for its step durations; into
// `can_go_down`, the servers whose runbook makes them unavailable at some point.
std::expected<Chains, std::vector<model::ModelError>> step_chains(
    const model::Scenario& scenario, const std::vector<WorkItem>& items,
    std::set<std::string, std::less<>>& can_go_down) {
  model::Scenario copy = scenario;
  copy.plan.stages = {{}};
  copy.plan.schedule.clear();
  for (const WorkItem& item : items) {
    copy.plan.stages[0].insert(copy.plan.stages[0].end(), item.servers.begin(), item.servers.end());
  }
  const auto plan = model::resolve_plan(copy);
  if (!plan) return std::unexpected(plan.error());
  Chains chains;
  const auto unavailable = [](const model::Condition& c) {
    return c.variable == model::StateVariable::backend && c.value == model::values::unavailable;
  };
  for (const model::ResolvedServer& server : plan->servers) {
    chains.emplace(server.target.fqdn, step_chain(server));
    if (std::ranges::any_of(server.steps, [&](const model::ResolvedStep& step) {
          return std::ranges::any_of(step.on_start, unavailable) ||
                 std::ranges::any_of(step.on_finish, unavailable);
        })) {
      can_go_down.insert(server.target.fqdn);
    }
  }
  return chains;
}

SearchProblem search_problem(const std::vector<WorkItem>& items, const Constraints& constraints,
                             const Chains& chains) {
  SearchProblem problem;
  for (const WorkItem& item : items) {
    SearchItem searched;
    for (const std::string& fqdn : item.servers) searched.servers.push_back(chains.at(fqdn));
    problem.items.push_back(std::move(searched));
  }
  for (const Precedence& p : constraints.precedences) {
    problem.precedences.emplace_back(p.before, p.after);
  }
  for (const Conflict& c : constraints.conflicts) problem.conflicts.emplace_back(c.first, c.second);
  problem.max_servers_per_stage = constraints.max_servers_per_stage;
  problem.operators = constraints.operators;
  return problem;
}

Stages fqdn_stages(const std::vector<WorkItem>& items, const Candidate& candidate) {
  Stages stages;
  for (const auto& stage : candidate.stages) {
    std::vector<std::string> servers;
    for (const std::size_t i : stage) {
      servers.insert(servers.end(), items[i].servers.begin(), items[i].servers.end());
    }
    stages.push_back(std::move(servers));
  }
  return stages;
}

// The risk floor. An order of the servers can lengthen an outage (a server left waiting for
// an operator) but never shorten one, and the servers' durations are independent: a plan
// reaches the limit about as often as the servers would each alone, F = 1 - prod(1 - r_i),
// or more. Each r_i is measured on a seed of its own (identical items on one seed would
// repeat each other's draws). Items whose servers never become unavailable (upgrade domains)
// have no risk of their own; past the deadline the floor keeps the items measured, a lower
// floor.
struct RiskFloor {
  double risk = 0.0;                ///< F
  double low = 0.0;                 ///< the low end of F's 99% interval
  std::vector<std::string> shares;  ///< "item r_i%" for every item with some risk
};

RiskFloor risk_floor(const Confirmer& confirmer, const std::vector<WorkItem>& items,
                     const std::set<std::string, std::less<>>& can_go_down,
                     const ConfirmOptions& options, const Deadline& deadline) {
  RiskFloor floor;
  std::vector<double> risks;
  for (std::size_t i = 0; i < items.size() && !past(deadline); ++i) {
    if (std::ranges::none_of(items[i].servers,
                             [&](const std::string& fqdn) { return can_go_down.contains(fqdn); })) {
      continue;
    }
    const mc::BatchResult alone = confirmer.batch({items[i].servers}, options.seed + 1 + i);
    risks.push_back(static_cast<double>(alone.runs_reaching_limit) /
                    static_cast<double>(options.runs));
    if (alone.runs_reaching_limit > 0) {
      floor.shares.push_back(fmt::format("{} {:.2f}%", items[i].name, 100.0 * risks.back()));
    }
  }
  double none_reach = 1.0;
  for (const double r : risks) none_reach *= 1.0 - r;
  floor.risk = 1.0 - none_reach;
  // Var F ~ sum_i (prod_{j != i} (1 - r_j))^2 r_i (1 - r_i) / runs (the delta method).
  double variance = 0.0;
  for (std::size_t i = 0; i < risks.size(); ++i) {
    double others = 1.0;
    for (std::size_t j = 0; j < risks.size(); ++j) others *= j == i ? 1.0 : 1.0 - risks[j];
    variance += others * others * risks[i] * (1.0 - risks[i]) / static_cast<double>(options.runs);
  }
  floor.low = floor.risk - 2.576 * std::sqrt(variance);
  return floor;
}

}  // namespace

model::Plan plan_with_stages(const model::Scenario& scenario, const Stages& stages) {
  model::Plan plan;
  plan.stages = stages;
  plan.operators = scenario.plan.operators;
  return plan;
}

std::expected<PlanResult, std::vector<model::ModelError>> plan_scenario(
    const model::Scenario& scenario, const PlanOptions& options) {
  const Deadline deadline = options.time_limit > std::chrono::milliseconds(0)
                                ? Deadline(Clock::now() + options.time_limit)
                                : std::nullopt;
  PlanResult result;
  result.items = work_items(scenario);
  result.constraints = constraints(scenario, result.items);
  result.coverage.items = result.items.size();
  if (result.items.empty()) {
    result.infeasible.push_back("the topology has no server to update");
    return result;
  }

  std::set<std::string, std::less<>> can_go_down;
  const auto chains = step_chains(scenario, result.items, can_go_down);
  if (!chains) return std::unexpected(chains.error());
  SearchProblem problem = search_problem(result.items, result.constraints, *chains);
  std::vector<std::string> names;
  for (const WorkItem& item : result.items) names.push_back(item.name);
  result.infeasible = structural_problems(problem, names);
  if (!result.infeasible.empty()) return result;

  const Confirmer confirmer(scenario, options.confirm);
  PlanSearch search(std::move(problem));
  const auto confirm = [&](const Candidate& candidate, bool always_simulate) {
    return confirmer.evaluate(candidate, fqdn_stages(result.items, candidate), deadline,
                              always_simulate);
  };
  // The baseline is measured whatever its verification says: the comparison needs its window.
  result.sequential = confirm(search.candidate(search.sequential()), true);

  // An item that alone breaks an invariant in worst-case time breaks it in every plan: in any
  // stage, the operators can work its servers exactly as they would alone. Alone, but after
  // the items every plan puts before it, each in a stage of its own: a principal fails over
  // only to a mirror updated in an earlier stage (failover-to-unupdated-mirror).
  for (std::size_t i = 0; i < result.items.size(); ++i) {
    Stages stages;
    for (const Precedence& p : result.constraints.precedences) {
      if (p.after == i) stages.push_back(result.items[p.before].servers);
    }
    stages.push_back(result.items[i].servers);
    const check::VerifyResult alone = confirmer.verify(stages, deadline);
    if (alone.status == check::VerifyStatus::violated && alone.violation) {
      result.infeasible.push_back(fmt::format(
          "{} alone, in worst-case time (unbounded steps capped at {} x their P95): {}: {}",
          result.items[i].name, options.confirm.cap_factor, alone.violation->rule,
          alone.violation->message));
    }
  }
  if (!result.infeasible.empty()) return result;

  const RiskFloor floor =
      risk_floor(confirmer, result.items, can_go_down, options.confirm, deadline);
  result.risk_floor = floor.risk;
  if (floor.low >= options.confirm.max_risk) {
    result.infeasible.push_back(fmt::format(
        "the servers' own timing puts the risk at about {:.2f}% (99% interval from {:.2f}%) "
        "whatever the order (each alone over {} runs: {}), not below the ceiling of {:.2f}%: a "
        "runbook that shortens the outage (a mirrored back end), measured timing (calibrate), "
        "or a --max-risk above it is needed",
        100.0 * floor.risk, 100.0 * floor.low, options.confirm.runs, fmt::join(floor.shares, ", "),
        100.0 * options.confirm.max_risk));
    return result;
  }

  result.coverage.searched = true;
  std::optional<Candidate> last;  // the last candidate confirmed
  for (;;) {
    if (result.coverage.confirmed >= options.max_confirmations) {
      result.coverage.stop_reason = "confirmation limit";
      break;
    }
    if (result.coverage.nodes >= options.max_nodes) {
      result.coverage.stop_reason = "node budget";
      break;
    }
    if (past(deadline)) {
      result.coverage.stop_reason = "time limit";
      break;
    }
    const SearchRound round =
        search.best(options.candidates_per_round, last ? &*last : nullptr,
                    SearchBudget{options.max_nodes - result.coverage.nodes, deadline});
    ++result.coverage.rounds;
    result.coverage.nodes += round.nodes;
    result.coverage.proposed += round.candidates.size();
    for (const Candidate& candidate : round.candidates) {
      if (result.coverage.confirmed >= options.max_confirmations || past(deadline)) break;
      Evaluation evaluation = confirm(candidate, false);
      ++result.coverage.confirmed;
      last = candidate;
      if (evaluation.passed) {
        result.chosen = std::move(evaluation);
        break;
      }
      result.rejected.push_back(std::move(evaluation));
    }
    if (result.chosen) {
      // Everything that ranks before the chosen plan was proposed and rejected, or cut.
      result.coverage.exhausted = round.exhausted;
      if (!round.exhausted) result.coverage.stop_reason = round.stop_reason;
      break;
    }
    if (!round.exhausted) {
      result.coverage.stop_reason = round.stop_reason;
      break;
    }
    // An exhausted round that proposed fewer than asked has proposed every plan left.
    if (round.candidates.size() < options.candidates_per_round &&
        (round.candidates.empty() || last == round.candidates.back())) {
      result.coverage.exhausted = true;
      break;
    }
  }
  if (!result.chosen) {
    if (result.coverage.confirmed == 0 && !result.coverage.exhausted) {
      result.infeasible.push_back(
          fmt::format("no candidate was confirmed before the {}", result.coverage.stop_reason));
    } else if (result.coverage.exhausted) {
      result.infeasible.push_back(
          fmt::format("every plan that respects the constraints was rejected ({} confirmed)",
                      result.coverage.confirmed));
    } else {
      result.infeasible.push_back(
          fmt::format("none of the {} candidates confirmed passed before the {}",
                      result.coverage.confirmed, result.coverage.stop_reason));
    }
  }
  return result;
}

}  // namespace lyncupdate::planner
