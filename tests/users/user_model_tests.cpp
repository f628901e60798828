// What the update does to users (DOMAIN.md sections 2 and 3), on small deterministic cases:
// every user signed in for the whole run (profile 1, fixed sessions of ten hours), fixed
// step durations, so that every time and every user-millisecond is exact.
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lyncupdate/simulator/users.hpp"

using namespace lyncupdate;
using namespace std::chrono_literals;
using model::Condition;
using model::Operation;
using model::StateVariable;
using sim::TraceKind;

namespace {

constexpr std::int64_t minute = 60'000;

model::RunbookStep step(std::string id, model::Conditions on_start, model::Conditions on_finish) {
  model::RunbookStep s;
  s.id = std::move(id);
  s.title = s.id;
  s.kind = model::StepKind::manual;
  s.article_step = 1;
  s.on_start = std::move(on_start);
  s.on_finish = std::move(on_finish);
  return s;
}

model::StepTiming fixed(Duration d) {
  model::StepTiming t;
  t.duration.low = d;
  return t;
}

// A pool of two front ends with 5 users (back end sql), a Standard Edition server with 3 users
// paired with a second one unless `backup` is false. The runbook: "prepare" (1 minute), "down" (the
// back end unavailable from its start) and "up" (available again at its end). `outage` is
// split between "down" (all but 5 minutes) and "up" (5 minutes).
model::Scenario scenario(Duration outage, bool backup = true) {
  model::Scenario s;
  s.name = "users";
  model::EnterprisePool pool;
  pool.fqdn = "pool.example.com";
  pool.front_ends = {"fe1.example.com", "fe2.example.com"};
  pool.users = 5;
  pool.back_end.fqdn = "sql.example.com";
  s.topology.pools.push_back(pool);
  // Standard Edition pairs only with Standard Edition (DOMAIN.md section 7): the backup is a
  // second server without users, which the plan does not update.
  s.topology.standard_edition_servers.push_back(
      {"se.example.com",
       3,
       backup ? std::optional<std::string>("se2.example.com") : std::nullopt,
       {}});
  if (backup) {
    s.topology.standard_edition_servers.push_back(
        {"se2.example.com", 0, std::optional<std::string>("se.example.com"), {}});
  }
  const Condition unavailable{StateVariable::backend, model::values::unavailable};
  const Condition available{StateVariable::backend, model::values::available};
  s.runbook.steps = {step("prepare", {}, {}), step("down", {unavailable}, {}),
                     step("up", {}, {available})};
  s.timing.steps = {{"prepare", fixed(1min)}, {"down", fixed(outage - 5min)}, {"up", fixed(5min)}};
  s.users.profile.fill(1.0);
  s.users.session_length = model::SessionLength::fixed;
  s.users.session_mean = 600min;
  s.users.rates_per_hour.fill(120.0);  // two a minute per user: never zero over a minute
  return s;
}

struct Run {
  sim::RunSummary summary;
  sim::UserImpact impact;
  std::vector<sim::TraceEvent> user_events;  // the user model's trace events

  std::size_t count(TraceKind kind) const {
    return static_cast<std::size_t>(
        std::ranges::count_if(user_events, [&](const auto& e) { return e.kind == kind; }));
  }
  const sim::TraceEvent& first(TraceKind kind) const {
    const auto it =
        std::ranges::find_if(user_events, [&](const auto& e) { return e.kind == kind; });
    BOOST_REQUIRE(it != user_events.end());
    return *it;
  }
};

Run run(const model::Scenario& s, std::uint64_t seed = 1) {
  auto plan = model::resolve_plan(s);
  BOOST_REQUIRE(plan.has_value());
  sim::TraceRecorder recorder;
  sim::TraceObserver* observers[] = {&recorder};
  Run out;
  out.summary = sim::simulate_run(*plan, seed, 0, observers, &out.impact);
  for (const sim::TraceEvent& e : recorder.events()) {
    if (sim::is_user_event(e.kind)) out.user_events.push_back(e);
  }
  return out;
}

std::int64_t ms(TimePoint t) { return t.time_since_epoch().count(); }

std::uint64_t failed(const Run& r, Operation o) {
  return r.impact.failed[static_cast<std::size_t>(o)];
}
std::uint64_t attempted(const Run& r, Operation o) {
  return r.impact.attempted_impaired[static_cast<std::size_t>(o)];
}

}  // namespace

BOOST_AUTO_TEST_SUITE(user_model)

BOOST_AUTO_TEST_CASE(a_back_end_down_29_minutes_costs_the_users_nothing) {
  model::Scenario s = scenario(29min);
  s.plan.stages = {{"sql.example.com"}};
  const Run r = run(s);
  BOOST_TEST(r.impact.users == 8u);
  BOOST_TEST(r.impact.sessions == 8u);
  BOOST_TEST(r.user_events.empty());
  BOOST_TEST(r.impact.users_affected == 0u);
  BOOST_TEST(r.impact.resiliency_user_ms == 0);
  BOOST_TEST(r.impact.disconnected_user_ms == 0);
  BOOST_TEST(r.impact.failed_operations() == 0u);
  BOOST_TEST(r.impact.conferences_ended == 0u);
  BOOST_TEST(ms(r.summary.end) == 30 * minute);
}

BOOST_AUTO_TEST_CASE(at_31_minutes_the_pool_is_in_resiliency_mode_for_the_last_minute) {
  model::Scenario s = scenario(31min);
  s.plan.stages = {{"sql.example.com"}};
  const Run r = run(s);
  // Down from minute 1 (start of "down") to minute 32 (end of "up").
  BOOST_TEST(r.user_events.size() == 2u);
  const auto& entered = r.first(TraceKind::resiliency_entered);
  BOOST_TEST(ms(entered.time) == 31 * minute);
  BOOST_TEST(entered.count == 5u);
  BOOST_TEST(entered.server == 0u);
  BOOST_TEST(ms(r.first(TraceKind::resiliency_left).time) == 32 * minute);
  BOOST_TEST(r.impact.users_affected == 5u);
  BOOST_TEST(r.impact.resiliency_user_ms == 5 * minute);
  BOOST_TEST(r.impact.disconnected_user_ms == 0);
  // Persistent writes, meetings, ad-hoc conferences and call park fail, presence is not
  // published: every one attempted in resiliency mode fails, and some were attempted.
  for (const Operation o :
       {Operation::contact_change, Operation::meeting_schedule, Operation::call_park,
        Operation::presence, Operation::conference_organise}) {
    BOOST_TEST_CONTEXT(model::operation_name(o)) {
      BOOST_TEST(attempted(r, o) > 0u);
      BOOST_TEST(failed(r, o) == attempted(r, o));
    }
  }
  // Peer-to-peer IM and calls, and joining conferences, keep working.
  for (const Operation o : {Operation::im, Operation::call, Operation::conference_join}) {
    BOOST_TEST_CONTEXT(model::operation_name(o)) {
      BOOST_TEST(attempted(r, o) > 0u);
      BOOST_TEST(failed(r, o) == 0u);
    }
  }
  // The exact draws of seed 1: ten expected per operation (5 user-minutes at 2 a minute).
  BOOST_TEST(attempted(r, Operation::contact_change) == 9u);
  BOOST_TEST(failed(r, Operation::im) == 0u);
  // Conferences the users organised in the last 30 minutes (150 user-minutes at 2 a minute).
  BOOST_TEST(r.impact.conferences_ended > 200u);
  BOOST_TEST(r.impact.conferences_ended < 400u);
}

BOOST_AUTO_TEST_CASE(exactly_at_the_limit_resiliency_mode_is_entered_for_no_time) {
  model::Scenario s = scenario(30min);
  s.plan.stages = {{"sql.example.com"}};
  const Run r = run(s);
  BOOST_TEST(r.count(TraceKind::resiliency_entered) == 1u);
  BOOST_TEST(r.count(TraceKind::resiliency_left) == 1u);
  BOOST_TEST(ms(r.first(TraceKind::resiliency_entered).time) == 31 * minute);
  BOOST_TEST(r.impact.users_affected == 5u);
  BOOST_TEST(r.impact.resiliency_user_ms == 0);
  BOOST_TEST(r.impact.failed_operations() == 0u);
  BOOST_TEST(r.impact.conferences_ended > 0u);  // they end when resiliency mode begins
}

BOOST_AUTO_TEST_CASE(the_limit_is_the_scenarios) {
  model::Scenario s = scenario(12min);
  s.plan.stages = {{"sql.example.com"}};
  s.limits.backend_outage_limit = 10min;
  const Run r = run(s);
  BOOST_TEST(ms(r.first(TraceKind::resiliency_entered).time) == 11 * minute);
  BOOST_TEST(r.impact.resiliency_user_ms == 5 * 2 * minute);
}

BOOST_AUTO_TEST_CASE(a_standard_edition_server_fails_over_after_120s_and_back_240s_after) {
  model::Scenario s = scenario(10min);
  s.plan.stages = {{"se.example.com"}};
  const Run r = run(s);
  // Down from minute 1 to minute 11.
  BOOST_TEST(r.user_events.size() == 3u);
  const auto& lost = r.first(TraceKind::users_disconnected);
  BOOST_TEST(ms(lost.time) == 1 * minute);
  BOOST_TEST(lost.count == 3u);
  BOOST_TEST(ms(r.first(TraceKind::users_failed_over).time) == 1 * minute + 120'000);
  BOOST_TEST(ms(r.first(TraceKind::users_failed_back).time) == 11 * minute + 240'000);
  BOOST_TEST(r.impact.users_affected == 3u);
  BOOST_TEST(r.impact.disconnected_user_ms == 3 * 120'000);
  BOOST_TEST(r.impact.resiliency_user_ms == 3 * (8 * minute + 240'000));
  // The plan ends at minute 11; the users' tally when they are back home.
  BOOST_TEST(ms(r.summary.end) == 11 * minute);
  BOOST_TEST(ms(r.impact.closed) == 11 * minute + 240'000);
  // Disconnected, even peer-to-peer fails; on the backup pool it works again.
  BOOST_TEST(failed(r, Operation::im) > 0u);
  BOOST_TEST(failed(r, Operation::im) < attempted(r, Operation::im));
  BOOST_TEST(failed(r, Operation::contact_change) == attempted(r, Operation::contact_change));
}

BOOST_AUTO_TEST_CASE(the_registrar_timers_are_the_scenarios) {
  model::Scenario s = scenario(10min);
  s.plan.stages = {{"se.example.com"}};
  s.users.failover_timer = 30s;
  s.users.failback_timer = 60s;
  const Run r = run(s);
  BOOST_TEST(ms(r.first(TraceKind::users_failed_over).time) == 1 * minute + 30'000);
  BOOST_TEST(ms(r.first(TraceKind::users_failed_back).time) == 12 * minute);
  BOOST_TEST(r.impact.disconnected_user_ms == 3 * 30'000);
}

BOOST_AUTO_TEST_CASE(without_a_backup_pool_every_operation_fails_until_the_server_is_back) {
  model::Scenario s = scenario(10min, false);
  s.plan.stages = {{"se.example.com"}};
  const Run r = run(s);
  BOOST_TEST(r.user_events.size() == 2u);
  BOOST_TEST(ms(r.first(TraceKind::users_reconnected).time) == 11 * minute);
  BOOST_TEST(r.count(TraceKind::users_failed_over) == 0u);
  BOOST_TEST(r.impact.disconnected_user_ms == 3 * 10 * minute);
  BOOST_TEST(r.impact.resiliency_user_ms == 0);
  for (std::size_t o = 0; o < model::operation_count; ++o) {
    BOOST_TEST_CONTEXT(model::operation_name(static_cast<Operation>(o))) {
      BOOST_TEST(r.impact.attempted_impaired[o] > 0u);
      BOOST_TEST(r.impact.failed[o] == r.impact.attempted_impaired[o]);
    }
  }
  BOOST_TEST(ms(r.impact.closed) == 11 * minute);
}

BOOST_AUTO_TEST_CASE(back_within_the_failover_timer_the_users_simply_reconnect) {
  model::Scenario s = scenario(6min);  // "down" 1 minute, "up" 5: down 6 minutes
  s.users.failover_timer = 7min;
  s.plan.stages = {{"se.example.com"}};
  const Run r = run(s);
  BOOST_TEST(r.count(TraceKind::users_failed_over) == 0u);
  BOOST_TEST(ms(r.first(TraceKind::users_reconnected).time) == 7 * minute);
  BOOST_TEST(r.impact.disconnected_user_ms == 3 * 6 * minute);
}

BOOST_AUTO_TEST_CASE(back_exactly_when_the_failover_timer_runs_out_the_users_have_failed_over) {
  model::Scenario s = scenario(7min);  // down from minute 1 to minute 8
  s.users.failover_timer = 7min;
  s.plan.stages = {{"se.example.com"}};
  const Run r = run(s);
  BOOST_TEST(ms(r.first(TraceKind::users_failed_over).time) == 8 * minute);
  BOOST_TEST(ms(r.first(TraceKind::users_failed_back).time) == 8 * minute + 240'000);
  BOOST_TEST(r.count(TraceKind::users_reconnected) == 0u);
  BOOST_TEST(r.impact.disconnected_user_ms == 3 * 7 * minute);
  BOOST_TEST(r.impact.resiliency_user_ms == 3 * 240'000);
}

BOOST_AUTO_TEST_CASE(the_mirror_of_a_back_end_costs_the_users_nothing) {
  model::Scenario s = scenario(40min);
  s.topology.pools[0].back_end.mirror = "mirror.example.com";
  s.plan.stages = {{"mirror.example.com"}};
  const Run r = run(s);
  BOOST_TEST(r.user_events.empty());
  BOOST_TEST(r.impact.users_affected == 0u);
}

BOOST_AUTO_TEST_CASE(nobody_signed_in_nobody_affected) {
  model::Scenario s = scenario(40min);
  s.users.profile.fill(0.0);
  s.plan.stages = {{"sql.example.com"}, {"se.example.com"}};
  const Run r = run(s);
  BOOST_TEST(r.impact.sessions == 0u);
  BOOST_TEST(r.impact.users_affected == 0u);
  BOOST_TEST(r.impact.resiliency_user_ms == 0);
  BOOST_TEST(r.first(TraceKind::resiliency_entered).count == 0u);
}

BOOST_AUTO_TEST_CASE(users_signing_in_during_an_outage_are_affected) {
  // A few users on at first, many sessions a run: with 8,000 users at 5% and sessions of
  // 20 minutes, hundreds sign in during a 60-minute outage.
  model::Scenario s = scenario(60min);
  s.topology.pools[0].users = 8000;
  s.users.profile.fill(0.05);
  s.users.session_length = model::SessionLength::exponential;
  s.users.session_mean = 20min;
  s.plan.stages = {{"sql.example.com"}};
  const Run r = run(s);
  const std::uint32_t on_at_onset = r.first(TraceKind::resiliency_entered).count;
  BOOST_TEST(on_at_onset > 300u);
  BOOST_TEST(on_at_onset < 500u);
  BOOST_TEST(r.impact.users_affected > on_at_onset + 100);
  BOOST_TEST(r.impact.sessions > 1000u);
  // Same seed, same everything; another seed, other draws.
  const Run again = run(s);
  BOOST_TEST(again.impact.users_affected == r.impact.users_affected);
  BOOST_TEST(again.impact.resiliency_user_ms == r.impact.resiliency_user_ms);
  BOOST_TEST(again.impact.failed == r.impact.failed);
  const Run other = run(s, 2);
  BOOST_TEST(other.impact.resiliency_user_ms != r.impact.resiliency_user_ms);
}

BOOST_AUTO_TEST_CASE(the_users_never_change_the_plans_draws) {
  model::Scenario s = scenario(40min);
  s.timing.steps["down"].duration.kind = model::Distribution::Kind::uniform;
  s.timing.steps["down"].duration.low = 20min;
  s.timing.steps["down"].duration.high = 40min;
  s.plan.stages = {{"sql.example.com"}};
  const Run with_users = run(s, 7);
  s.users.profile.fill(0.0);
  s.users.rates_per_hour.fill(0.0);
  const Run without = run(s, 7);
  BOOST_TEST(ms(with_users.summary.end) == ms(without.summary.end));
}

BOOST_AUTO_TEST_SUITE_END()
