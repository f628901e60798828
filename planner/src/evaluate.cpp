#include "lyncupdate/planner/evaluate.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <tuple>

#include <fmt/format.h>

#include "lyncupdate/model/resolve.hpp"

namespace lyncupdate::planner {
namespace {

model::Scenario with_stages(const model::Scenario& scenario, const Stages& stages) {
  model::Scenario copy = scenario;
  copy.plan.stages = stages;
  copy.plan.schedule.clear();
  return copy;
}

// A scenario and its resolved plan, which points into it.
struct Resolved {
  std::unique_ptr<model::Scenario> scenario;
  model::ResolvedPlan plan;
};

Resolved resolved(model::Scenario scenario) {
  Resolved out{std::make_unique<model::Scenario>(std::move(scenario)), {}};
  auto plan = model::resolve_plan(*out.scenario);
  // The planner resolves every work item's server before it confirms anything, and the plan
  // only reorders them.
  assert(plan.has_value() && "a candidate plan failed to resolve");
  out.plan = std::move(*plan);
  return out;
}

Duration percentile(std::vector<std::int64_t> samples, int percent) {
  std::ranges::sort(samples);
  return Duration(mc::nearest_rank_percentile(samples, percent));
}

}  // namespace

double Evaluation::risk() const {
  return runs == 0 ? 0.0 : static_cast<double>(runs_reaching_limit) / static_cast<double>(runs);
}

bool operator==(const Evaluation& a, const Evaluation& b) {
  const auto fields = [](const Evaluation& e) {
    return std::tie(e.candidate, e.stages, e.verify, e.verify_states, e.verify_operators,
                    e.longest_window, e.verify_problem, e.simulated, e.runs, e.runs_reaching_limit,
                    e.window_p50, e.window_p95, e.risk_interval.low, e.risk_interval.high, e.passed,
                    e.rejection);
  };
  return fields(a) == fields(b);
}

Confirmer::Confirmer(const model::Scenario& scenario, const ConfirmOptions& options)
    : scenario_(&scenario), options_(options), capped_(scenario) {
  capped_.timing = model::with_capped_tails(std::move(capped_.timing), options.cap_factor);
}

check::VerifyResult Confirmer::verify(
    const Stages& stages, std::optional<std::chrono::steady_clock::time_point> deadline) const {
  const Resolved plan = resolved(with_stages(capped_, stages));
  check::VerifyOptions search;
  search.max_states = options_.verify_max_states;
  search.timing_limits = options_.prove_timing_limits;
  search.time_budget = std::chrono::milliseconds(0);
  if (deadline) {
    // A verification that starts at the deadline still gets a moment: zero means no bound.
    search.time_budget = std::max(std::chrono::milliseconds(1),
                                  std::chrono::duration_cast<std::chrono::milliseconds>(
                                      *deadline - std::chrono::steady_clock::now()));
  }
  return check::verify_plan(plan.plan, search);
}

mc::BatchResult Confirmer::batch(const Stages& stages, std::optional<std::uint64_t> seed) const {
  // The plan is resolved from the scenario itself, so that everything the timeline depends on
  // (steps, timing, the users a graceful stop drains) is the scenario's; the simulation then
  // reads the topology's user counts from a copy in which every pool and Standard Edition
  // server has none.
  const Resolved plan = resolved(with_stages(*scenario_, stages));
  model::Scenario silent = *plan.scenario;
  for (model::EnterprisePool& pool : silent.topology.pools) pool.users = 0;
  for (model::StandardEditionServer& server : silent.topology.standard_edition_servers) {
    server.users = 0;
  }
  model::ResolvedPlan quiet = plan.plan;
  quiet.scenario = &silent;
  return mc::run_batch(quiet, seed.value_or(options_.seed), options_.runs,
                       mc::RunRange{0, options_.runs}, options_.threads);
}

Evaluation Confirmer::evaluate(const Candidate& candidate, const Stages& stages,
                               std::optional<std::chrono::steady_clock::time_point> deadline,
                               bool always_simulate) const {
  Evaluation out;
  out.candidate = candidate;
  out.stages = stages;
  const check::VerifyResult proof = verify(stages, deadline);
  out.verify = proof.status;
  out.verify_states = proof.states;
  out.verify_operators = proof.operators;
  switch (proof.status) {
    case check::VerifyStatus::proved:
      out.longest_window = proof.longest_window;
      break;
    case check::VerifyStatus::violated:
      out.verify_problem =
          proof.violation ? fmt::format("{}: {}", proof.violation->rule, proof.violation->message)
                          : std::string("an invariant breaks");
      break;
    case check::VerifyStatus::incomplete:
      out.verify_problem = "not proved: " + proof.stop_reason;
      break;
    case check::VerifyStatus::unbounded:
      out.verify_problem = proof.stop_reason;
      break;
  }
  if (proof.status != check::VerifyStatus::proved) {
    out.rejection = "verify: " + out.verify_problem;
    if (!always_simulate) return out;
  }
  const mc::BatchResult batch = this->batch(stages);
  out.simulated = true;
  out.runs = batch.runs();
  out.runs_reaching_limit = batch.runs_reaching_limit;
  out.window_p50 = percentile(batch.window_ms, 50);
  out.window_p95 = percentile(batch.window_ms, 95);
  out.risk_interval = mc::wilson_interval(batch.runs_reaching_limit, batch.runs());
  if (!out.rejection.empty()) return out;
  if (out.risk() >= options_.max_risk) {
    out.rejection = fmt::format(
        "risk: {} of {} runs ({:.2f}%) reach the {} outage limit, not below {:.2f}%",
        format_count(static_cast<std::int64_t>(out.runs_reaching_limit)),
        format_count(static_cast<std::int64_t>(out.runs)), 100.0 * out.risk(),
        format_duration(scenario_->limits.backend_outage_limit), 100.0 * options_.max_risk);
    return out;
  }
  if (!options_.prove_timing_limits && out.window_p95 > scenario_->limits.window_length) {
    out.rejection = fmt::format("window: the P95 window, {}, ends after the window of {} closes",
                                format_duration(out.window_p95),
                                format_duration(scenario_->limits.window_length));
    return out;
  }
  out.passed = true;
  return out;
}

}  // namespace lyncupdate::planner
