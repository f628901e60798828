#include "lyncupdate/reports/json.hpp"

#include <nlohmann/json.hpp>

#include "lyncupdate/version/version.hpp"

namespace lyncupdate::reports {
namespace {

using Json = nlohmann::ordered_json;

std::string_view outcome_name(StepRun::Outcome outcome) {
  switch (outcome) {
    case StepRun::Outcome::succeeded:
      return "succeeded";
    case StepRun::Outcome::failed:
      return "failed";
    case StepRun::Outcome::not_run:
      return "not_run";
  }
  return "";
}

std::int64_t ms(TimePoint t) { return t.time_since_epoch().count(); }

Json time_json(const RunView& view, TimePoint t) {
  return Json{{"ms", ms(t)}, {"clock", format_clock(t, view.plan->scenario->limits.window_start)}};
}

Json nullable_id(const RunView& view, std::uint16_t server, std::uint16_t step) {
  if (server == sim::no_index || step == sim::no_index) return nullptr;
  return view.plan->servers[server].steps[step].definition->id;
}

Json nullable_fqdn(const RunView& view, std::uint16_t server) {
  if (server == sim::no_index) return nullptr;
  return view.plan->servers[server].target.fqdn;
}

// DOMAIN.md section 2: what resiliency mode and disconnection cost the users.
Json user_impact_json(const RunView& view) {
  const sim::UserImpact& u = view.users;
  Json attempted = Json::object();
  Json failed = Json::object();
  for (std::size_t o = 0; o < model::operation_count; ++o) {
    const std::string name(model::operation_name(static_cast<model::Operation>(o)));
    attempted[name] = u.attempted_impaired[o];
    failed[name] = u.failed[o];
  }
  return Json{{"users", u.users},
              {"sessions", u.sessions},
              {"counted_until", time_json(view, u.closed)},
              {"users_affected", u.users_affected},
              {"resiliency_user_ms", u.resiliency_user_ms},
              {"disconnected_user_ms", u.disconnected_user_ms},
              {"conferences_ended", u.conferences_ended},
              {"users_moved", u.users_moved},
              {"attempted_while_impaired", std::move(attempted)},
              {"failed_operations", std::move(failed)},
              {"failed_operations_total", u.failed_operations()}};
}

}  // namespace

std::string render_run_json(const RunView& view, std::string_view command, bool with_timeline) {
  const model::Scenario& scenario = *view.plan->scenario;
  Json doc;
  doc["schema"] = "lyncupdate/run/1";
  doc["tool_version"] = version::full();
  doc["command"] = command;
  doc["scenario"] = scenario.name;
  doc["seed"] = view.seed;
  doc["chance_failures"] = view.chance_failures;
  doc["limits"] = Json{
      {"backend_outage_limit_ms", scenario.limits.backend_outage_limit.count()},
      {"window_start", format_clock(TimePoint{}, scenario.limits.window_start)},
      {"window_length_ms", scenario.limits.window_length.count()},
  };
  doc["end"] = time_json(view, view.summary.end);
  doc["stopped"] = view.summary.stopped;

  if (with_timeline) {
    Json servers = Json::array();
    for (std::size_t s = 0; s < view.plan->servers.size(); ++s) {
      const model::ResolvedServer& server = view.plan->servers[s];
      Json steps = Json::array();
      for (std::size_t i = 0; i < server.steps.size(); ++i) {
        const model::ResolvedStep& step = server.steps[i];
        const StepRun& run = view.steps[s][i];
        Json entry{
            {"id", step.definition->id},
            {"title", step.definition->title},
            {"kind", model::kind_name(step.definition->kind)},
            {"article_step",
             step.definition->article_step ? Json(*step.definition->article_step) : Json(nullptr)},
            {"command", step.command},
            {"outcome", outcome_name(run.outcome)},
            {"attempts", run.attempts}};
        if (run.outcome != StepRun::Outcome::not_run) {
          entry["start"] = time_json(view, run.start);
          entry["end"] = time_json(view, run.end);
          entry["duration_ms"] = (run.end - run.start).count();
        }
        steps.push_back(std::move(entry));
      }
      servers.push_back(Json{{"fqdn", server.target.fqdn},
                             {"role", model::role_name(server.target.role)},
                             {"stage", server.stage + 1},
                             {"steps", std::move(steps)}});
    }
    doc["servers"] = std::move(servers);

    Json outages = Json::array();
    for (const check::Outage& o : view.outages) {
      outages.push_back(
          Json{{"server", nullable_fqdn(view, o.server)},
               {"begin", time_json(view, o.begin)},
               {"end", time_json(view, o.end)},
               {"length_ms", o.length().count()},
               {"restored", o.restored},
               {"begin_step", nullable_id(view, o.server, o.begin_step)},
               {"end_step", nullable_id(view, o.server, o.end_step)},
               {"failed_over", o.failed_over},
               {"reached_limit", o.length() >= scenario.limits.backend_outage_limit}});
    }
    doc["outages"] = std::move(outages);

    Json faults = Json::array();
    for (const Fault& f : view.faults) {
      faults.push_back(Json{{"kind", f.kind == Fault::Kind::reboot ? "reboot" : "attempt_failed"},
                            {"server", nullable_fqdn(view, f.server)},
                            {"step", nullable_id(view, f.server, f.step)},
                            {"attempt", f.attempt},
                            {"begin", time_json(view, f.begin)},
                            {"end", time_json(view, f.end)},
                            {"retried", f.retried}});
    }
    doc["faults"] = std::move(faults);

    Json totals = Json::array();
    for (std::size_t s = 0; s < view.plan->servers.size(); ++s) {
      const OutageTotals t = outage_totals(view, s);
      totals.push_back(Json{{"server", view.plan->servers[s].target.fqdn},
                            {"longest_ms", t.longest.count()},
                            {"total_ms", t.total.count()},
                            {"outages", t.count}});
    }
    doc["outage_totals"] = std::move(totals);
    doc["users"] = user_impact_json(view);
  }

  if (view.findings) {
    Json findings = Json::array();
    for (const check::Finding& f : *view.findings) {
      findings.push_back(Json{{"rule", f.rule},
                              {"severity", check::severity_name(f.severity)},
                              {"server", f.server},
                              {"steps", f.steps},
                              {"message", f.message}});
    }
    doc["findings"] = std::move(findings);
  }

  Json violations = Json::array();
  for (const check::Violation& v : view.violations) {
    violations.push_back(Json{{"rule", v.rule},
                              {"time", time_json(view, v.time)},
                              {"server", nullable_fqdn(view, v.server)},
                              {"step", nullable_id(view, v.server, v.step)},
                              {"message", v.message}});
  }
  doc["violations"] = std::move(violations);
  return doc.dump(2) + "\n";
}

}  // namespace lyncupdate::reports
