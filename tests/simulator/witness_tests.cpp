// The mirroring witness (DOMAIN.md sections 2 and 4): with one, the loss of a principal back
// end whose mirror is available ends after the automatic failover (`timing.automatic_failover`),
// the mirror serves the pool, and an Install-CsDatabase outage gets no failover (SQL Server
// runs). Every duration is fixed, so every time in a trace is exact.
#include <string>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>

#include "front_end_scenario.hpp"
#include "lyncupdate/checker/runbook_analysis.hpp"
#include "lyncupdate/checker/violation.hpp"
#include "lyncupdate/simulator/world.hpp"

using namespace lyncupdate;
using namespace lyncupdate::testing;
using sim::TraceKind;

namespace {

// One pool (two front ends the plan leaves alone, 2,000 users) whose back end sql has the
// mirror sqlm; every step of the shipped runbooks takes one minute but the installer, which
// takes `install_min`. With the ordinary runbook a back end is unavailable from the
// installer's start (minute 6) to the end of update-databases.
struct WitnessScenario {
  bool witness = true;
  std::string failover = fixed(2);  // JSON of timing.automatic_failover; empty: the default
  double install_min = 1;
  std::vector<std::vector<std::string>> stages{{"sql"}};
  bool mirrored_runbook = false;

  std::string text() const {
    std::vector<std::string> timing;
    for (const auto& id : backend_steps) {
      timing.push_back(
          fmt::format("\"{}\": {}", id, id == "install-update" ? fixed(install_min) : fixed(1)));
    }
    for (const std::string_view id :
         {"check-mirror-state", "fail-over-to-mirror", "fail-back-to-principal"}) {
      if (mirrored_runbook) timing.push_back(fmt::format("\"{}\": {}", id, fixed(1)));
    }
    std::vector<std::string> stage_texts;
    for (const auto& stage : stages) stage_texts.push_back(fqdn_array(stage));
    return fmt::format(
        R"({{
  "name": "witness",
  "topology": {{"enterprise_pools": [{{
    "fqdn": "pool.example.com", "front_ends": ["fe1.example.com", "fe2.example.com"],
    "users": 2000,
    "back_end": {{"fqdn": "sql.example.com", "mirror": "sqlm.example.com",
                 "mirrored_database_update": true{}}}}}]}},
  "runbook": "backend-update",{}
  "timing": {{"steps": {{{}}}{}}},
  "plan": {{"stages": [{}]}},
  "limits": {{"backend_outage_limit_min": 30, "window": {{"start": "22:00", "length_min": 240}}}},
  "users": {{"profile": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
            "session_min": 600, "session_distribution": "fixed"}}
}})",
        witness ? R"(, "witness": "sqlw.example.com")" : "",
        mirrored_runbook ? R"(
  "mirrored_backend_runbook": "mirrored-backend-update",)"
                         : "",
        fmt::join(timing, ", "),
        failover.empty() ? "" : fmt::format(R"(, "automatic_failover": {})", failover),
        fmt::join(stage_texts, ", "));
  }
};

model::Scenario load_witness(const WitnessScenario& text) {
  auto scenario = loader::load_scenario_text(text.text(), "witness.json", {});
  BOOST_REQUIRE_MESSAGE(scenario.has_value(),
                        fmt::format("{}", fmt::join(rendered(scenario), "\n")));
  for (auto& step : scenario->runbook.steps) step.reboot_required.reset();
  if (scenario->mirrored_backend_runbook) {
    for (auto& step : scenario->mirrored_backend_runbook->steps) step.reboot_required.reset();
  }
  return std::move(*scenario);
}

// The outages of a run: "server begin end[ failed over]" in minutes.
std::vector<std::string> outages(const model::ResolvedPlan& plan, const Run& r) {
  std::vector<std::string> out;
  std::vector<std::string> open(plan.servers.size());
  std::vector<bool> failed_over(plan.servers.size(), false);
  for (const sim::TraceEvent& e : r.events) {
    if (e.kind == TraceKind::automatic_failover) failed_over[e.server] = true;
    if (e.kind != TraceKind::state_changed || e.variable != model::StateVariable::backend) {
      continue;
    }
    if (e.to == model::values::unavailable) {
      open[e.server] = fmt::format("{} {}", host_of(plan, e.server), minutes_text(e.time));
      failed_over[e.server] = false;
    } else {
      out.push_back(fmt::format("{} {}{}", open[e.server], minutes_text(e.time),
                                failed_over[e.server] ? " failed over" : ""));
    }
  }
  return out;
}

std::vector<std::string> rules_of(const Run& r) {
  std::vector<std::string> out;
  for (const auto& v : r.violations) out.emplace_back(v.rule);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(witness)

BOOST_AUTO_TEST_CASE(the_witness_ends_the_principals_loss_after_the_failover_time) {
  const model::Scenario scenario = load_witness({});
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);
  // Down at the installer's start (6); the witness fails over 2 minutes later, while the shell
  // is reopened; the mirror serves the pool to the end.
  BOOST_TEST(outages(plan, r) == (std::vector<std::string>{"sql 6 8 failed over"}));
  BOOST_TEST(r.matching("automatic_failover") ==
             (std::vector<std::string>{"8 automatic_failover sql reopen-shell"}));
  BOOST_TEST(r.matching("database_principal") ==
             (std::vector<std::string>{"8 state_changed sql database_principal=mirror"}));
  BOOST_TEST(r.violations.empty());
}

BOOST_AUTO_TEST_CASE(without_a_witness_the_principal_is_down_until_its_databases_are_updated) {
  WitnessScenario text;
  text.witness = false;
  const model::Scenario scenario_plan = load_witness(text);
  const model::ResolvedPlan plan = resolve(scenario_plan);
  const Run r = run(plan);
  BOOST_TEST(outages(plan, r) == (std::vector<std::string>{"sql 6 11"}));
  BOOST_TEST(r.count(TraceKind::automatic_failover) == 0U);
}

BOOST_AUTO_TEST_CASE(a_long_install_stays_under_the_limit_with_the_witness_only) {
  WitnessScenario text;
  text.install_min = 40;
  text.failover = "";  // the ASSUMED default: at most the 5-minute RTO
  const model::Scenario scenario_with = load_witness(text);
  const model::ResolvedPlan with = resolve(scenario_with);
  const Run r = run(with);
  BOOST_TEST(r.violations.empty());
  BOOST_TEST(r.count(TraceKind::resiliency_entered) == 0U);
  BOOST_REQUIRE(r.count(TraceKind::automatic_failover) == 1U);
  const std::vector<std::string> lines = r.matching("automatic_failover");
  const double at = std::stod(lines.front());
  BOOST_TEST(at >= 6.5);  // triangular from 30 seconds...
  BOOST_TEST(at <= 11);   // ...to 5 minutes after the loss at minute 6

  text.witness = false;
  const model::Scenario scenario_without = load_witness(text);
  const model::ResolvedPlan without = resolve(scenario_without);
  const Run lost = run(without);
  BOOST_TEST(outages(without, lost) == (std::vector<std::string>{"sql 6 50"}));
  BOOST_TEST(rules_of(lost) ==
             (std::vector<std::string>{std::string(check::rules::backend_outage_limit)}));
  BOOST_TEST(lost.count(TraceKind::resiliency_entered) == 1U);
}

BOOST_AUTO_TEST_CASE(a_failover_that_fails_leaves_the_outage_to_the_runbook) {
  WitnessScenario text;
  text.failover = R"({"distribution": "fixed", "minutes": 2, "failure_probability": 1})";
  const model::Scenario scenario_plan = load_witness(text);
  const model::ResolvedPlan plan = resolve(scenario_plan);
  const Run r = run(plan);
  BOOST_TEST(outages(plan, r) == (std::vector<std::string>{"sql 6 11"}));
  BOOST_TEST(r.count(TraceKind::automatic_failover) == 0U);
}

BOOST_AUTO_TEST_CASE(no_failover_to_a_mirror_that_is_down_too) {
  WitnessScenario text;
  text.stages = {{"sql", "sqlm"}};
  const model::Scenario scenario_plan = load_witness(text);
  const model::ResolvedPlan plan = resolve(scenario_plan);
  const Run r = run(plan);
  BOOST_TEST(r.count(TraceKind::automatic_failover) == 0U);
  BOOST_TEST(outages(plan, r) == (std::vector<std::string>{"sql 6 11", "sqlm 6 11"}));
  BOOST_TEST(rules_of(r) ==
             (std::vector<std::string>{std::string(check::rules::mirror_pair_down)}));
}

BOOST_AUTO_TEST_CASE(updating_the_mirror_that_serves_the_pool_is_a_pair_down) {
  WitnessScenario text;
  text.stages = {{"sql"}, {"sqlm"}};
  const model::Scenario scenario_plan = load_witness(text);
  const model::ResolvedPlan plan = resolve(scenario_plan);
  const Run r = run(plan);
  // sql failed over at 8 and ends its runbook at 12; sqlm's installer starts at 12 + 6.
  BOOST_TEST(outages(plan, r) == (std::vector<std::string>{"sql 6 8 failed over", "sqlm 18 23"}));
  BOOST_REQUIRE(r.violations.size() == 1U);
  BOOST_TEST(r.violations[0].rule == check::rules::mirror_pair_down);
  BOOST_TEST(
      r.violations[0].message ==
      "sqlm.example.com became unavailable at 22:18:00 (step install-update) while it served "
      "the pool's databases, sql.example.com having failed over to it: fail back first");
}

BOOST_AUTO_TEST_CASE(a_manual_failover_with_a_witness_lasts_the_failover_time) {
  WitnessScenario text;
  text.mirrored_runbook = true;
  text.failover = fixed(0.5);
  text.stages = {{"sqlm"}, {"sql"}};
  const model::Scenario scenario_plan = load_witness(text);
  const model::ResolvedPlan plan = resolve(scenario_plan);
  const Run r = run(plan);
  // The mirror first (12 minutes, down 6 to 11), then the principal: fail-over-to-mirror from
  // 12 + 4 ends after the witness's 30 seconds, not the step's minute; the fail-back (12 + 12)
  // starts from the mirror and runs its minute; Install-CsDatabase (12 + 13) its own.
  BOOST_TEST(outages(plan, r) == (std::vector<std::string>{"sqlm 6 11", "sql 16 16.5 failed over",
                                                           "sql 24 25", "sql 25 26"}));
  BOOST_TEST(r.violations.empty());
}

// A mirror's own outage costs the users nothing while the principal serves the pool (DOMAIN.md
// sections 2 and 4): it is recorded, not judged against the limit.
BOOST_AUTO_TEST_CASE(a_mirrors_own_outage_is_not_judged_against_the_limit) {
  WitnessScenario text;
  text.witness = false;
  text.install_min = 40;
  text.stages = {{"sqlm"}};
  const model::Scenario scenario = load_witness(text);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);
  BOOST_TEST(outages(plan, r) == (std::vector<std::string>{"sqlm 6 50"}));
  BOOST_TEST(r.violations.empty());
  BOOST_TEST(r.count(TraceKind::resiliency_entered) == 0U);
  // The principal's own 44 minutes are judged.
  text.stages = {{"sql"}};
  const model::Scenario principal = load_witness(text);
  const model::ResolvedPlan principal_plan = resolve(principal);
  BOOST_TEST(rules_of(run(principal_plan)) ==
             (std::vector<std::string>{std::string(check::rules::backend_outage_limit)}));
}

BOOST_AUTO_TEST_SUITE_END()
