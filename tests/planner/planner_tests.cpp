// The planner on scenarios whose best plan is known by hand (tests/planner/data/small.json:
// fixed step times, chains of 12, 10, 8 and 6 minutes for sqla, sqlb, mirb and se1), the
// scenario it writes, its determinism, and the cases where no plan is feasible.

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "../app/run_cli.hpp"
#include "lyncupdate/checker/verify.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/planner/emit.hpp"
#include "lyncupdate/planner/planner.hpp"

using namespace lyncupdate;
using namespace std::chrono_literals;
using planner::Stages;

namespace {

std::string fixture_text(const std::string& name) {
  return test::read_file(std::filesystem::path(LYNCUPDATE_SOURCE_DIR) / "tests" / "planner" /
                         "data" / name);
}

model::Scenario from_text(const std::string& text) {
  auto loaded = loader::load_scenario_text(text, "test.json", {});
  if (!loaded) {
    for (const auto& problem : loaded.error()) BOOST_TEST_MESSAGE(problem.render());
  }
  BOOST_REQUIRE(loaded.has_value());
  return std::move(*loaded);
}

model::Scenario small() { return from_text(fixture_text("small.json")); }

planner::PlanOptions quick(std::uint64_t runs = 200, unsigned threads = 2) {
  planner::PlanOptions options;
  options.confirm.runs = runs;
  options.confirm.threads = threads;
  options.confirm.seed = 1;
  options.time_limit = 0ms;  // results must not depend on the machine
  return options;
}

planner::PlanResult plan(const model::Scenario& scenario, const planner::PlanOptions& options) {
  auto result = planner::plan_scenario(scenario, options);
  BOOST_REQUIRE(result.has_value());
  return std::move(*result);
}

const std::string sqla = "sqla.example.com";
const std::string sqlb = "sqlb.example.com";
const std::string mirb = "mirb.example.com";
const std::string se1 = "se1.example.com";

// One Standard Edition server down for a lognormal time of median 10 and P95 30 minutes, then
// up in one: the outage reaches the 40-minute limit when the lognormal takes 39 minutes or
// more, P = 1 - Phi(ln 3.9 / (ln 3 / 1.645)) = 2.1%. With tails capped at 1.1 x P95 (33
// minutes) the worst case, 34 minutes, is below the limit.
constexpr std::string_view risky = R"({
  "name": "risky",
  "topology": {"standard_edition_servers": [{"fqdn": "se.example.com", "users": 10}]},
  "runbook": [
    {"id": "down", "title": "down", "kind": "manual", "article_step": 4,
     "on_start": {"backend": "unavailable"}},
    {"id": "up", "title": "up", "kind": "manual", "addition": "restores the server",
     "on_finish": {"backend": "available"}}
  ],
  "timing": {"steps": {"down": {"distribution": "lognormal", "median_min": 10, "p95_min": 30},
                       "up": {"distribution": "fixed", "minutes": 1}}},
  "plan": {"stages": [["se.example.com"]]},
  "limits": {"backend_outage_limit_min": 40}
})";

}  // namespace

BOOST_AUTO_TEST_SUITE(planner_on_scenarios)

BOOST_AUTO_TEST_CASE(the_mirror_goes_first_and_independent_servers_run_together) {
  const planner::PlanResult result = plan(small(), quick());
  BOOST_REQUIRE(result.chosen.has_value());
  const planner::Evaluation& chosen = *result.chosen;
  // Two stages at least (the mirror before its principal); the longest chain, sqla, with
  // sqlb (12 minutes), after the mirror with se1 (8): 20 minutes, the fewest servers at once.
  BOOST_TEST((chosen.stages == (Stages{{mirb, se1}, {sqla, sqlb}})));
  BOOST_TEST((chosen.candidate.p95 == 20min));
  BOOST_TEST((chosen.window_p50 == 20min));
  BOOST_TEST((chosen.window_p95 == 20min));
  BOOST_TEST(chosen.runs == 200u);
  BOOST_TEST(chosen.runs_reaching_limit == 0u);
  BOOST_TEST((chosen.verify == check::VerifyStatus::proved));
  BOOST_TEST((chosen.longest_window == 20min));
  BOOST_TEST(chosen.passed);
  BOOST_TEST(chosen.rejection.empty());

  BOOST_REQUIRE(result.sequential.has_value());
  BOOST_TEST((result.sequential->stages == (Stages{{sqla}, {mirb}, {sqlb}, {se1}})));
  BOOST_TEST((result.sequential->window_p95 == 36min));
  BOOST_TEST(result.sequential->passed);

  BOOST_TEST(result.coverage.searched);
  BOOST_TEST(result.coverage.exhausted);
  BOOST_TEST(result.coverage.stop_reason.empty());
  BOOST_TEST(result.coverage.confirmed == 1u);
  BOOST_TEST(result.rejected.empty());
  BOOST_TEST(result.infeasible.empty());
}

BOOST_AUTO_TEST_CASE(one_server_down_at_a_time_gives_one_server_per_stage) {
  model::Scenario scenario = small();
  scenario.limits.max_servers_down = 1;
  const planner::PlanResult result = plan(scenario, quick());
  BOOST_REQUIRE(result.chosen.has_value());
  BOOST_TEST((result.chosen->stages == (Stages{{sqla}, {mirb}, {sqlb}, {se1}})));
  BOOST_TEST((result.chosen->window_p95 == 36min));
}

BOOST_AUTO_TEST_CASE(two_servers_down_at_most_still_allows_the_best_plan) {
  model::Scenario scenario = small();
  scenario.limits.max_servers_down = 2;
  const planner::PlanResult result = plan(scenario, quick());
  BOOST_REQUIRE(result.chosen.has_value());
  BOOST_TEST((result.chosen->stages == (Stages{{mirb, se1}, {sqla, sqlb}})));
}

BOOST_AUTO_TEST_CASE(one_operator_does_all_the_work_so_the_fewest_stages_win) {
  model::Scenario scenario = small();
  scenario.plan.operators = 1;
  const planner::PlanResult result = plan(scenario, quick());
  BOOST_REQUIRE(result.chosen.has_value());
  // Every plan takes the 36 minutes of work; two stages of two servers each, the one that
  // comes first in item order (sqla, sqlb, mirb, se1) first.
  BOOST_TEST((result.chosen->stages == (Stages{{sqla, mirb}, {sqlb, se1}})));
  BOOST_TEST((result.chosen->candidate.p95 == 36min));
  BOOST_TEST((result.chosen->window_p95 == 36min));
  BOOST_TEST(result.chosen->verify_operators == 1u);
}

BOOST_AUTO_TEST_CASE(the_planned_scenario_loads_resolves_and_verifies) {
  const std::string text = fixture_text("small.json");
  model::Scenario scenario = from_text(text);
  scenario.plan.operators = 2;
  const planner::PlanResult result = plan(scenario, quick());
  BOOST_REQUIRE(result.chosen.has_value());
  // The input's plan has no operators; the written plan keeps the scenario's own.
  auto written =
      planner::scenario_with_plan(text, planner::plan_with_stages(scenario, result.chosen->stages));
  BOOST_REQUIRE(written.has_value());
  const model::Scenario reloaded = from_text(*written);
  BOOST_TEST((reloaded.plan.stages == result.chosen->stages));
  BOOST_TEST((reloaded.plan.operators == std::optional<int>(2)));
  BOOST_TEST(reloaded.plan.schedule.empty());
  auto resolved = model::resolve_plan(reloaded);
  BOOST_REQUIRE(resolved.has_value());
  BOOST_TEST((check::verify_plan(*resolved).status == check::VerifyStatus::proved));

  // Everything but the plan is as it was, in the same order.
  auto before = nlohmann::ordered_json::parse(text);
  auto after = nlohmann::ordered_json::parse(*written);
  BOOST_TEST(after["plan"]["stages"] == nlohmann::ordered_json(result.chosen->stages));
  before.erase("plan");
  after.erase("plan");
  BOOST_TEST(before.dump() == after.dump());
  BOOST_TEST(!planner::scenario_with_plan("[1, 2]", {}).has_value());
}

BOOST_AUTO_TEST_CASE(the_result_does_not_depend_on_the_monte_carlo_threads) {
  // enterprise with a 90-minute outage limit, which every back end meets in worst-case time.
  auto loaded = loader::load_shipped_scenario("enterprise");
  BOOST_REQUIRE(loaded.has_value());
  loaded->limits.backend_outage_limit = 90min;
  const planner::PlanResult one = plan(*loaded, quick(300, 1));
  const planner::PlanResult two = plan(*loaded, quick(300, 2));
  const planner::PlanResult four = plan(*loaded, quick(300, 4));
  BOOST_TEST((one == two));
  BOOST_TEST((one == four));
  BOOST_REQUIRE(one.chosen.has_value());
  const Stages& stages = one.chosen->stages;
  BOOST_TEST(stages.size() == 2u);
  BOOST_TEST((std::ranges::find(stages[0], "sql02-mirror.fabrikam.com") != stages[0].end()));
  BOOST_TEST((std::ranges::find(stages[1], "sql02.fabrikam.com") != stages[1].end()));
  BOOST_TEST(one.chosen->window_p95 < one.sequential->window_p95);
}

BOOST_AUTO_TEST_CASE(an_item_that_alone_breaks_the_limit_makes_every_plan_infeasible) {
  model::Scenario scenario = small();
  model::StepTiming forty;
  forty.duration.low = 40min;
  scenario.timing.servers[sqla]["down"] = forty;
  planner::PlanOptions proving = quick();
  proving.confirm.prove_timing_limits = true;
  const planner::PlanResult result = plan(scenario, proving);
  BOOST_TEST(!result.chosen.has_value());
  BOOST_TEST(!result.coverage.searched);
  BOOST_REQUIRE(result.infeasible.size() == 1u);
  BOOST_TEST(result.infeasible[0].starts_with(
      "sqla.example.com alone, in worst-case time (unbounded steps capped at 2.5 x their P95): "
      "backend-outage-limit: "));
  // The sequential plan is still measured, for comparison.
  BOOST_REQUIRE(result.sequential.has_value());
  BOOST_TEST((result.sequential->verify == check::VerifyStatus::violated));
  BOOST_TEST(result.sequential->simulated);
  BOOST_TEST(result.sequential->runs_reaching_limit == 200u);

  // Judged by the risk alone (the default), the same item reaches the limit in every run: the
  // risk floor is 100% and the search is not run either.
  const planner::PlanResult by_risk = plan(scenario, quick());
  BOOST_TEST(!by_risk.chosen.has_value());
  BOOST_TEST(!by_risk.coverage.searched);
  BOOST_TEST(by_risk.risk_floor == 1.0);
  BOOST_REQUIRE(by_risk.infeasible.size() == 1u);
  BOOST_TEST(by_risk.infeasible[0].starts_with(
      "the servers' own timing puts the risk at about 100.00% (99% interval from 100.00%) "
      "whatever the order (each alone over 200 runs: sqla.example.com 100.00%)"));
  BOOST_TEST((by_risk.sequential->verify == check::VerifyStatus::proved));
}

BOOST_AUTO_TEST_CASE(a_plan_at_or_above_the_risk_ceiling_is_rejected) {
  const model::Scenario scenario = from_text(std::string(risky));
  planner::PlanOptions options = quick(2000);
  options.confirm.cap_factor = 1.1;
  options.confirm.max_risk = 0.05;
  const planner::PlanResult accepted = plan(scenario, options);
  BOOST_REQUIRE(accepted.chosen.has_value());
  BOOST_TEST((accepted.chosen->stages == (Stages{{"se.example.com"}})));
  const double risk = accepted.chosen->risk();
  BOOST_TEST(risk > 0.01);
  BOOST_TEST(risk < 0.05);
  // The server alone, on a seed of its own, gives about the same risk: the floor.
  BOOST_TEST(accepted.risk_floor > 0.01);
  BOOST_TEST(accepted.risk_floor < 0.05);

  // A ceiling at the plan's risk: the floor's interval reaches below it, so the search runs,
  // proves the plan and rejects it for its risk.
  options.confirm.max_risk = risk;
  const planner::PlanResult rejected = plan(scenario, options);
  BOOST_TEST(!rejected.chosen.has_value());
  BOOST_TEST(rejected.coverage.searched);
  BOOST_TEST(rejected.coverage.exhausted);
  BOOST_REQUIRE(rejected.rejected.size() == 1u);
  const planner::Evaluation& only = rejected.rejected[0];
  BOOST_TEST((only.verify == check::VerifyStatus::proved));
  BOOST_TEST(only.runs_reaching_limit == accepted.chosen->runs_reaching_limit);
  BOOST_TEST(only.risk_interval.low < only.risk());
  BOOST_TEST(only.risk_interval.high > only.risk());
  BOOST_TEST(only.rejection.starts_with("risk: "));
  BOOST_TEST(rejected.infeasible ==
             (std::vector<std::string>{
                 "every plan that respects the constraints was rejected (1 confirmed)"}));

  // A ceiling of 1%: the floor alone is above it, and the search is not run.
  options.confirm.max_risk = 0.01;
  const planner::PlanResult floored = plan(scenario, options);
  BOOST_TEST(!floored.chosen.has_value());
  BOOST_TEST(!floored.coverage.searched);
  BOOST_REQUIRE(floored.infeasible.size() == 1u);
  BOOST_TEST(floored.infeasible[0].starts_with("the servers' own timing puts the risk at about "));

  // Proving the outage limit too, at the default cap, 2.5 x 30 minutes: the worst case breaks
  // the limit, and no plan is searched.
  planner::PlanOptions proving = quick();
  proving.confirm.prove_timing_limits = true;
  const planner::PlanResult capped = plan(scenario, proving);
  BOOST_TEST(!capped.chosen.has_value());
  BOOST_TEST(!capped.coverage.searched);
}

BOOST_AUTO_TEST_CASE(only_unbounded_lognormals_are_capped) {
  auto loaded = loader::load_shipped_scenario("enterprise");
  BOOST_REQUIRE(loaded.has_value());
  loaded->timing.steps.at("update-databases").duration.cap = 20min;
  model::Scenario capped = *loaded;
  capped.timing = model::with_capped_tails(loaded->timing, 2.5);
  // 2.5 x 17 minutes.
  BOOST_TEST((capped.timing.steps.at("install-update").duration.cap ==
              std::optional<Duration>(42min + 30s)));
  BOOST_TEST(
      (capped.timing.steps.at("update-databases").duration.cap == std::optional<Duration>(20min)));
  BOOST_TEST((capped.timing.servers.at("sql01.fabrikam.com").at("update-databases").duration.cap ==
              std::optional<Duration>(37min + 30s)));
  BOOST_TEST(!capped.timing.steps.at("log-on").duration.cap.has_value());
}

BOOST_AUTO_TEST_CASE(the_confirmation_batch_draws_the_timeline_of_the_full_batch) {
  // enterprise-rollout updates front ends too, whose graceful stop drains the users signed in.
  for (const std::string name : {"enterprise", "enterprise-rollout"}) {
    BOOST_TEST_CONTEXT(name) {
      auto loaded = loader::load_shipped_scenario(name);
      BOOST_REQUIRE(loaded.has_value());
      const auto scenario = std::make_unique<model::Scenario>(std::move(*loaded));
      auto resolved = model::resolve_plan(*scenario);
      BOOST_REQUIRE(resolved.has_value());
      const mc::BatchResult full = mc::run_batch(*resolved, 7, 60, {0, 60}, 2);
      planner::ConfirmOptions options;
      options.seed = 7;
      options.runs = 60;
      options.threads = 2;
      const planner::Confirmer confirmer(*scenario, options);
      const mc::BatchResult fast = confirmer.batch(scenario->plan.stages);
      BOOST_TEST(fast.window_ms == full.window_ms);
      BOOST_TEST(fast.longest_outage_ms == full.longest_outage_ms);
      BOOST_TEST(fast.runs_reaching_limit == full.runs_reaching_limit);
      BOOST_TEST(fast.runs_stopped == full.runs_stopped);
      BOOST_TEST(fast.violations == full.violations);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
