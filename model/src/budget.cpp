// The limits and the budget of a run (budget.hpp): estimated from the plan alone, before
// anything is simulated.
#include "lyncupdate/model/budget.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace lyncupdate::model {
namespace {

// A step's weight in the span: its upper bound, a lognormal without max_min at its 95th
// percentile (its tail is the Monte Carlo's business, not the budget's), plus the drain of
// every user it may find signed in.
struct StepEstimate {
  Duration length{};
  bool drains = false;
};

StepEstimate estimate_step(const ResolvedStep& step) {
  const Distribution& d = step.timing.duration;
  Duration length = d.kind == Distribution::Kind::lognormal && !d.cap ? d.p95 : d.upper_bound();
  // Drains grow with users: computed in double, so that 10^9 users cannot overflow.
  const double drain_ms = static_cast<double>(step.timing.drain_per_thousand_users.count()) *
                          static_cast<double>(step.drain_users) / 1000.0;
  const double ceiling = static_cast<double>(Duration::max().count()) / 4.0;
  const auto drain = Duration(static_cast<Duration::rep>(std::min(drain_ms, ceiling)));
  return {std::min(length, Duration::max() / 4) + drain, drain > length};
}

std::string home_users_pointer(const Topology& topology, std::size_t home) {
  return home < topology.pools.size() ? fmt::format("/topology/enterprise_pools/{}/users", home)
                                      : fmt::format("/topology/standard_edition_servers/{}/users",
                                                    home - topology.pools.size());
}

// The home with the most users (pools first, then Standard Edition servers).
std::size_t largest_home(const Topology& topology) {
  std::size_t best = 0;
  std::int64_t most = -1;
  std::size_t home = 0;
  for (const EnterprisePool& pool : topology.pools) {
    if (pool.users > most) most = pool.users, best = home;
    ++home;
  }
  for (const StandardEditionServer& server : topology.standard_edition_servers) {
    if (server.users > most) most = server.users, best = home;
    ++home;
  }
  return best;
}

}  // namespace

std::size_t server_count(const Topology& topology) {
  std::size_t count = topology.standard_edition_servers.size();
  for (const EnterprisePool& pool : topology.pools) {
    count += pool.front_ends.size() + 1 + (pool.back_end.mirror ? 1 : 0);
  }
  return count;
}

std::optional<ModelError> topology_size_problem(const Topology& topology) {
  const std::size_t count = server_count(topology);
  if (count <= max_servers) return std::nullopt;
  return ModelError{
      "/topology",
      fmt::format("the topology has {} servers; at most {} are allowed (the engine numbers "
                  "servers with 16 bits); split the deployment into several scenarios",
                  format_count(static_cast<std::int64_t>(count)),
                  format_count(static_cast<std::int64_t>(max_servers)))};
}

RunCost estimate_run_cost(const ResolvedPlan& plan) {
  RunCost cost;
  StepEstimate heaviest;
  for (const auto& stage : plan.stages) {
    Duration longest{};
    for (const std::size_t s : stage) {
      Duration total{};
      for (std::size_t k = 0; k < plan.servers[s].steps.size(); ++k) {
        const StepEstimate step = estimate_step(plan.servers[s].steps[k]);
        total = std::min(total + step.length, Duration::max() / 4);
        if (step.length > heaviest.length) {
          heaviest = step;
          cost.span_server = s;
          cost.span_step = k;
        }
      }
      longest = std::max(longest, total);
    }
    cost.span = std::min(cost.span + longest, Duration::max() / 4);
  }
  cost.span_step_drains = heaviest.drains;
  const Topology& topology = plan.scenario->topology;
  for (const EnterprisePool& pool : topology.pools) cost.users += pool.users;
  for (const auto& server : topology.standard_edition_servers) cost.users += server.users;
  const double session_ms =
      static_cast<double>(std::max<Duration::rep>(1, plan.scenario->users.session_mean.count()));
  cost.sessions =
      static_cast<double>(cost.users) * (1.0 + static_cast<double>(cost.span.count()) / session_ms);
  cost.user_bytes = cost.users * bytes_per_user;
  return cost;
}

std::vector<ModelError> budget_problems(const ResolvedPlan& plan) {
  std::vector<ModelError> problems;
  const RunCost cost = estimate_run_cost(plan);
  const Topology& topology = plan.scenario->topology;
  if (cost.span > max_simulated_span) {
    const ResolvedServer& server = plan.servers[cost.span_server];
    const std::string& step = server.steps[cost.span_step].definition->id;
    problems.push_back(ModelError{
        fmt::format("/timing/steps/{}{}", step,
                    cost.span_step_drains ? "/drain_per_1000_users_min" : ""),
        fmt::format("the plan would take about {} of simulated time, more than the budget of {} "
                    "(README, \"Limits and budgets\"); its longest step is {} on {}, about {}{}: "
                    "shorten it",
                    format_duration(cost.span), format_duration(max_simulated_span), step,
                    server.target.fqdn,
                    format_duration(estimate_step(server.steps[cost.span_step]).length),
                    cost.span_step_drains ? ", most of it the drain of its users" : "")});
  }
  const std::string users_at = home_users_pointer(topology, largest_home(topology));
  if (cost.users > max_simulated_users) {
    problems.push_back(ModelError{
        users_at,
        fmt::format("the deployment homes {} users, more than the {} the user model simulates "
                    "(about {} MiB per thread; README, \"Limits and budgets\"): lower the users",
                    format_count(cost.users), format_count(max_simulated_users),
                    cost.user_bytes >> 20)});
  } else if (cost.sessions > max_simulated_sessions) {
    problems.push_back(ModelError{
        users_at,
        fmt::format("the user model would simulate about {} sessions ({} users over about {}, "
                    "sessions of {} on average), more than the budget of {} (README, \"Limits "
                    "and budgets\"): lower the users, or lengthen users.session_min",
                    format_count(static_cast<std::int64_t>(cost.sessions)),
                    format_count(cost.users), format_duration(cost.span),
                    format_duration(plan.scenario->users.session_mean),
                    format_count(static_cast<std::int64_t>(max_simulated_sessions)))});
  }
  return problems;
}

}  // namespace lyncupdate::model
