/// \file
/// `plan` on enterprise: the search alone (8 work items, every partition ranked or cut), the
/// same search with every front end planned by upgrade domain (20 items, bounded by its node
/// budget), and the whole planner (search, verification and Monte Carlo of the candidates and
/// of the sequential plan, 2,000 runs each) on the shipped scenario, which no plan can pass
/// (every back end alone can stay down 30 minutes in worst-case time), and with a 90-minute
/// outage limit, which plans pass. Counters: search nodes, candidates confirmed.

#include <chrono>
#include <memory>

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/planner/planner.hpp"
#include "lyncupdate/scenarios/shipped.hpp"

namespace {

using namespace lyncupdate;

std::unique_ptr<model::Scenario> enterprise() {
  auto loaded = loader::load_shipped_scenario("enterprise");
  if (!loaded) return nullptr;
  return std::make_unique<model::Scenario>(std::move(*loaded));
}

// The search problem of `scenario`'s work items, as plan_scenario builds it.
std::optional<planner::SearchProblem> search_problem(const model::Scenario& scenario) {
  const auto items = planner::work_items(scenario);
  const auto constraints = planner::constraints(scenario, items);
  model::Scenario all = scenario;
  all.plan.stages = {{}};
  for (const auto& item : items) {
    all.plan.stages[0].insert(all.plan.stages[0].end(), item.servers.begin(), item.servers.end());
  }
  const auto plan = model::resolve_plan(all);
  if (!plan) return std::nullopt;
  planner::SearchProblem problem;
  std::size_t server = 0;
  for (const auto& item : items) {
    planner::SearchItem searched;
    for (std::size_t s = 0; s < item.servers.size(); ++s) {
      searched.servers.push_back(planner::step_chain(plan->servers[server++]));
    }
    problem.items.push_back(std::move(searched));
  }
  for (const auto& p : constraints.precedences) problem.precedences.emplace_back(p.before, p.after);
  for (const auto& c : constraints.conflicts) problem.conflicts.emplace_back(c.first, c.second);
  problem.max_servers_per_stage = constraints.max_servers_per_stage;
  problem.operators = constraints.operators;
  return problem;
}

void search(benchmark::State& state, const model::Scenario& scenario) {
  const auto problem = search_problem(scenario);
  if (!problem) {
    state.SkipWithError("the work items do not resolve");
    return;
  }
  std::uint64_t nodes = 0;
  bool exhausted = false;
  for (auto _ : state) {
    planner::PlanSearch plans(*problem);
    const planner::SearchRound round = plans.best(8, nullptr, {});
    benchmark::DoNotOptimize(round.candidates.data());
    nodes = round.nodes;
    exhausted = round.exhausted;
  }
  state.counters["exhausted"] = exhausted ? 1.0 : 0.0;
  state.counters["items"] = static_cast<double>(problem->items.size());
  state.counters["nodes"] = static_cast<double>(nodes);
}

// The search over enterprise's eight back ends, mirror and Standard Edition servers.
void BM_PlanSearchEnterprise(benchmark::State& state) {
  const auto scenario = enterprise();
  if (!scenario) {
    state.SkipWithError("enterprise does not load");
    return;
  }
  search(state, *scenario);
}
BENCHMARK(BM_PlanSearchEnterprise)->Unit(benchmark::kMillisecond);

// enterprise with its front ends planned too, by upgrade domain, with the shipped front-end
// runbook: 20 items, three operators and at most six servers per stage; the node budget
// bounds the search.
std::unique_ptr<model::Scenario> enterprise_with_front_ends() {
  auto text = loader::self_contained_scenario("enterprise", false);
  if (!text) return nullptr;
  auto json = nlohmann::ordered_json::parse(*text);
  json["front_end_runbook"] = "frontend-update";
  const auto fixed = [](double minutes) {
    return nlohmann::ordered_json{{"distribution", "fixed"}, {"minutes", minutes}};
  };
  auto& steps = json["timing"]["steps"];
  for (const char* id : {"fe-log-on", "fe-confirm"}) steps[id] = fixed(1);
  for (const char* id :
       {"fe-open-shell", "fe-check-readiness", "fe-close-shells", "fe-reopen-shell"}) {
    steps[id] = fixed(0.5);
  }
  steps["fe-extract-update"] = {{"distribution", "uniform"}, {"low_min", 3}, {"high_min", 8}};
  steps["fe-stop-services"] = {
      {"distribution", "triangular"}, {"low_min", 1}, {"mode_min", 3}, {"high_min", 10}};
  steps["fe-install-update"] = {{"distribution", "lognormal"}, {"median_min", 11}, {"p95_min", 17}};
  steps["fe-start-services"] = {
      {"distribution", "triangular"}, {"low_min", 1}, {"mode_min", 2}, {"high_min", 4}};
  steps["fe-domain-settle"] = fixed(20);
  // Any other step of the shipped front-end runbook: one minute.
  if (const auto runbook = scenarios::shipped_file("runbooks/frontend-update")) {
    for (const auto& step : nlohmann::ordered_json::parse(*runbook)) {
      const std::string id = step.at("id").get<std::string>();
      if (!steps.contains(id)) steps[id] = fixed(1);
    }
  }
  json["plan"]["operators"] = 3;
  json["limits"]["max_servers_down"] = 6;
  auto loaded = loader::load_scenario_text(json.dump(), "enterprise-front-ends.json", {});
  if (!loaded) return nullptr;
  return std::make_unique<model::Scenario>(std::move(*loaded));
}

void BM_PlanSearchEnterpriseWithFrontEnds(benchmark::State& state) {
  const auto scenario = enterprise_with_front_ends();
  if (!scenario) {
    state.SkipWithError("enterprise with front ends does not load");
    return;
  }
  search(state, *scenario);
}
BENCHMARK(BM_PlanSearchEnterpriseWithFrontEnds)->Unit(benchmark::kMillisecond)->Iterations(1);

void plan(benchmark::State& state, const model::Scenario& scenario, double max_risk = 0.01) {
  planner::PlanOptions options;
  options.confirm.seed = scenario.seed;
  options.confirm.max_risk = max_risk;
  options.time_limit = std::chrono::milliseconds(0);
  std::size_t confirmed = 0;
  for (auto _ : state) {
    const auto result = planner::plan_scenario(scenario, options);
    if (!result) {
      state.SkipWithError("enterprise cannot be planned");
      return;
    }
    confirmed = result->coverage.confirmed;
    state.counters["nodes"] = static_cast<double>(result->coverage.nodes);
    state.counters["feasible"] = result->chosen ? 1.0 : 0.0;
  }
  state.counters["confirmed"] = static_cast<double>(confirmed);
}

// `lyncupdate plan enterprise`: the items alone put the risk floor (about 18%) above the
// default ceiling of 1%, so the search does not run; the sequential plan and each item alone
// are rehearsed 2,000 times.
void BM_PlanEnterprise(benchmark::State& state) {
  const auto scenario = enterprise();
  if (!scenario) {
    state.SkipWithError("enterprise does not load");
    return;
  }
  plan(state, *scenario);
}
BENCHMARK(BM_PlanEnterprise)->Unit(benchmark::kMillisecond)->Iterations(1);

// `lyncupdate plan enterprise --max-risk 0.2`: the risk accepted, the whole command's work:
// the floor, the search, the chosen plan confirmed and the sequential plan.
void BM_PlanEnterpriseAcceptedRisk(benchmark::State& state) {
  const auto scenario = enterprise();
  if (!scenario) {
    state.SkipWithError("enterprise does not load");
    return;
  }
  plan(state, *scenario, 0.2);
}
BENCHMARK(BM_PlanEnterpriseAcceptedRisk)->Unit(benchmark::kMillisecond)->Iterations(1);

// enterprise with a 90-minute outage limit: search, confirmation and the sequential plan.
void BM_PlanEnterpriseWideLimit(benchmark::State& state) {
  auto scenario = enterprise();
  if (!scenario) {
    state.SkipWithError("enterprise does not load");
    return;
  }
  scenario->limits.backend_outage_limit = std::chrono::minutes(90);
  plan(state, *scenario);
}
BENCHMARK(BM_PlanEnterpriseWideLimit)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
