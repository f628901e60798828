// Front ends as update targets (DOMAIN.md sections 3 and 4): the shipped front-end runbook run
// domain by domain, the pool-upgrade-readiness gate (InsufficientActiveFrontEnds stops the
// plan, Busy is retried), the graceful drain, pool quorum with the back end as witness, and
// what the loader refuses. Scenarios are loaded from JSON text, every duration is fixed, so that
// every time in a trace is exact.
#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "lyncupdate/checker/monitors.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/model/quorum.hpp"
#include "lyncupdate/simulator/users.hpp"
#include "lyncupdate/simulator/world.hpp"

using namespace lyncupdate;
using sim::TraceKind;

namespace {

constexpr std::int64_t minute = 60'000;

std::string fqdn(std::string_view host) { return fmt::format("{}.example.com", host); }

// A JSON array of quoted FQDNs: ["fe1.example.com", ...].
std::string fqdn_array(const std::vector<std::string>& hosts) {
  std::vector<std::string> quoted;
  for (const auto& host : hosts) quoted.push_back(fmt::format("\"{}\"", fqdn(host)));
  return fmt::format("[{}]", fmt::join(quoted, ", "));
}

std::string fixed(double minutes) {
  return fmt::format(R"({{"distribution": "fixed", "minutes": {}}})", minutes);
}

// The steps of the shipped back-end runbook, one minute each: install-update (the 7th) makes
// the back end unavailable at its start, update-databases (the 11th) available at its end,
// so a back end is down from minute 6 to minute 11 of its stage.
const std::vector<std::string> backend_steps{
    "log-on",           "extract-update", "open-shell",   "stop-services",       "stop-w3svc",
    "close-shells",     "install-update", "reopen-shell", "stop-services-again", "start-w3svc",
    "update-databases", "start-services"};

// The shipped front-end runbook's steps with fixed durations: 44 minutes in all, the readiness
// check from 4.5 to 4.75 minutes, the services stopped at 6.75 and running again at 23.75.
std::map<std::string, std::string> shipped_front_end_timing() {
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
constexpr std::string_view gateless_runbook = R"([
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

std::map<std::string, std::string> gateless_timing() {
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
    "fqdn": "pool.example.com", "front_ends": {}, "upgrade_domains": [{}], "users": {},
    "back_end": {{"fqdn": "sql.example.com"}}}}]}},
  "runbook": "backend-update",{}
  "timing": {{"steps": {{{}}}, "servers": {{{}}}}},
  "plan": {{"stages": [{}]}},
  "limits": {{"backend_outage_limit_min": 30, "window": {{"start": "{}", "length_min": 240}}}},
  "users": {{"profile": {}, "session_min": 600, "session_distribution": "fixed"}}
}})",
        fqdn_array(front_ends), fmt::join(domain_texts, ", "), users,
        front_end_runbook.empty()
            ? ""
            : fmt::format("\n  \"front_end_runbook\": {},", front_end_runbook),
        fmt::join(timing, ", "), fmt::join(servers, ", "), fmt::join(stage_texts, ", "),
        window_start, profile);
  }
};

loader::LoadResult load(const ScenarioText& text) {
  return loader::load_scenario_text(text.text(), "fe.json", {});
}

std::vector<std::string> rendered(const loader::LoadResult& result) {
  std::vector<std::string> out;
  if (!result) {
    for (const auto& d : result.error()) out.push_back(d.render());
  }
  return out;
}

model::Scenario load_ok(const ScenarioText& text) {
  auto scenario = load(text);
  BOOST_REQUIRE_MESSAGE(scenario.has_value(),
                        fmt::format("{}", fmt::join(rendered(scenario), "\n")));
  return std::move(*scenario);
}

// The shipped installer asks for a restart with probability 0.1; without it, every time of a
// run is fixed.
void without_reboots(model::Scenario& scenario) {
  for (auto& step : scenario.front_end_runbook->steps) step.reboot_required.reset();
}

std::string minutes_text(TimePoint t) {
  return fmt::format("{:g}", static_cast<double>(t.time_since_epoch().count()) / minute);
}

std::string host_of(const model::ResolvedPlan& plan, std::uint16_t server) {
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

Run run(const model::ResolvedPlan& plan) {
  static constexpr std::array<std::string_view, 16> kinds{
      "run_started",        "stage_started",     "step_started",       "step_finished",
      "step_failed",        "state_changed",     "plan_stopped",       "run_finished",
      "reboot_started",     "reboot_finished",   "resiliency_entered", "resiliency_left",
      "users_disconnected", "users_reconnected", "users_failed_over",  "users_failed_back"};
  sim::TraceRecorder recorder;
  check::Checker checker(plan);
  std::vector<sim::TraceObserver*> observers{&recorder};
  for (sim::TraceObserver* observer : checker.observers()) observers.push_back(observer);
  Run out;
  out.summary = sim::simulate_run(plan, 1, 0, observers, &out.impact);
  for (const sim::TraceEvent& e : recorder.events()) {
    out.events.push_back(e);
    std::string line =
        fmt::format("{} {}", minutes_text(e.time), kinds.at(static_cast<std::size_t>(e.kind)));
    if (e.server != sim::no_index) line += fmt::format(" {}", host_of(plan, e.server));
    if (e.step != sim::no_index) {
      line += fmt::format(" {}", plan.servers[e.server].steps[e.step].definition->id);
    }
    if (e.kind == TraceKind::state_changed) {
      line += fmt::format(" {}={}", model::variable_name(e.variable),
                          model::value_name(e.variable, e.to));
    }
    if (e.attempt > 1) line += fmt::format(" attempt {}", e.attempt);
    if (sim::is_user_event(e.kind)) line += fmt::format(" users {}", e.count);
    out.lines.push_back(line);
  }
  out.violations = checker.violations();
  return out;
}

model::ResolvedPlan resolve(const model::Scenario& scenario) {
  auto plan = model::resolve_plan(scenario);
  BOOST_REQUIRE(plan.has_value());
  return std::move(*plan);
}

// The step starts of `host` in a trace: "minute step[ attempt n]".
std::vector<std::string> starts(const Run& r, std::string_view host) {
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
std::vector<std::string> shipped_starts(double offset) {
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

// The user model's events of a run, "minute kind users n", whichever server they name.
std::vector<std::string> user_events(const Run& r) {
  std::vector<std::string> out;
  for (const auto& e : r.events) {
    if (!sim::is_user_event(e.kind)) continue;
    out.push_back(fmt::format("{} {} users {}", minutes_text(e.time),
                              e.kind == TraceKind::users_disconnected  ? "disconnected"
                              : e.kind == TraceKind::users_reconnected ? "reconnected"
                                                                       : "other",
                              e.count));
  }
  return out;
}

std::string violation_text(const Run& r) {
  std::vector<std::string> out;
  for (const auto& v : r.violations) out.push_back(fmt::format("{}: {}", v.rule, v.message));
  return fmt::format("{}", fmt::join(out, "\n"));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(front_end)

// 1. Two upgrade domains of two, one stage each: every step in runbook order, sequential per
// server, the two servers of a domain side by side; the stage ends after the 20-minute settle.
BOOST_AUTO_TEST_CASE(two_domains_one_stage_each_complete_in_twice_the_runbook_time) {
  ScenarioText text;
  text.stages = {{"fe1", "fe2"}, {"fe3", "fe4"}};
  model::Scenario scenario = load_ok(text);
  BOOST_TEST(scenario.front_end_runbook->steps.size() == 12u);
  without_reboots(scenario);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);

  // 1 + 3 + 0.5 + 0.25 (readiness) + 2 (stop) + 0.5 (close shells) + 12 (install) + 0.5
  // (reopen) + 1 (stop again) + 3 (start) + 0.25 (confirm) + 20 (settle) = 44 minutes a domain.
  BOOST_TEST(r.summary.end.time_since_epoch().count() == 88 * minute);
  BOOST_TEST(!r.summary.stopped);
  BOOST_TEST(starts(r, "fe1") == shipped_starts(0), boost::test_tools::per_element());
  BOOST_TEST(starts(r, "fe2") == shipped_starts(0), boost::test_tools::per_element());
  BOOST_TEST(starts(r, "fe3") == shipped_starts(44), boost::test_tools::per_element());
  BOOST_TEST(starts(r, "fe4") == shipped_starts(44), boost::test_tools::per_element());
  // The second stop finds them stopped already: no change.
  const std::vector<std::string> services{"6.75 state_changed fe1 lync_services=stopped",
                                          "6.75 state_changed fe2 lync_services=stopped",
                                          "23.75 state_changed fe1 lync_services=running",
                                          "23.75 state_changed fe2 lync_services=running",
                                          "50.75 state_changed fe3 lync_services=stopped",
                                          "50.75 state_changed fe4 lync_services=stopped",
                                          "67.75 state_changed fe3 lync_services=running",
                                          "67.75 state_changed fe4 lync_services=running"};
  BOOST_TEST(r.matching("lync_services") == services, boost::test_tools::per_element());
  // The gate says Ready each time: its effect, and no failure.
  BOOST_TEST(r.matching("upgrade_readiness=ready").size() == 4u);
  BOOST_TEST(r.count(TraceKind::step_failed) == 0u);
  BOOST_TEST(r.count(TraceKind::step_finished) == 48u);
  BOOST_TEST(r.matching("stage_started") ==
                 (std::vector<std::string>{"0 stage_started", "44 stage_started"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.lines.back() == "88 run_finished");
  // Two of four always run: the pool keeps quorum and its users never notice.
  BOOST_TEST(r.violations.empty(), violation_text(r));
  BOOST_TEST(r.count(TraceKind::users_disconnected) == 0u);
  BOOST_TEST(r.impact.users_affected == 0u);
  BOOST_TEST(r.impact.disconnected_user_ms == 0);
}

// 2. A domain of three in a pool of four: stopping it leaves one front end, and a pool of four
// needs two. The check answers InsufficientActiveFrontEnds: the plan stops there, without the
// 10-minute retries the step's policy gives to Busy.
BOOST_AUTO_TEST_CASE(insufficient_active_front_ends_stops_the_plan_at_the_gate_without_retry) {
  ScenarioText text;
  text.domains = {{"fe1", "fe2", "fe3"}, {"fe4"}};
  text.stages = {{"fe1", "fe2", "fe3", "fe4"}};
  model::Scenario scenario = load_ok(text);
  without_reboots(scenario);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);

  const std::vector<std::string> tail{
      "4.5 step_started fe1 fe-check-readiness", "4.5 step_started fe2 fe-check-readiness",
      "4.5 step_started fe3 fe-check-readiness", "4.5 step_started fe4 fe-check-readiness",
      "4.75 step_failed fe1 fe-check-readiness", "4.75 plan_stopped fe1 fe-check-readiness",
      "4.75 step_failed fe2 fe-check-readiness", "4.75 step_failed fe3 fe-check-readiness",
      // fe4's own domain of one may stop (three would run), but the plan has stopped.
      "4.75 state_changed fe4 upgrade_readiness=ready", "4.75 step_finished fe4 fe-check-readiness",
      "4.75 run_finished"};
  BOOST_REQUIRE(r.lines.size() >= tail.size());
  const std::vector<std::string> last(r.lines.end() - static_cast<std::ptrdiff_t>(tail.size()),
                                      r.lines.end());
  BOOST_TEST(last == tail, boost::test_tools::per_element());
  BOOST_TEST(r.summary.stopped);
  BOOST_TEST(r.summary.end.time_since_epoch().count() == 4 * minute + 45'000);
  BOOST_TEST(r.matching("fe-stop-services").empty());
  BOOST_TEST(r.matching("attempt 2").empty());
  BOOST_TEST(r.matching("lync_services").empty());
  // The monitors judge each check as it starts; the pool itself never lost quorum.
  BOOST_TEST(violation_text(r) ==
             "upgrade-readiness: the readiness check on fe1.example.com at 22:04:30 finds pool "
             "pool.example.com unable to spare upgrade domain 1 (InsufficientActiveFrontEnds): the "
             "plan stops\n"
             "upgrade-readiness: the readiness check on fe2.example.com at 22:04:30 finds pool "
             "pool.example.com unable to spare upgrade domain 1 (InsufficientActiveFrontEnds): the "
             "plan stops\n"
             "upgrade-readiness: the readiness check on fe3.example.com at 22:04:30 finds pool "
             "pool.example.com unable to spare upgrade domain 1 (InsufficientActiveFrontEnds): the "
             "plan stops");
  BOOST_TEST(r.count(TraceKind::users_disconnected) == 0u);
}

// The same pool updated small domain first: fe4's check says Ready (three of four still run),
// its update completes; then the domain of three is refused at its check, 44 minutes later.
BOOST_AUTO_TEST_CASE(the_domain_of_one_passes_the_gate_and_the_domain_of_three_is_stopped) {
  ScenarioText text;
  text.domains = {{"fe1", "fe2", "fe3"}, {"fe4"}};
  text.stages = {{"fe4"}, {"fe1", "fe2", "fe3"}};
  model::Scenario scenario = load_ok(text);
  without_reboots(scenario);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);

  BOOST_TEST(starts(r, "fe4") == shipped_starts(0), boost::test_tools::per_element());
  BOOST_TEST(r.matching("step_failed") ==
                 (std::vector<std::string>{"48.75 step_failed fe1 fe-check-readiness",
                                           "48.75 step_failed fe2 fe-check-readiness",
                                           "48.75 step_failed fe3 fe-check-readiness"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.matching("plan_stopped") ==
                 std::vector<std::string>{"48.75 plan_stopped fe1 fe-check-readiness"},
             boost::test_tools::per_element());
  BOOST_TEST(r.lines.back() == "48.75 run_finished");
  BOOST_TEST(r.summary.stopped);
  BOOST_TEST(r.matching("step_started fe1 fe-stop-services").empty());
  BOOST_TEST(r.violations_of(check::rules::pool_quorum).empty(), violation_text(r));
  BOOST_TEST(r.violations_of(check::rules::upgrade_readiness).size() == 3u);
}

// Both domains of two in one stage: each check runs while all four front ends still run, so
// each says its own domain may stop, and all four stop together. The gate judges the pool as
// it is, not the plan; the pool-quorum monitor is what reports the plan.
BOOST_AUTO_TEST_CASE(two_domains_checked_at_the_same_instant_both_pass_and_the_pool_stops) {
  ScenarioText text;
  text.stages = {{"fe1", "fe2", "fe3", "fe4"}};
  model::Scenario scenario = load_ok(text);
  without_reboots(scenario);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);

  BOOST_TEST(r.matching("upgrade_readiness=ready").size() == 4u);
  BOOST_TEST(!r.summary.stopped);
  BOOST_TEST(r.summary.end.time_since_epoch().count() == 44 * minute);
  BOOST_TEST(r.violations_of(check::rules::upgrade_readiness).empty());
  const auto quorum = r.violations_of(check::rules::pool_quorum);
  BOOST_REQUIRE(quorum.size() == 1u);
  BOOST_TEST(quorum[0]->message ==
             "pool pool.example.com loses quorum at 22:06:45 (step fe-stop-services on "
             "fe3.example.com): 1 of its first 4 front ends run (1 of all 4), and it needs 2; the "
             "remaining front ends stop every Lync service");
  BOOST_TEST(user_events(r) == (std::vector<std::string>{"6.75 disconnected users 4000",
                                                         "23.75 reconnected users 4000"}),
             boost::test_tools::per_element());
}

// 3. Busy: the check fails with probability 1; the shipped policy waits 10 minutes between
// tries and gives up after the third.
BOOST_AUTO_TEST_CASE(busy_three_times_ten_minutes_apart_then_the_plan_stops) {
  ScenarioText text;
  text.front_end_timing["fe-check-readiness"] =
      R"({"distribution": "fixed", "minutes": 0.25, "failure_probability": 1})";
  text.stages = {{"fe1"}, {"fe3"}};
  model::Scenario scenario = load_ok(text);
  without_reboots(scenario);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);

  const std::vector<std::string> expected{"0 run_started",
                                          "0 stage_started",
                                          "0 step_started fe1 fe-log-on",
                                          "1 state_changed fe1 session=logged_on",
                                          "1 step_finished fe1 fe-log-on",
                                          "1 step_started fe1 fe-extract-update",
                                          "4 state_changed fe1 update_package=extracted",
                                          "4 step_finished fe1 fe-extract-update",
                                          "4 step_started fe1 fe-open-shell",
                                          "4.5 state_changed fe1 management_shell=open",
                                          "4.5 step_finished fe1 fe-open-shell",
                                          "4.5 step_started fe1 fe-check-readiness",
                                          "4.75 step_failed fe1 fe-check-readiness",
                                          "14.75 step_started fe1 fe-check-readiness attempt 2",
                                          "15 step_failed fe1 fe-check-readiness attempt 2",
                                          "25 step_started fe1 fe-check-readiness attempt 3",
                                          "25.25 step_failed fe1 fe-check-readiness attempt 3",
                                          "25.25 plan_stopped fe1 fe-check-readiness attempt 3",
                                          "25.25 run_finished"};
  BOOST_TEST(r.lines == expected, boost::test_tools::per_element());
  BOOST_TEST(r.summary.stopped);
  BOOST_TEST(r.summary.end.time_since_epoch().count() == 25 * minute + 15'000);
}

// Busy first, then InsufficientActiveFrontEnds: fe1's first check is Busy; while it waits, the
// other domain's fe3 (same stage) stops its services, so the second check finds that the pool
// cannot spare fe1's domain (only fe4 would run) and stops the plan, without a third try; the
// upgrade-readiness monitor judges every attempt, so it reports that second one.
BOOST_AUTO_TEST_CASE(a_busy_check_retried_after_another_domain_stopped_stops_the_plan) {
  ScenarioText text;
  text.server_timing["fe1.example.com"] =
      R"({"fe-check-readiness": {"distribution": "fixed", "minutes": 0.25,
          "failure_probability": 1}})";
  text.stages = {{"fe1", "fe3"}};
  model::Scenario scenario = load_ok(text);
  without_reboots(scenario);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);

  BOOST_TEST(r.matching("fe-check-readiness") ==
                 (std::vector<std::string>{"4.5 step_started fe1 fe-check-readiness",
                                           "4.5 step_started fe3 fe-check-readiness",
                                           "4.75 step_failed fe1 fe-check-readiness",
                                           "4.75 step_finished fe3 fe-check-readiness",
                                           "14.75 step_started fe1 fe-check-readiness attempt 2",
                                           "15 step_failed fe1 fe-check-readiness attempt 2",
                                           "15 plan_stopped fe1 fe-check-readiness attempt 2"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.summary.stopped);
  // fe3's install, in flight when the plan stopped, ends at 19.25; nothing starts it again.
  BOOST_TEST(r.lines.back() == "19.25 run_finished");
  const auto left = r.violations_of(check::rules::services_left_stopped);
  BOOST_REQUIRE(left.size() == 1u);
  BOOST_TEST(left[0]->message ==
             "the Lync services on fe3.example.com are still stopped when the run ends (stopped "
             "by step fe-stop-services); its users stay without service until someone runs "
             "Start-CsWindowsService");
  std::string readiness;
  for (const auto* v : r.violations_of(check::rules::upgrade_readiness)) readiness += v->message;
  BOOST_TEST(readiness ==
             "the readiness check on fe1.example.com at 22:14:45 finds pool pool.example.com "
             "unable to spare upgrade domain 1 (InsufficientActiveFrontEnds): the plan stops");
}

// 4. The graceful stop drains the users signed in on the front end: ceil(10,001 / 4) = 2,501
// users, times the profile's fraction at the hour the step starts, at 0.7 minutes per 1,000.
BOOST_AUTO_TEST_CASE(the_graceful_stop_lasts_its_base_plus_the_drain_of_the_users_signed_in) {
  ScenarioText text;
  text.users = 10'001;
  text.front_end_timing["fe-stop-services"] =
      R"({"distribution": "fixed", "minutes": 2, "drain_per_1000_users_min": 0.7})";
  // 0.5 every hour but 22:00 (0.3) and 23:00 (0.8); the window opens at 22:30.
  text.profile =
      "[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, "
      "0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.3, 0.8]";
  text.window_start = "22:30";
  text.stages = {{"fe1"}, {"fe3"}};
  model::Scenario scenario = load_ok(text);
  without_reboots(scenario);
  const model::ResolvedPlan plan = resolve(scenario);
  BOOST_TEST(plan.servers.at(0).steps.at(4).drain_users == 2501);
  BOOST_TEST(plan.servers.at(0).steps.at(4).timing.drain_per_thousand_users.count() == 42'000);
  const Run r = run(plan);

  // fe1 stops at 22:34:45 (hour 22): 2,501 x 0.3 = 750.3 users, 42,000 ms x 0.7503 =
  // 31,512.6 ms, rounded to 31,513.
  BOOST_TEST(r.step_ms(plan, "fe1.example.com", "fe-stop-services") == 120'000 + 31'513);
  // fe3's stage starts at 44 min 31.513 s, its stop 4.75 minutes later, at 23:19:16.513
  // (hour 23): 2,501 x 0.8 = 2,000.8 users, 42,000 ms x 2.0008 = 84,033.6 ms, rounded to 84,034.
  BOOST_TEST(r.step_ms(plan, "fe3.example.com", "fe-stop-services") == 120'000 + 84'034);
  BOOST_TEST(r.summary.end.time_since_epoch().count() == 88 * minute + 31'513 + 84'034);
  // No other step drains.
  BOOST_TEST(r.step_ms(plan, "fe1.example.com", "fe-install-update") == 12 * minute);
  BOOST_TEST(r.violations.empty(), violation_text(r));
}

// 5. A runbook edited to skip the gate lets three of four front ends stop: one runs, a pool of
// four needs two. The monitor reports it and the pool's users are disconnected until the first
// front end runs again.
BOOST_AUTO_TEST_CASE(without_the_gate_three_of_four_stopped_lose_quorum_and_disconnect_users) {
  ScenarioText text;
  text.front_end_runbook = std::string(gateless_runbook);
  text.front_end_timing = gateless_timing();
  text.stages = {{"fe1", "fe2", "fe3"}};
  const model::Scenario scenario = load_ok(text);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);

  const auto quorum = r.violations_of(check::rules::pool_quorum);
  BOOST_REQUIRE(quorum.size() == 1u);
  BOOST_TEST(quorum[0]->message ==
             "pool pool.example.com loses quorum at 22:03:00 (step fe-stop-services on "
             "fe3.example.com): 1 of its first 4 front ends run (1 of all 4), and it needs 2; the "
             "remaining front ends stop every Lync service");
  BOOST_TEST(quorum[0]->time.time_since_epoch().count() == 3 * minute);
  BOOST_TEST(r.violations.size() == 1u, violation_text(r));
  // The pool's users lose service when fe3 stops and get it back when fe1 runs again.
  BOOST_TEST(user_events(r) == (std::vector<std::string>{"3 disconnected users 4000",
                                                         "14 reconnected users 4000"}),
             boost::test_tools::per_element());
  BOOST_TEST(r.impact.users_affected == 4000u);
  BOOST_TEST(r.impact.disconnected_user_ms == 4000 * 11 * minute);
  BOOST_TEST(r.summary.end.time_since_epoch().count() == 14 * minute);
}

// Two of four stopped keep the table's quorum, but not while the back end, the witness, is down
// (install-update to update-databases, minutes 6 to 11): without it they need a strict majority.
BOOST_AUTO_TEST_CASE(half_the_front_ends_stopped_lose_quorum_while_the_witness_is_down) {
  ScenarioText text;
  text.front_end_runbook = std::string(gateless_runbook);
  text.front_end_timing = gateless_timing();
  text.stages = {{"sql", "fe1", "fe2"}};
  const model::Scenario scenario = load_ok(text);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);

  BOOST_TEST(r.matching("sql backend=") ==
                 (std::vector<std::string>{"6 state_changed sql backend=unavailable",
                                           "11 state_changed sql backend=available"}),
             boost::test_tools::per_element());
  const auto quorum = r.violations_of(check::rules::pool_quorum);
  BOOST_REQUIRE(quorum.size() == 1u);
  BOOST_TEST(quorum[0]->message ==
             "pool pool.example.com loses quorum at 22:06:00 (step install-update on "
             "sql.example.com): its back end, the quorum witness, is unavailable and only 2 of "
             "its 4 front ends run, not a majority; the whole pool stops");
  BOOST_TEST(r.violations.size() == 1u, violation_text(r));
  BOOST_TEST(
      r.matching("users_") == (std::vector<std::string>{"6 users_disconnected sql users 4000",
                                                        "11 users_reconnected sql users 4000"}),
      boost::test_tools::per_element());
  BOOST_TEST(r.impact.disconnected_user_ms == 4000 * 5 * minute);
  BOOST_TEST(r.summary.end.time_since_epoch().count() == 14 * minute);
}

// The same two front ends stopped with the back end up: two of four is the table's quorum.
BOOST_AUTO_TEST_CASE(half_the_front_ends_stopped_keep_quorum_while_the_witness_is_up) {
  ScenarioText text;
  text.front_end_runbook = std::string(gateless_runbook);
  text.front_end_timing = gateless_timing();
  text.stages = {{"fe1", "fe2"}, {"sql"}};
  const model::Scenario scenario = load_ok(text);
  const model::ResolvedPlan plan = resolve(scenario);
  const Run r = run(plan);
  BOOST_TEST(r.violations.empty(), violation_text(r));
  BOOST_TEST(r.count(TraceKind::users_disconnected) == 0u);
}

// The World's answers, which the gate reads: with sql down, a domain of one may stop in a
// pool of four (three run, a majority), a domain of two may not.
BOOST_AUTO_TEST_CASE(the_world_answers_readiness_from_planned_front_ends_and_the_witness) {
  ScenarioText text;
  text.domains = {{"fe1", "fe2"}, {"fe3"}, {"fe4"}};
  text.stages = {{"sql", "fe1", "fe3"}};
  const model::Scenario scenario = load_ok(text);
  const model::ResolvedPlan plan = resolve(scenario);
  sim::Trace trace;
  sim::World world(plan, trace);
  const model::Conditions stopped{{model::StateVariable::lync_services, model::values::stopped}};
  const model::Conditions down{{model::StateVariable::backend, model::values::unavailable}};
  // Planned servers: 0 sql, 1 fe1, 2 fe3.
  BOOST_TEST(world.upgrade_domain_may_stop(1));  // fe1, fe2 down: 2 of 4 run
  BOOST_TEST(world.upgrade_domain_may_stop(2));
  BOOST_TEST(world.pool_running(0));
  world.apply(0, down, TimePoint{});
  BOOST_TEST(!world.back_end_available(0));
  BOOST_TEST(!world.upgrade_domain_may_stop(1));  // 2 of 4 without the witness
  BOOST_TEST(world.upgrade_domain_may_stop(2));   // 3 of 4
  BOOST_TEST(world.pool_running(0));
  world.apply(2, stopped, TimePoint{});
  BOOST_TEST(!world.front_end_running(0, 2));
  BOOST_TEST(world.front_end_running(0, 1));  // fe2 is not planned: it always runs
  BOOST_TEST(world.front_end_running(0, 3));
  BOOST_TEST(world.pool_running(0));              // 3 of 4
  BOOST_TEST(!world.upgrade_domain_may_stop(1));  // fe4 alone
  BOOST_TEST(world.upgrade_domain_may_stop(2));   // fe3 is down already: 3 of 4
  // sql is not a front end: it may always stop.
  BOOST_TEST(world.upgrade_domain_may_stop(0));
}

// model::pool_keeps_running over rows of the table (DOMAIN.md section 3), with and without the
// witness (section 4: then a strict majority of all the front ends as well).
BOOST_AUTO_TEST_CASE(pool_keeps_running_with_and_without_the_witness) {
  // A pool of `size` whose front ends `running` (1-based, topology order) run.
  auto keeps = [](std::size_t size, std::vector<std::size_t> running, bool witness) {
    std::array<bool, 12> flags{};
    for (const std::size_t f : running) flags.at(f - 1) = true;
    return model::pool_keeps_running(size, std::span<const bool>(flags.data(), size), witness);
  };
  // 2 front ends need 1; without the witness, 1 of 2 is no majority.
  BOOST_TEST(keeps(2, {1}, true));
  BOOST_TEST(keeps(2, {2}, true));
  BOOST_TEST(!keeps(2, {1}, false));
  BOOST_TEST(keeps(2, {1, 2}, false));
  BOOST_TEST(!keeps(2, {}, true));
  // 3: any 2, and 2 of 3 is a majority.
  BOOST_TEST(keeps(3, {1, 3}, true));
  BOOST_TEST(keeps(3, {1, 3}, false));
  BOOST_TEST(!keeps(3, {3}, true));
  // 4: any 2; without the witness 3.
  BOOST_TEST(keeps(4, {3, 4}, true));
  BOOST_TEST(!keeps(4, {3, 4}, false));
  BOOST_TEST(keeps(4, {1, 2, 4}, false));
  BOOST_TEST(!keeps(4, {4}, true));
  // 8: any 4 of the first 7; without the witness 5 of 8 as well.
  BOOST_TEST(keeps(8, {1, 2, 3, 4}, true));
  BOOST_TEST(!keeps(8, {1, 2, 3, 4}, false));
  BOOST_TEST(keeps(8, {1, 2, 3, 4, 8}, false));
  BOOST_TEST(!keeps(8, {5, 6, 7, 8}, true));  // 3 of the first 7
  BOOST_TEST(keeps(8, {4, 5, 6, 7, 8}, true));
  BOOST_TEST(keeps(8, {1, 5, 6, 7, 8}, false));  // 4 of the first 7, 5 of 8
  BOOST_TEST(keeps(8, {2, 3, 4, 6, 8}, false));
  BOOST_TEST(!keeps(8, {5, 6, 7, 8}, false));
  // 12: any 5 of the first 9; without the witness 7 of 12 as well.
  BOOST_TEST(keeps(12, {1, 2, 3, 4, 5}, true));
  BOOST_TEST(!keeps(12, {1, 2, 3, 4, 5}, false));
  BOOST_TEST(!keeps(12, {1, 2, 3, 4, 5, 10}, false));  // 6 of 12: half, not more
  BOOST_TEST(keeps(12, {1, 2, 3, 4, 5, 10, 11}, false));
  BOOST_TEST(!keeps(12, {6, 7, 8, 9, 10, 11, 12}, true));  // 4 of the first 9
  BOOST_TEST(!keeps(12, {6, 7, 8, 9, 10, 11, 12}, false));
  BOOST_TEST(keeps(12, {5, 6, 7, 8, 9, 10, 11}, false));  // 5 of the first 9, 7 of 12
  // No front ends: no pool.
  BOOST_TEST(!keeps(0, {}, true));
}

// 6. What the loader refuses: a front end planned without a front-end runbook (once, at its
// first mention in the plan), and a front-end runbook reusing a step id of the runbook.
BOOST_AUTO_TEST_CASE(a_front_end_needs_a_front_end_runbook) {
  ScenarioText text;
  text.front_end_runbook.clear();
  text.front_end_timing.clear();
  text.stages = {{"sql", "fe1"}, {"fe2"}};
  BOOST_TEST(rendered(load(text)) ==
                 std::vector<std::string>{
                     "fe.json: error: /plan/stages/0/1: \"fe1.example.com\" is a front end, and "
                     "the scenario has no \"front_end_runbook\"; add one (the shipped one is "
                     "\"frontend-update\")"},
             boost::test_tools::per_element());
  // Without front ends in the plan, the scenario loads.
  text.stages = {{"sql"}};
  BOOST_TEST(load(text).has_value());
}

BOOST_AUTO_TEST_CASE(a_front_end_runbook_step_id_must_differ_from_the_runbook_s) {
  ScenarioText text;
  std::string runbook(gateless_runbook);
  runbook.replace(runbook.find("\"fe-stop-services\""), 18, "\"stop-services\"");
  text.front_end_runbook = runbook;
  text.front_end_timing = gateless_timing();
  text.front_end_timing.erase("fe-stop-services");
  text.stages = {{"fe1"}};
  BOOST_TEST(rendered(load(text)) ==
                 std::vector<std::string>{
                     "fe.json: error: /front_end_runbook: step id \"stop-services\" is also a step "
                     "of \"runbook\"; the front-end runbook's step ids must differ, since timing "
                     "is keyed by step id"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
