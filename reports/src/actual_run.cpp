// A live journal placed on the rehearsal's time axis, with each server's real outages
// replayed from the plan's declared effects on the back end.

#include "lyncupdate/reports/actual_run.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <utility>

namespace lyncupdate::reports {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-compatible
// low-level date algorithms").
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = m > 2 ? m - 3 : m + 9;  // March = 0
  const unsigned doy = (153 * mp + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<unsigned> digits(std::string_view text, std::size_t at, std::size_t count) {
  unsigned value = 0;
  const char* first = text.data() + at;
  const auto [end, error] = std::from_chars(first, first + count, value);
  if (error != std::errc() || end != first + count) return std::nullopt;
  return value;
}

// What makes `server`'s back end unavailable (true) or available (false) among `effects`:
// the last assignment of the variable wins, as when the world applies them in order.
std::optional<bool> backend_effect(const model::Conditions& effects) {
  std::optional<bool> unavailable;
  for (const model::Condition& c : effects) {
    if (c.variable == model::StateVariable::backend) unavailable = c.value != 0;
  }
  return unavailable;
}

TimePoint at_axis(Duration offset, Duration at) { return TimePoint{} + offset + at; }

}  // namespace

std::optional<std::int64_t> parse_utc(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SSZ
  if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != 'Z') {
    return std::nullopt;
  }
  const auto year = digits(text, 0, 4), month = digits(text, 5, 2), day = digits(text, 8, 2);
  const auto hour = digits(text, 11, 2), minute = digits(text, 14, 2), second = digits(text, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second || *month < 1 || *month > 12 ||
      *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  return days_from_civil(*year, *month, *day) * 86'400 + *hour * 3600 + *minute * 60 + *second;
}

std::string_view actual_outcome_name(ActualAttempt::Outcome outcome) {
  switch (outcome) {
    case ActualAttempt::Outcome::succeeded:
      return "succeeded";
    case ActualAttempt::Outcome::failed:
      return "failed";
    case ActualAttempt::Outcome::reboot_required:
      return "reboot_required";
    case ActualAttempt::Outcome::timed_out:
      return "timed_out";
    case ActualAttempt::Outcome::unknown:
      return "end unknown";
    case ActualAttempt::Outcome::probed_done:
      return "finished (probe)";
    case ActualAttempt::Outcome::probed_not_done:
      return "not finished (probe)";
  }
  return "";
}

ActualRun actual_run(const model::ResolvedPlan& plan, const live::Journal& journal) {
  ActualRun run;
  run.journal = journal.path.string();
  run.header = journal.header;
  if (journal.torn) run.torn_line = journal.torn->line;
  run.sessions.push_back({journal.header.started_utc, Duration{}, false, TimePoint{}});
  const std::optional<std::int64_t> first_start = parse_utc(journal.header.started_utc);

  // Planned servers by FQDN, and their steps by id.
  std::map<std::string, std::uint16_t, std::less<>> servers;
  std::vector<std::map<std::string, std::uint16_t, std::less<>>> steps(plan.servers.size());
  for (std::size_t s = 0; s < plan.servers.size(); ++s) {
    servers.emplace(plan.servers[s].target.fqdn, static_cast<std::uint16_t>(s));
    for (std::size_t i = 0; i < plan.servers[s].steps.size(); ++i) {
      steps[s].emplace(plan.servers[s].steps[i].definition->id, static_cast<std::uint16_t>(i));
    }
  }
  // The latest intent of each attempt: a later intent for the same attempt starts it afresh.
  std::map<std::tuple<std::uint16_t, std::uint16_t, std::uint32_t>, std::size_t> latest;
  const auto locate =
      [&](const std::string& server,
          const std::string& step) -> std::optional<std::pair<std::uint16_t, std::uint16_t>> {
    const auto s = servers.find(server);
    if (s == servers.end()) return std::nullopt;
    const auto i = steps[s->second].find(step);
    if (i == steps[s->second].end()) return std::nullopt;
    return std::pair{s->second, i->second};
  };
  const auto attempt_of = [&](const std::string& server, const std::string& step,
                              std::uint32_t attempt) -> ActualAttempt* {
    const auto where = locate(server, step);
    if (!where) return nullptr;
    const auto found = latest.find({where->first, where->second, attempt});
    return found == latest.end() ? nullptr : &run.attempts[found->second];
  };

  // A new attempt at `time`; a later one of the same key replaces it as the latest.
  const auto start_attempt = [&](std::pair<std::uint16_t, std::uint16_t> where,
                                 std::uint32_t attempt, std::size_t session,
                                 TimePoint time) -> ActualAttempt& {
    ActualAttempt a;
    a.server = where.first;
    a.step = where.second;
    a.attempt = attempt;
    a.session = session;
    a.begin = time;
    a.end = time;
    latest[{a.server, a.step, a.attempt}] = run.attempts.size();
    run.attempts.push_back(std::move(a));
    return run.attempts.back();
  };

  for (const live::Record& record : journal.records) {
    if (const auto* resume = std::get_if<live::Resume>(&record)) {
      const TimePoint previous = run.sessions.back().last;
      ActualSession session{resume->started_utc, previous.time_since_epoch(), false, previous};
      const std::optional<std::int64_t> start = parse_utc(resume->started_utc);
      if (first_start && start) {
        const Duration real = std::chrono::seconds(*start - *first_start);
        if (TimePoint{} + real >= previous) {
          session.offset = real;
          session.placed_by_clock = true;
        }
      }
      run.sessions.push_back(std::move(session));
    }
    ActualSession& session = run.sessions.back();
    const Duration at = std::visit([](const auto& r) { return r.at; }, record);
    const TimePoint time = at_axis(session.offset, at);
    session.last = std::max(session.last, time);
    run.end = std::max(run.end, time);
    const std::size_t session_index = run.sessions.size() - 1;

    if (const auto* intent = std::get_if<live::Intent>(&record)) {
      const auto where = locate(intent->server, intent->step);
      if (!where) {
        ++run.unplanned_records;
        continue;
      }
      start_attempt(*where, intent->attempt, session_index, time);
    } else if (const auto* outcome = std::get_if<live::Outcome>(&record)) {
      ActualAttempt* a = attempt_of(outcome->server, outcome->step, outcome->attempt);
      if (a == nullptr) {
        ++run.unplanned_records;
        continue;
      }
      a->end = time;
      a->duration = outcome->duration;
      a->exit_code = outcome->exit_code;
      a->output_tail = outcome->output_tail;
      switch (outcome->outcome) {
        case live::AttemptOutcome::succeeded:
          a->outcome = ActualAttempt::Outcome::succeeded;
          break;
        case live::AttemptOutcome::failed:
          a->outcome = ActualAttempt::Outcome::failed;
          break;
        case live::AttemptOutcome::timed_out:
          a->outcome = ActualAttempt::Outcome::timed_out;
          break;
        case live::AttemptOutcome::reboot_required:
          a->outcome = ActualAttempt::Outcome::reboot_required;
          break;
      }
      a->restart_end = time;
      const auto& reboot = plan.servers[a->server].steps[a->step].definition->reboot_required;
      if (a->outcome == ActualAttempt::Outcome::reboot_required && reboot) {
        a->restart_end = time + reboot->duration;
      }
    } else if (const auto* probe = std::get_if<live::Probe>(&record)) {
      ActualAttempt* a = attempt_of(probe->server, probe->step, probe->attempt);
      const auto where = locate(probe->server, probe->step);
      if (a == nullptr && where) {
        // Probed before it ever started (a resumed run): found done, an attempt that took no
        // time; found not done, nothing yet (its intent follows when it runs).
        if (!probe->done) continue;
        a = &start_attempt(*where, probe->attempt, session_index, time);
      }
      if (a == nullptr) {
        ++run.unplanned_records;
        continue;
      }
      // An outcome outranks a probe, as on resume, except a failure that a retry's probe
      // found done after all (--retry-failed).
      const bool failed = a->outcome == ActualAttempt::Outcome::failed ||
                          a->outcome == ActualAttempt::Outcome::timed_out;
      if (a->has_outcome() && !(failed && probe->done)) continue;
      a->outcome = probe->done ? ActualAttempt::Outcome::probed_done
                               : ActualAttempt::Outcome::probed_not_done;
      a->probed_at = time;
    } else if (const auto* stop = std::get_if<live::Stop>(&record)) {
      run.stop_reason = stop->reason;
    } else if (std::holds_alternative<live::Finished>(record)) {
      run.finished = true;
    }
  }
  // An attempt without an outcome was last seen alive when its session's records end.
  for (ActualAttempt& a : run.attempts) {
    if (!a.has_outcome()) a.end = std::max(a.begin, run.sessions[a.session].last);
  }

  // Each server's back end replayed from the declared effects, in time order.
  struct Change {
    TimePoint time;
    bool unavailable;
    std::uint16_t step;
  };
  for (std::size_t s = 0; s < plan.servers.size(); ++s) {
    std::vector<Change> changes;
    for (const ActualAttempt& a : run.attempts) {
      if (a.server != s) continue;
      const model::ResolvedStep& step = plan.servers[s].steps[a.step];
      if (const auto effect = backend_effect(step.on_start)) {
        changes.push_back({a.begin, *effect, a.step});
      }
      std::optional<TimePoint> finished;
      if (a.outcome == ActualAttempt::Outcome::succeeded) finished = a.end;
      if (a.outcome == ActualAttempt::Outcome::reboot_required) finished = a.restart_end;
      if (a.outcome == ActualAttempt::Outcome::probed_done) finished = a.probed_at;
      if (const auto effect = backend_effect(step.on_finish); effect && finished) {
        changes.push_back({*finished, *effect, a.step});
      }
    }
    std::ranges::stable_sort(changes, {}, &Change::time);
    std::optional<check::Outage> open;
    for (const Change& c : changes) {
      if (c.unavailable && !open) {
        open = check::Outage{static_cast<std::uint16_t>(s), c.time, c.time, c.step};
      } else if (!c.unavailable && open) {
        open->end = c.time;
        open->end_step = c.step;
        open->restored = true;
        run.outages.push_back(*open);
        open.reset();
      }
    }
    if (open) {
      open->end = std::max(open->begin, run.end);
      run.outages.push_back(*open);
    }
  }
  return run;
}

}  // namespace lyncupdate::reports
