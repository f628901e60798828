// `live --status`: what a journal says, server by server, and what `--resume` would do next.
#include "live_status.hpp"

#include <fmt/format.h>

#include "common.hpp"
#include "lyncupdate/live/journal.hpp"
#include "lyncupdate/live/journal_lock.hpp"

namespace lyncupdate::app {
namespace {

// Where a step stands in the journal: its latest attempt decides.
enum class StepState : std::uint8_t { done, failed, unknown_end, probed_not_done, not_started };

struct StepStanding {
  StepState state = StepState::not_started;
  const live::AttemptSummary* attempt = nullptr;  // the latest; null when never started
};

StepStanding standing(const live::JournalSummary& summary, const std::string& server,
                      const std::string& step) {
  StepStanding out;
  for (const live::AttemptSummary& attempt : summary.attempts) {
    if (attempt.key.server != server || attempt.key.step != step) continue;
    if (out.attempt == nullptr || attempt.key.attempt >= out.attempt->key.attempt) {
      out.attempt = &attempt;
    }
  }
  if (out.attempt == nullptr) return out;
  switch (out.attempt->state) {
    case live::AttemptState::finished: {
      const auto outcome = out.attempt->outcome.value_or(live::AttemptOutcome::failed);
      const bool failed =
          outcome == live::AttemptOutcome::failed || outcome == live::AttemptOutcome::timed_out;
      out.state = failed ? StepState::failed : StepState::done;
      break;
    }
    case live::AttemptState::settled_done:
      out.state = StepState::done;
      break;
    case live::AttemptState::started:
      out.state = StepState::unknown_end;
      break;
    case live::AttemptState::settled_not_done:
      out.state = StepState::probed_not_done;
      break;
  }
  return out;
}

// The output tail on one line: a journal's text from a server never moves the cursor.
std::string one_line(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    out += byte < 0x20 || byte == 0x7f ? ' ' : c;
  }
  constexpr std::size_t keep = 120;
  if (out.size() > keep) out = "..." + out.substr(out.size() - keep);
  return out;
}

std::string probe_text(const model::ResolvedStep& step) {
  return fmt::format("its probe `{}` (done when {})", script_line(step.probe->pipeline),
                     holds_when(*step.probe));
}

// The outcome record that finished `key` last.
const live::Outcome* last_outcome(const live::Journal& journal, const live::AttemptKey& key) {
  const live::Outcome* found = nullptr;
  for (const live::Record& record : journal.records) {
    const auto* outcome = std::get_if<live::Outcome>(&record);
    if (outcome != nullptr && outcome->server == key.server && outcome->step == key.step &&
        outcome->attempt == key.attempt) {
      found = outcome;
    }
  }
  return found;
}

std::string step_line(const live::Journal& journal, const model::ResolvedStep& step,
                      const StepStanding& standing) {
  const std::string& id = step.definition->id;
  switch (standing.state) {
    case StepState::done:
      return fmt::format("  done          {}{}\n", id,
                         standing.attempt->state == live::AttemptState::settled_done
                             ? " (settled by its probe)"
                             : "");
    case StepState::failed: {
      const live::AttemptSummary& a = *standing.attempt;
      const live::Outcome* outcome = last_outcome(journal, a.key);
      std::string how = outcome != nullptr && outcome->exit_code
                            ? fmt::format(", exit {}", *outcome->exit_code)
                            : std::string();
      if (outcome != nullptr && !outcome->output_tail.empty()) {
        how += ": " + one_line(outcome->output_tail);
      }
      return fmt::format("  FAILED        {} (attempt {}: {} after {} ms{})\n", id, a.key.attempt,
                         live::outcome_name(a.outcome.value_or(live::AttemptOutcome::failed)),
                         a.duration.count(), how);
    }
    case StepState::unknown_end:
      return fmt::format("  STARTED       {} (attempt {}: no outcome, its end is unknown)\n", id,
                         standing.attempt->key.attempt);
    case StepState::probed_not_done:
      return fmt::format("  not done      {} (its probe found it not done)\n", id);
    case StepState::not_started:
      break;
  }
  return fmt::format("  not started   {}\n", id);
}

// What `--resume` does with `step`, the first of its server that is not done.
std::string next_action(const model::ResolvedStep& step, StepState state) {
  const std::string& id = step.definition->id;
  const model::StepKind kind = step.definition->kind;
  const bool harmless = kind == model::StepKind::manual || kind == model::StepKind::wait;
  switch (state) {
    case StepState::failed: {
      std::string text =
          fmt::format("  --resume stops again at {}: its failure is replayed, nothing runs\n", id);
      if (step.probe) {
        text += fmt::format(
            "  --resume --retry-failed runs {} first, and runs {} again only if the probe says "
            "it did not complete\n",
            probe_text(step), id);
      } else if (harmless || step.definition->gate) {
        text += fmt::format("  --resume --retry-failed runs {} again\n", id);
      } else {
        text += fmt::format(
            "  --resume --retry-failed stops too: {} has no probe to tell whether it did part of "
            "its work; check the server by hand\n",
            id);
      }
      return text;
    }
    case StepState::unknown_end:
      if (step.probe) {
        return fmt::format("  --resume runs {}, and runs {} again only if it did not finish\n",
                           probe_text(step), id);
      }
      if (kind == model::StepKind::manual) {
        return fmt::format("  --resume asks the operator again: {}\n", step.definition->title);
      }
      return fmt::format(
          "  --resume stops at {}: it has no probe to tell whether it ran; check the server by "
          "hand\n",
          id);
    case StepState::probed_not_done:
    case StepState::not_started:
      if (step.probe) {
        return fmt::format("  --resume runs {} first, and runs {} only if it is not done\n",
                           probe_text(step), id);
      }
      if (kind == model::StepKind::manual) {
        return fmt::format("  --resume asks the operator (or runs its unattended check): {}\n",
                           step.definition->title);
      }
      return fmt::format("  --resume runs {}\n", id);
    case StepState::done:
      break;
  }
  return {};
}

std::string render_server(const model::ResolvedServer& server, const live::Journal& journal,
                          const live::JournalSummary& summary) {
  std::string steps;
  std::size_t done = 0;
  std::string next;
  for (const model::ResolvedStep& step : server.steps) {
    const StepStanding s = standing(summary, server.target.fqdn, step.definition->id);
    steps += step_line(journal, step, s);
    if (s.state == StepState::done) {
      ++done;
    } else if (next.empty()) {
      next = next_action(step, s.state);
    }
  }
  if (next.empty()) next = "  --resume has nothing left to do on this server\n";
  return fmt::format("{}: {} of {} steps done\n", server.target.fqdn, done, server.steps.size()) +
         steps + next;
}

std::string render_session(const std::filesystem::path& journal) {
  const auto holder = live::JournalLock::holder(journal);
  if (!holder) return fmt::format("session: {}\n", holder.error());
  if (!*holder) return "session: none holds the journal now\n";
  const live::LockHolder& h = **holder;
  if (h.host.empty() && h.pid == 0) {
    return "session: a session that is starting holds the journal: --resume would be refused\n";
  }
  return fmt::format(
      "session: pid {} on host {} holds the journal since {}: --resume would be refused while "
      "it runs\n",
      h.pid, h.host, h.started_utc);
}

std::string render_ending(const live::Journal& journal) {
  if (journal.records.empty()) return "nothing has run yet";
  const live::Record& last = journal.records.back();
  if (std::holds_alternative<live::Finished>(last)) return "the plan ran to its end";
  if (const auto* stop = std::get_if<live::Stop>(&last)) {
    return "the run stopped: " + one_line(stop->reason);
  }
  return "the journal ends without a stop record: a session died, or one still runs";
}

}  // namespace

std::string script_line(const live::Pipeline& pipeline) {
  const std::string script = live::powershell_script(pipeline);
  const auto first = script.find('\n');
  const auto last = script.rfind('\n', script.size() - 2);
  return script.substr(first + 1, last - first - 1);
}

std::string holds_when(const model::CommandCheck& check) {
  if (!check.present.empty()) return fmt::format("exit 0 with \"{}\" in the output", check.present);
  if (!check.absent.empty())
    return fmt::format("exit 0 without \"{}\" in the output", check.absent);
  return "exit 0";
}

int live_status(const model::ResolvedPlan& plan, const std::string& sha256,
                const std::filesystem::path& journal) {
  auto read = live::read_journal(journal);
  if (!read) {
    write_err(fmt::format("lyncupdate: live: {}; nothing was run\n", read.error()));
    return exit_bad_input;
  }
  if (read->header.scenario_sha256 != sha256) {
    write_err(fmt::format(
        "lyncupdate: live: {}:1: error: the journal records a run of another scenario text "
        "(SHA-256 {}); expected {}; nothing was run\n",
        journal.string(), read->header.scenario_sha256, sha256));
    return exit_bad_input;
  }
  const live::JournalSummary summary = live::summarize(*read);
  std::size_t sessions = 1;
  for (const live::Record& record : read->records) {
    if (std::holds_alternative<live::Resume>(record)) ++sessions;
  }
  std::string text = fmt::format(
      "status: journal {}: scenario {}, started {} over {}, {} session{}; {}\n", journal.string(),
      one_line(read->header.scenario), one_line(read->header.started_utc),
      one_line(read->header.transport), sessions, sessions == 1 ? "" : "s", render_ending(*read));
  text += render_session(journal);
  if (read->torn) {
    text += fmt::format("torn: line {} was cut short ({}); --resume cuts it off\n",
                        read->torn->line, read->torn->reason);
  }
  for (const model::ResolvedServer& server : plan.servers)
    text += render_server(server, *read, summary);
  text += "status: nothing was run\n";
  write_out(text);
  return exit_clean;
}

}  // namespace lyncupdate::app
