#include "lyncupdate/model/resolve.hpp"

#include <map>
#include <set>

#include <fmt/format.h>

#include "lyncupdate/model/fqdn.hpp"

namespace lyncupdate::model {
namespace {

// What placeholders stand for on one server.
struct Placeholders {
  const UpdateTarget& target;
  // Known in command checks only; empty when the scenario sets none, and then left as written
  // for live mode to refuse (simulation never runs checks).
  const std::string* update_version = nullptr;
};

// Substitutes {fqdn} and {sql_fqdn}, and {update_version} when `values` knows it; any other
// {placeholder} is reported.
std::string substitute(std::string_view text, const Placeholders& values,
                       std::vector<std::string>& unknown) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find('{', i);
    if (open == std::string_view::npos) {
      out.append(text.substr(i));
      break;
    }
    out.append(text.substr(i, open - i));
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) {
      out.append(text.substr(open));
      break;
    }
    const std::string_view name = text.substr(open + 1, close - open - 1);
    if (name == "fqdn") {
      out.append(values.target.fqdn);
    } else if (name == "sql_fqdn") {
      out.append(values.target.sql_server_fqdn);
    } else if (name == "pool_fqdn") {
      out.append(values.target.pool_fqdn);
    } else if (name == "update_version" && values.update_version != nullptr) {
      out.append(values.update_version->empty() ? text.substr(open, close - open + 1)
                                                : std::string_view(*values.update_version));
    } else {
      unknown.emplace_back(name);
      out.append(text.substr(open, close - open + 1));
    }
    i = close + 1;
  }
  return out;
}

// `check` with placeholders substituted in every string. Unknown placeholders are reported at
// the string's pointer under `pointer`, once per pointer whichever server is resolved.
CommandCheck resolve_check(const CommandCheck& check, const Placeholders& values,
                           const std::string& pointer, std::string_view step_id,
                           std::set<std::string>& reported, std::vector<ModelError>& errors) {
  const auto one = [&](const std::string& text, const std::string& at) {
    std::vector<std::string> unknown;
    std::string out = substitute(text, values, unknown);
    for (const auto& name : unknown) {
      if (!reported.insert(at + "\n" + name).second) continue;
      errors.push_back({at, fmt::format("step \"{}\" uses unknown placeholder {{{}}}; expected "
                                        "{{fqdn}}, {{sql_fqdn}}, {{pool_fqdn}} or "
                                        "{{update_version}}",
                                        step_id, name)});
    }
    return out;
  };
  CommandCheck out;
  for (std::size_t i = 0; i < check.pipeline.size(); ++i) {
    auto& stage = out.pipeline.emplace_back();
    for (std::size_t j = 0; j < check.pipeline[i].size(); ++j) {
      stage.push_back(one(check.pipeline[i][j], fmt::format("{}/pipeline/{}/{}", pointer, i, j)));
    }
  }
  out.present = one(check.present, pointer + "/present");
  out.absent = one(check.absent, pointer + "/absent");
  return out;
}

// Kinds that do their work through a command; the others may be performed by hand.
bool needs_command(StepKind kind) {
  return kind == StepKind::command || kind == StepKind::install || kind == StepKind::database;
}

// The update targets a user may mean, front ends summed up rather than listed: a pool has up
// to twelve.
std::string known_servers(const std::vector<UpdateTarget>& targets) {
  std::string list;
  bool front_ends = false;
  for (const auto& t : targets) {
    if (t.role == Role::front_end) {
      front_ends = true;
      continue;
    }
    if (!list.empty()) list += ", ";
    list += fmt::format("\"{}\"", t.fqdn);
  }
  if (front_ends) list += ", or a front end of a pool";
  return list;
}

// Checks an explicit schedule against the resolved servers and fills plan.schedule: every step
// of every planned server once, each server's steps in runbook order, stage by stage.
void resolve_schedule(const std::vector<ScheduledStart>& schedule, ResolvedPlan& plan,
                      std::vector<ModelError>& errors) {
  if (schedule.empty()) return;
  std::map<std::string, std::uint16_t> server_of;
  for (std::size_t i = 0; i < plan.servers.size(); ++i) {
    server_of.emplace(fqdn_key(plan.servers[i].target.fqdn), static_cast<std::uint16_t>(i));
  }
  std::vector<std::size_t> next(plan.servers.size(), 0);
  std::size_t stage = 0;
  for (std::size_t k = 0; k < schedule.size(); ++k) {
    const ScheduledStart& start = schedule[k];
    const std::string pointer = fmt::format("/plan/schedule/{}", k);
    const auto server = server_of.find(fqdn_key(start.server));
    if (server == server_of.end()) {
      errors.push_back(
          {pointer + "/server", fmt::format("server \"{}\" is not in the plan's stages; a schedule "
                                            "orders the steps of planned servers only",
                                            start.server)});
      return;
    }
    const ResolvedServer& target = plan.servers[server->second];
    std::size_t step = 0;
    while (step < target.steps.size() && target.steps[step].definition->id != start.step) ++step;
    if (step == target.steps.size()) {
      errors.push_back(
          {pointer + "/step",
           fmt::format("unknown step \"{}\"; expected a step id of the runbook", start.step)});
      return;
    }
    std::size_t& expected = next[server->second];
    if (step != expected) {
      errors.push_back(
          {pointer,
           expected < target.steps.size()
               ? fmt::format("step \"{}\" of \"{}\" comes before \"{}\" here; "
                             "expected each server's steps once, in runbook order",
                             start.step, start.server, target.steps[expected].definition->id)
               : fmt::format("step \"{}\" of \"{}\" is scheduled twice; expected "
                             "each server's steps once, in runbook order",
                             start.step, start.server)});
      return;
    }
    if (target.stage < stage) {
      errors.push_back({pointer, fmt::format("\"{}\" belongs to stage {}, whose steps must all "
                                             "start before stage {}'s",
                                             start.server, target.stage + 1, stage + 1)});
      return;
    }
    // A stage starts only when every server of the previous ones is done.
    for (std::size_t i = 0; i < plan.servers.size() && target.stage > stage; ++i) {
      if (plan.servers[i].stage < target.stage && next[i] < plan.servers[i].steps.size()) {
        errors.push_back(
            {pointer,
             fmt::format("\"{}\" is in stage {}, but step \"{}\" of \"{}\" (stage {}) is not "
                         "scheduled yet; expected every step of a stage before the next stage",
                         start.server, target.stage + 1,
                         plan.servers[i].steps[next[i]].definition->id, plan.servers[i].target.fqdn,
                         plan.servers[i].stage + 1)});
        return;
      }
    }
    stage = target.stage;
    ++expected;
    plan.schedule.push_back({server->second, static_cast<std::uint16_t>(step)});
  }
  for (std::size_t i = 0; i < plan.servers.size(); ++i) {
    if (next[i] < plan.servers[i].steps.size()) {
      errors.push_back(
          {"/plan/schedule", fmt::format("step \"{}\" of \"{}\" is not scheduled; expected every "
                                         "step of every planned server",
                                         plan.servers[i].steps[next[i]].definition->id,
                                         plan.servers[i].target.fqdn)});
      return;
    }
  }
}

}  // namespace

std::expected<ResolvedPlan, std::vector<ModelError>> resolve_plan(const Scenario& scenario) {
  std::vector<ModelError> errors;
  const std::vector<UpdateTarget> targets = update_targets(scenario.topology);
  std::map<std::string, std::size_t> by_key;
  for (std::size_t i = 0; i < targets.size(); ++i) by_key.emplace(fqdn_key(targets[i].fqdn), i);

  // Timing must exist for every step; report each missing one once, not once per server.
  std::set<std::string> missing_reported;
  for (const Runbook* runbook : scenario.runbooks()) {
    for (const auto& step : runbook->steps) {
      // A step that runs only on some servers needs timing only where it runs (below).
      if (step.only_on) continue;
      if (!scenario.timing.steps.contains(step.id) && missing_reported.insert(step.id).second) {
        errors.push_back(
            {"/timing/steps", fmt::format("missing timing for step \"{}\"; every runbook "
                                          "step needs a duration distribution",
                                          step.id)});
      }
    }
  }
  const bool timing_complete = errors.empty();

  ResolvedPlan plan;
  plan.scenario = &scenario;
  std::map<std::string, std::string> planned_at;
  std::set<std::pair<std::string, std::string>>
      reported_placeholders;                          // step pointer and name, once each
  std::set<std::string> reported_check_placeholders;  // pointer and name, once each
  std::set<std::pair<const RunbookStep*, Role>> role_problem_reported;
  bool front_end_runbook_reported = false;
  for (std::size_t stage = 0; stage < scenario.plan.stages.size(); ++stage) {
    plan.stages.emplace_back();
    for (std::size_t j = 0; j < scenario.plan.stages[stage].size(); ++j) {
      const std::string& fqdn = scenario.plan.stages[stage][j];
      const std::string pointer = fmt::format("/plan/stages/{}/{}", stage, j);
      const auto found = by_key.find(fqdn_key(fqdn));
      if (found == by_key.end()) {
        errors.push_back({pointer, fmt::format("unknown server \"{}\"; expected one of the update "
                                               "targets in the topology: {}",
                                               fqdn, known_servers(targets))});
        continue;
      }
      if (const auto [it, inserted] = planned_at.emplace(found->first, pointer); !inserted) {
        errors.push_back({pointer, fmt::format("server \"{}\" is already planned at {}; a server "
                                               "is updated once per plan",
                                               fqdn, it->second)});
        continue;
      }
      ResolvedServer server;
      server.target = targets[found->second];
      server.stage = stage;
      const Role role = server.target.role;
      if (role == Role::front_end && !scenario.front_end_runbook) {
        if (!front_end_runbook_reported) {
          front_end_runbook_reported = true;
          errors.push_back(
              {pointer, fmt::format("\"{}\" is a front end, and the scenario has no "
                                    "\"front_end_runbook\"; add one (the shipped one is "
                                    "\"frontend-update\")",
                                    fqdn)});
        }
        continue;
      }
      const Runbook& runbook = scenario.runbook_for(server.target);
      server.runbook = &runbook;
      const std::string runbook_pointer =
          role == Role::front_end         ? "/front_end_runbook"
          : &runbook == &scenario.runbook ? "/runbook"
          : scenario.mirror_runbook && &runbook == &*scenario.mirror_runbook
              ? "/mirror_runbook"
              : "/mirrored_backend_runbook";
      // A front end drains the sessions homed on it: its share of the pool's users.
      std::int64_t drain_users = 0;
      if (role == Role::front_end) {
        const auto front_ends = static_cast<std::int64_t>(
            scenario.topology.pools[server.target.index].front_ends.size());
        drain_users = (server.target.users + front_ends - 1) / front_ends;
      }
      for (std::size_t s = 0; s < runbook.steps.size(); ++s) {
        const RunbookStep& def = runbook.steps[s];
        if (def.only_on && !in_scope(*def.only_on, server.target)) continue;
        const bool timed = scenario.timing.steps.contains(def.id);
        if (!timed && missing_reported.insert(def.id).second) {
          errors.push_back(
              {"/timing/steps", fmt::format("missing timing for step \"{}\", which runs on \"{}\" "
                                            "(\"only_on\": \"{}\"); every step that runs needs a "
                                            "duration distribution",
                                            def.id, fqdn, scope_name(*def.only_on))});
        }
        const auto& variant = def.variants[static_cast<std::size_t>(role)];
        ResolvedStep step;
        step.step_index = s;
        step.definition = &def;
        const std::string& command = variant && variant->command ? *variant->command : def.command;
        step.requires_ = variant && variant->requires_ ? *variant->requires_ : def.requires_;
        step.on_start = variant && variant->on_start ? *variant->on_start : def.on_start;
        step.on_finish = variant && variant->on_finish ? *variant->on_finish : def.on_finish;
        if (command.empty() && needs_command(def.kind)) {
          if (role_problem_reported.emplace(&def, role).second) {
            errors.push_back(
                {pointer, fmt::format("server \"{}\" has role {}, but step \"{}\" has no command "
                                      "and no variant for that role; add \"variants\": {{\"{}\": "
                                      "{{\"command\": ...}}}} to the step",
                                      fqdn, role_name(role), def.id, role_name(role))});
          }
        }
        const std::string step_pointer = fmt::format("{}/{}", runbook_pointer, s);
        std::vector<std::string> unknown;
        step.command = substitute(command, {server.target}, unknown);
        for (const auto& name : unknown) {
          // A placeholder is reported once per step, whichever server's variant uses it.
          if (!reported_placeholders.emplace(step_pointer, name).second) continue;
          errors.push_back(
              {step_pointer, fmt::format("step \"{}\" uses unknown placeholder {{{}}}; expected "
                                         "{{fqdn}}, {{sql_fqdn}} or {{pool_fqdn}}",
                                         def.id, name)});
        }
        const Placeholders check_values{server.target, &scenario.live.update_version};
        if (def.probe) {
          step.probe = resolve_check(*def.probe, check_values, step_pointer + "/probe", def.id,
                                     reported_check_placeholders, errors);
        }
        if (def.unattended) {
          step.unattended =
              resolve_check(*def.unattended, check_values, step_pointer + "/unattended", def.id,
                            reported_check_placeholders, errors);
        }
        if (timing_complete && timed)
          step.timing = scenario.timing.for_step(server.target.fqdn, def.id);
        step.drain_users = drain_users;
        server.steps.push_back(std::move(step));
      }
      plan.stages.back().push_back(plan.servers.size());
      plan.servers.push_back(std::move(server));
    }
  }
  if (scenario.plan.operators) plan.operators = static_cast<std::size_t>(*scenario.plan.operators);
  if (errors.empty()) resolve_schedule(scenario.plan.schedule, plan, errors);
  if (!errors.empty()) return std::unexpected(std::move(errors));
  return plan;
}

}  // namespace lyncupdate::model
