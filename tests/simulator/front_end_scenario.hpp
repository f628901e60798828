#pragma once
// Front-end scenarios for the simulator's tests (front_end_tests.cpp, routing_group_tests.cpp):
// one pool with its back end and front ends, loaded from JSON text with every duration fixed,
// run once with the checker's monitors, so that every time and count in a trace is exact.
#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "lyncupdate/checker/monitors.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/simulator/users.hpp"

namespace lyncupdate::testing {

using sim::TraceKind;

inline constexpr std::int64_t minute = 60'000;

inline std::string fqdn(std::string_view host) { return fmt::format("{}.example.com", host); }

// A JSON array of quoted FQDNs: ["fe1.example.com", ...].
inline std::string fqdn_array(const std::vector<std::string>& hosts) {
  std::vector<std::string> quoted;
  for (const auto& host : hosts) quoted.push_back(fmt::format("\"{}\"", fqdn(host)));
  return fmt::format("[{}]", fmt::join(quoted, ", "));
}

inline std::string fixed(double minutes) {
  return fmt::format(R"({{"distribution": "fixed", "minutes": {}}})", minutes);
}

// The steps of the shipped back-end runbook, one minute each: install-update (the 7th) makes
// the back end unavailable at its start, update-databases (the 11th) available at its end,
// so a back end is down from minute 6 to minute 11 of its stage.
inline const std::vector<std::string> backend_steps{
    "log-on",           "extract-update", "open-shell",   "stop-services",       "stop-w3svc",
    "close-shells",     "install-update", "reopen-shell", "stop-services-again", "start-w3svc",
    "update-databases", "start-services"};

// The shipped front-end runbook's steps with fixed durations: 44 minutes in all, the readiness
// check from 4.5 to 4.75 minutes, the services stopped at 6.75 and running again at 23.75.
inline std::map<std::string, std::string> shipped_front_end_timing() {
  return {{"fe-log-on", fixed(1)},
          {"fe-extract-update", fixed(3)},
          {"fe-open-shell", fixed(0.5)},
          {"fe-check-readiness", fixed(0.25)},
          {"fe-stop-services", fixed(2)},
          {"fe-close-shells", fixed(0.5)},
          {"fe-install-update", fixed(12)},
          {"fe-reopen-shell", fixed(0.5)},
          {"fe-stop-services-again", fixed(1)},
          {"fe-start-services", fixed(3)},
          {"fe-confirm", fixed(0.25)},
          {"fe-domain-settle", fixed(20)}};
}

// A runbook as a user edits the shipped one to skip the readiness gate: open the shell (2
// minutes), stop the services (1; stopped from minute 3), install (10), start them (1; running
// again at minute 14).
inline constexpr std::string_view gateless_runbook = R"([
  {"id": "fe-open-shell", "title": "Open the Lync Server Management Shell", "kind": "manual",
   "addition": "edited", "on_finish": {"management_shell": "open"}},
  {"id": "fe-stop-services", "title": "Stop the Lync Server services gracefully",
   "kind": "command", "command": "Stop-CsWindowsService -Graceful", "addition": "edited",
   "requires": {"management_shell": "open"}, "on_finish": {"lync_services": "stopped"}},
  {"id": "fe-install-update", "title": "Install the update", "kind": "install",
   "command": "LyncServerUpdateInstaller.exe /silentmode", "addition": "edited",
   "requires": {"lync_services": "stopped"}, "on_finish": {"binaries": "updated"}},
  {"id": "fe-start-services", "title": "Start the Lync Server services", "kind": "command",
   "command": "Start-CsWindowsService", "addition": "edited",
   "requires": {"binaries": "updated"}, "on_finish": {"lync_services": "running"}}
])";

inline std::map<std::string, std::string> gateless_timing() {
  return {{"fe-open-shell", fixed(2)},
          {"fe-stop-services", fixed(1)},
          {"fe-install-update", fixed(10)},
          {"fe-start-services", fixed(1)}};
}

// One pool (pool.example.com, back end sql.example.com) with front ends fe1..fe4 in two
// upgrade domains of two, the shipped runbooks, every step fixed, and every user signed in
// for the whole run (profile 1, sessions of ten hours), so user counts are exact too.
struct ScenarioText {
  std::vector<std::string> front_ends{"fe1", "fe2", "fe3", "fe4"};
  std::vector<std::vector<std::string>> domains{{"fe1", "fe2"}, {"fe3", "fe4"}};
  std::int64_t users = 4000;
  // JSON of the pool's "routing_groups"; empty: the key is left out.
  std::string routing_groups;
  // JSON of "front_end_runbook"; empty: the key is left out.
  std::string front_end_runbook = R"("frontend-update")";
  std::map<std::string, std::string> front_end_timing = shipped_front_end_timing();
  // Per-server timing overrides: FQDN -> JSON object of step id -> timing.
  std::map<std::string, std::string> server_timing;
  std::vector<std::vector<std::string>> stages;
  std::string profile = "[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]";
  std::string window_start = "22:00";

  std::string text() const {
    std::vector<std::string> domain_texts;
    for (const auto& domain : domains) domain_texts.push_back(fqdn_array(domain));
    std::vector<std::string> timing;
    for (const auto& id : backend_steps) timing.push_back(fmt::format("\"{}\": {}", id, fixed(1)));
    for (const auto& [id, value] : front_end_timing) {
      timing.push_back(fmt::format("\"{}\": {}", id, value));
    }
    std::vector<std::string> servers;
    for (const auto& [server, value] : server_timing) {
      servers.push_back(fmt::format("\"{}\": {}", server, value));
    }
    std::vector<std::string> stage_texts;
    for (const auto& stage : stages) stage_texts.push_back(fqdn_array(stage));
    return fmt::format(
        R"({{
  "name": "front-ends",
  "topology": {{"enterprise_pools": [{{
    "fqdn": "pool.example.com", "front_ends": {}, "upgrade_domains": [{}], "users": {},{}
    "back_end": {{"fqdn": "sql.example.com"}}}}]}},
  "runbook": "backend-update",{}
  "timing": {{"steps": {{{}}}, "servers": {{{}}}}},
  "plan": {{"stages": [{}]}},
  "limits": {{"backend_outage_limit_min": 30, "window": {{"start": "{}", "length_min": 240}}}},
  "users": {{"profile": {}, "session_min": 600, "session_distribution": "fixed"}}
}})",
        fqdn_array(front_ends), fmt::join(domain_texts, ", "), users,
        routing_groups.empty() ? "" : fmt::format(" \"routing_groups\": {},", routing_groups),
        front_end_runbook.empty()
            ? ""
            : fmt::format("\n  \"front_end_runbook\": {},", front_end_runbook),
        fmt::join(timing, ", "), fmt::join(servers, ", "), fmt::join(stage_texts, ", "),
        window_start, profile);
  }
};

inline loader::LoadResult load(const ScenarioText& text) {
  return loader::load_scenario_text(text.text(), "fe.json", {});
}

inline std::vector<std::string> rendered(const loader::LoadResult& result) {
  std::vector<std::string> out;
  if (!result) {
    for (const auto& d : result.error()) out.push_back(d.render());
  }
  return out;
}

inline model::Scenario load_ok(const ScenarioText& text) {
  auto scenario = load(text);
  BOOST_REQUIRE_MESSAGE(scenario.has_value(),
                        fmt::format("{}", fmt::join(rendered(scenario), "\n")));
  return std::move(*scenario);
}

// The shipped installer asks for a restart with probability 0.1; without it, every time of a
// run is fixed.
inline void without_reboots(model::Scenario& scenario) {
  for (auto& step : scenario.front_end_runbook->steps) step.reboot_required.reset();
}

inline std::string minutes_text(TimePoint t) {
  return fmt::format("{:g}", static_cast<double>(t.time_since_epoch().count()) / minute);
}

inline std::string host_of(const model::ResolvedPlan& plan, std::uint16_t server) {
  const std::string& name = plan.servers.at(server).target.fqdn;
  return name.substr(0, name.find('.'));
}

// One run: its trace as one line per event ("minute kind server step"), the user model's
// events included (their server is the planned server that governs the pool, or none), the
// checker's violations and the summary.
struct Run {
  std::vector<std::string> lines;
  std::vector<sim::TraceEvent> events;
  std::vector<check::Violation> violations;
  sim::RunSummary summary;
  sim::UserImpact impact;

  std::vector<std::string> matching(std::string_view text) const {
    std::vector<std::string> out;
    for (const auto& line : lines) {
      if (line.find(text) != std::string::npos) out.push_back(line);
    }
    return out;
  }
  std::size_t count(TraceKind kind) const {
    return static_cast<std::size_t>(
        std::ranges::count_if(events, [&](const auto& e) { return e.kind == kind; }));
  }
  std::vector<const check::Violation*> violations_of(std::string_view rule) const {
    std::vector<const check::Violation*> out;
    for (const auto& v : violations) {
      if (v.rule == rule) out.push_back(&v);
    }
    return out;
  }
  // How long `server`'s last successful attempt of `step` took, in ms, from the trace.
  std::int64_t step_ms(const model::ResolvedPlan& plan, std::string_view server,
                       std::string_view step) const {
    TimePoint start{};
    for (const auto& e : events) {
      if (e.server == sim::no_index || e.step == sim::no_index) continue;
      if (plan.servers[e.server].target.fqdn != server) continue;
      if (plan.servers[e.server].steps[e.step].definition->id != step) continue;
      if (e.kind == TraceKind::step_started) start = e.time;
      if (e.kind == TraceKind::step_finished) return (e.time - start).count();
    }
    BOOST_FAIL("no finished step " << step << " on " << server);
    return 0;
  }
};

// The name of each TraceKind, in enum order, as a trace line spells it.
inline constexpr std::array<std::string_view, 21> trace_kind_names{"run_started",
                                                                   "stage_started",
                                                                   "step_started",
                                                                   "step_finished",
                                                                   "step_failed",
                                                                   "state_changed",
                                                                   "plan_stopped",
                                                                   "run_finished",
                                                                   "reboot_started",
                                                                   "reboot_finished",
                                                                   "resiliency_entered",
                                                                   "resiliency_left",
                                                                   "users_disconnected",
                                                                   "users_reconnected",
                                                                   "users_failed_over",
                                                                   "users_failed_back",
                                                                   "routing_group_quorum_lost",
                                                                   "routing_group_stopped",
                                                                   "routing_group_quorum_regained",
                                                                   "primaries_moved",
                                                                   "automatic_failover"};

static_assert(trace_kind_names.size() ==
              static_cast<std::size_t>(TraceKind::automatic_failover) + 1);

inline std::string_view kind_name(TraceKind kind) {
  return trace_kind_names.at(static_cast<std::size_t>(kind));
}

inline Run run(const model::ResolvedPlan& plan) {
  sim::TraceRecorder recorder;
  check::Checker checker(plan);
  std::vector<sim::TraceObserver*> observers{&recorder};
  for (sim::TraceObserver* observer : checker.observers()) observers.push_back(observer);
  Run out;
  out.summary = sim::simulate_run(plan, 1, 0, observers, &out.impact);
  for (const sim::TraceEvent& e : recorder.events()) {
    out.events.push_back(e);
    std::string line = fmt::format("{} {}", minutes_text(e.time), kind_name(e.kind));
    if (e.server != sim::no_index) line += fmt::format(" {}", host_of(plan, e.server));
    if (e.step != sim::no_index) {
      line += fmt::format(" {}", plan.servers[e.server].steps[e.step].definition->id);
    }
    if (e.kind == TraceKind::state_changed) {
      line += fmt::format(" {}={}", model::variable_name(e.variable),
                          model::value_name(e.variable, e.to));
    }
    if (e.attempt > 1) line += fmt::format(" attempt {}", e.attempt);
    if (e.routing_group != sim::no_index) line += fmt::format(" group {}", e.routing_group + 1);
    if (sim::is_user_event(e.kind)) line += fmt::format(" users {}", e.count);
    out.lines.push_back(line);
  }
  out.violations = checker.violations();
  return out;
}

inline model::ResolvedPlan resolve(const model::Scenario& scenario) {
  auto plan = model::resolve_plan(scenario);
  BOOST_REQUIRE(plan.has_value());
  return std::move(*plan);
}

// The step starts of `host` in a trace: "minute step[ attempt n]".
inline std::vector<std::string> starts(const Run& r, std::string_view host) {
  std::vector<std::string> out;
  const std::string marker = fmt::format(" step_started {} ", host);
  for (const auto& line : r.lines) {
    const auto at = line.find(marker);
    if (at == std::string::npos) continue;
    out.push_back(line.substr(0, at) + " " + line.substr(at + marker.size()));
  }
  return out;
}

// The shipped runbook's step starts on one server whose stage starts at `offset` minutes.
inline std::vector<std::string> shipped_starts(double offset) {
  const std::vector<std::pair<double, std::string>> at{{0, "fe-log-on"},
                                                       {1, "fe-extract-update"},
                                                       {4, "fe-open-shell"},
                                                       {4.5, "fe-check-readiness"},
                                                       {4.75, "fe-stop-services"},
                                                       {6.75, "fe-close-shells"},
                                                       {7.25, "fe-install-update"},
                                                       {19.25, "fe-reopen-shell"},
                                                       {19.75, "fe-stop-services-again"},
                                                       {20.75, "fe-start-services"},
                                                       {23.75, "fe-confirm"},
                                                       {24, "fe-domain-settle"}};
  std::vector<std::string> out;
  for (const auto& [m, id] : at) out.push_back(fmt::format("{:g} {}", offset + m, id));
  return out;
}

// The user model's events of a run, in trace order: a pool's "minute kind users n", whichever
// server they name; "minute primaries_moved server users n", the front end that stopped; and a
// routing group's events of one kind on one front end at one instant as one line, its groups
// 1-based in trace order and their users summed: "minute kind server groups 1 4 users 500".
inline std::vector<std::string> user_events(const Run& r) {
  struct GroupLine {
    std::string key;  // "minute kind server"
    std::vector<std::string> groups;
    std::uint64_t users = 0;
    std::size_t at = 0;  // its index in the result
  };
  std::vector<std::string> out;
  std::vector<GroupLine> open;  // the lines of the current run of routing-group events
  for (std::size_t i = 0; i < r.events.size(); ++i) {
    const sim::TraceEvent& e = r.events[i];
    if (!sim::is_user_event(e.kind)) continue;
    const std::string& line = r.lines[i];
    if (!sim::is_routing_group_event(e.kind)) {
      open.clear();
      out.push_back(
          e.kind == TraceKind::primaries_moved
              ? line
              : fmt::format("{} {} users {}", minutes_text(e.time), kind_name(e.kind), e.count));
      continue;
    }
    const std::string key = line.substr(0, line.find(" group "));
    auto group_line = std::ranges::find(open, key, &GroupLine::key);
    if (group_line == open.end()) {
      open.push_back(GroupLine{key, {}, 0, out.size()});
      out.emplace_back();
      group_line = open.end() - 1;
    }
    group_line->groups.push_back(fmt::format("{}", e.routing_group + 1));
    group_line->users += e.count;
    out[group_line->at] = fmt::format("{} groups {} users {}", key,
                                      fmt::join(group_line->groups, " "), group_line->users);
  }
  return out;
}

inline std::string violation_text(const Run& r) {
  std::vector<std::string> out;
  for (const auto& v : r.violations) out.push_back(fmt::format("{}: {}", v.rule, v.message));
  return fmt::format("{}", fmt::join(out, "\n"));
}

}  // namespace lyncupdate::testing
