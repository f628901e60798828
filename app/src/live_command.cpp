// `lyncupdate live`: the gate (static analysis, one rehearsal, verify, Monte Carlo risk), the
// dry run, and the live run: the simulation's executor and monitors with a wall clock and a
// backend that runs the real commands, journaled before and after each.
#include "live_command.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>

#include <fmt/format.h>
#include <unistd.h>

#include "common.hpp"
#include "live_status.hpp"
#include "lyncupdate/checker/monitors.hpp"
#include "lyncupdate/checker/runbook_analysis.hpp"
#include "lyncupdate/checker/verify.hpp"
#include "lyncupdate/live/console.hpp"
#include "lyncupdate/live/guard.hpp"
#include "lyncupdate/live/journal.hpp"
#include "lyncupdate/live/journal_lock.hpp"
#include "lyncupdate/live/live_backend.hpp"
#include "lyncupdate/live/powershell.hpp"
#include "lyncupdate/live/sha256.hpp"
#include "lyncupdate/live/step_journal.hpp"
#include "lyncupdate/live/transport.hpp"
#include "lyncupdate/live/wall_clock.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/model/printable.hpp"
#include "lyncupdate/montecarlo/batch.hpp"
#include "lyncupdate/montecarlo/statistics.hpp"
#include "lyncupdate/simulator/executor.hpp"
#include "lyncupdate/simulator/world.hpp"
#include "lyncupdate/version/version.hpp"
#include "report_command.hpp"

namespace lyncupdate::app {
namespace {

// Set by SIGINT and SIGTERM: the run stops at the next safe point (before a step starts).
// A signal handler can reach nothing else.
std::atomic<bool> interrupt_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_interrupt(int signal) {
  interrupt_requested.store(true);
  // A second Ctrl-C is the operator insisting: the default action then ends the process.
  std::signal(signal, SIG_DFL);
}

// Installs the handlers for the lifetime of a run, then restores the previous ones.
class InterruptScope {
 public:
  InterruptScope() {
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &old_int_);
    sigaction(SIGTERM, &action, &old_term_);
  }
  ~InterruptScope() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

void say(const std::string& line) { write_out(line + "\n"); }

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

bool mentions_update_version(const model::CommandCheck& check) {
  constexpr std::string_view placeholder = "{update_version}";
  for (const auto& stage : check.pipeline) {
    for (const auto& argument : stage) {
      if (argument.find(placeholder) != std::string::npos) return true;
    }
  }
  return check.present.find(placeholder) != std::string::npos ||
         check.absent.find(placeholder) != std::string::npos;
}

bool runs_a_command(model::StepKind kind) {
  return kind != model::StepKind::manual && kind != model::StepKind::wait;
}

// Everything live mode will hand to a transport, checked before anything runs: every
// command, probe and unattended check is a valid pipeline for a valid host.
std::vector<std::string> preflight(const model::ResolvedPlan& plan,
                                   const live::Transport& transport, bool unattended) {
  std::vector<std::string> problems;
  const auto check_pipeline = [&](const model::ResolvedServer& server,
                                  const model::ResolvedStep& step, std::string_view what,
                                  const live::Pipeline& pipeline) {
    const std::string where =
        fmt::format("{}: step {}: {}", server.target.fqdn, step.definition->id, what);
    if (auto problem = live::pipeline_problem(pipeline)) {
      problems.push_back(fmt::format("{}: {}", where, *problem));
      return;
    }
    if (auto argv = transport.argv(server.target.fqdn, pipeline); !argv) {
      problems.push_back(fmt::format("{}: {}", where, argv.error()));
    }
  };
  for (const model::ResolvedServer& server : plan.servers) {
    for (const model::ResolvedStep& step : server.steps) {
      const model::StepKind kind = step.definition->kind;
      if (runs_a_command(kind)) {
        check_pipeline(server, step, "command", live::command_pipeline(step));
      }
      if (step.probe) {
        if (mentions_update_version(*step.probe)) {
          problems.push_back(
              fmt::format("{}: step {}: probe: needs the update's version, and the scenario has no "
                          "live.update_version",
                          server.target.fqdn, step.definition->id));
        } else {
          check_pipeline(server, step, "probe", step.probe->pipeline);
        }
      }
      if (kind == model::StepKind::manual && unattended) {
        if (!step.unattended) {
          problems.push_back(fmt::format(
              "{}: step {}: a manual step without an `unattended` check cannot run with "
              "--unattended",
              server.target.fqdn, step.definition->id));
        } else {
          check_pipeline(server, step, "unattended check", step.unattended->pipeline);
        }
      }
    }
  }
  return problems;
}

struct GateVerdict {
  bool passed = true;
  std::vector<std::string> lines;    // what the gate found, one line each
  std::vector<std::string> reasons;  // why it refuses
};

// The gate: the live run starts only when this exact plan passes the static analysis, one
// rehearsal without violation, an exhaustive verification, and a Monte Carlo risk below the
// ceiling.
GateVerdict run_gate(const model::ResolvedPlan& plan, const LiveOptions& options,
                     std::vector<model::ResolvedStart>* order) {
  GateVerdict verdict;
  const model::Scenario& scenario = *plan.scenario;
  const auto refuse = [&](std::string reason) {
    verdict.passed = false;
    verdict.reasons.push_back(std::move(reason));
  };

  const auto findings = check::analyse_plan(plan);
  std::size_t errors = 0;
  std::size_t warnings = 0;
  for (const auto& finding : findings) {
    if (finding.severity == check::Severity::warning) ++warnings;
    if (finding.severity != check::Severity::error) continue;
    ++errors;
    refuse(fmt::format("check: {} on {}: {}", finding.rule, finding.server, finding.message));
  }
  verdict.lines.push_back(fmt::format("check: {} error{}, {} warning{}, {} note{}", errors,
                                      errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
                                      findings.size() - errors - warnings,
                                      findings.size() - errors - warnings == 1 ? "" : "s"));

  check::Checker checker(plan);
  sim::TraceRecorder recorder;
  std::vector<sim::TraceObserver*> observers(checker.observers().begin(),
                                             checker.observers().end());
  observers.push_back(&recorder);
  // As `check`: the gate judges the plan, chance failures are the Monte Carlo's business.
  const sim::RunSummary rehearsal = sim::simulate_run(plan, scenario.seed, 0, observers, nullptr,
                                                      nullptr, {.chance_failures = false});
  const auto violations = checker.violations();
  for (const auto& violation : violations) {
    refuse(fmt::format("rehearsal: {}: {}", violation.rule, violation.message));
  }
  verdict.lines.push_back(fmt::format("rehearsal (seed {}, no chance failure): {} violation{}, {}",
                                      scenario.seed, violations.size(),
                                      violations.size() == 1 ? "" : "s",
                                      rehearsal.stopped ? "the plan stopped" : "every step ran"));
  if (order != nullptr) {
    for (const sim::TraceEvent& event : recorder.events()) {
      if (event.kind == sim::TraceKind::step_started && event.attempt == 1) {
        order->push_back({event.server, event.step});
      }
    }
  }

  const check::VerifyResult proof = check::verify_plan(plan);
  switch (proof.status) {
    case check::VerifyStatus::proved:
      verdict.lines.push_back(fmt::format("verify: proved over {} states with {} operator{}",
                                          format_count(static_cast<std::int64_t>(proof.states)),
                                          proof.operators, proof.operators == 1 ? "" : "s"));
      break;
    case check::VerifyStatus::violated:
      verdict.lines.push_back("verify: violated");
      refuse(fmt::format("verify: {}", proof.violation ? proof.violation->message
                                                       : std::string("an invariant breaks")));
      break;
    case check::VerifyStatus::incomplete:
      verdict.lines.push_back("verify: not proved");
      refuse("verify: the search stopped before the end (" + proof.stop_reason + ")");
      break;
    case check::VerifyStatus::unbounded:
      verdict.lines.push_back("verify: not proved");
      refuse("verify: no worst case exists: " + proof.stop_reason);
      break;
  }

  const mc::BatchResult batch = mc::run_batch(plan, scenario.seed, options.gate_runs,
                                              {0, options.gate_runs}, options.threads);
  const double risk =
      static_cast<double>(batch.runs_reaching_limit) / static_cast<double>(options.gate_runs);
  // The ceiling is compared with the upper end of the interval, not with the share seen: a
  // few lucky rehearsals must not pass a plan whose true risk may be above it.
  const mc::Interval interval = mc::wilson_interval(batch.runs_reaching_limit, options.gate_runs);
  verdict.lines.push_back(fmt::format(
      "risk: {} of {} runs ({:.2f}%, 95% CI {:.2f}-{:.2f}%) reach the {} outage limit; the "
      "upper end of the interval must be below the ceiling of {:.2f}%",
      format_count(static_cast<std::int64_t>(batch.runs_reaching_limit)),
      format_count(static_cast<std::int64_t>(options.gate_runs)), 100.0 * risk,
      100.0 * interval.low, 100.0 * interval.high,
      format_duration(scenario.limits.backend_outage_limit), 100.0 * options.max_risk));
  if (interval.high >= options.max_risk) {
    refuse(fmt::format(
        "risk: the upper end of the 95% interval, {:.2f}%, is not below the ceiling of {:.2f}% "
        "({:.2f}% of rehearsals reach the outage limit)",
        100.0 * interval.high, 100.0 * options.max_risk, 100.0 * risk));
  }
  return verdict;
}

std::string render_gate(const GateVerdict& verdict, std::string_view name,
                        std::string_view sha256) {
  std::string text = fmt::format("gate: scenario {} (sha256 {})\n", model::printable(name), sha256);
  // Findings and violations may quote scenario text: each line stays one line.
  for (const auto& line : verdict.lines) text += "  " + model::printable(line) + "\n";
  if (verdict.passed) {
    text += "gate: passed\n";
  } else {
    text += "gate: REFUSED\n";
    for (const auto& reason : verdict.reasons) text += "  " + model::printable(reason) + "\n";
  }
  return text;
}

// Every command the run would start, in the order of the rehearsal, with its host, and the
// probe that would settle the step after a crash.
std::string render_dry_run(const model::ResolvedPlan& plan,
                           const std::vector<model::ResolvedStart>& order,
                           const live::Transport& transport, bool unattended) {
  std::string text = fmt::format("dry run: {} step{} in the order of the rehearsal; nothing runs\n",
                                 order.size(), order.size() == 1 ? "" : "s");
  std::size_t number = 0;
  for (const auto& start : order) {
    const model::ResolvedServer& server = plan.servers[start.server];
    const model::ResolvedStep& step = server.steps[start.step];
    const std::string& fqdn = server.target.fqdn;
    text += fmt::format("{:3}. {}  {}  [{}]\n", ++number, fqdn, step.definition->id,
                        model::kind_name(step.definition->kind));
    live::Pipeline pipeline;
    if (runs_a_command(step.definition->kind)) {
      pipeline = live::command_pipeline(step);
    } else if (step.definition->kind == model::StepKind::manual) {
      if (!unattended || !step.unattended) {
        text +=
            fmt::format("     ask the operator: {}\n", model::printable(step.definition->title));
        continue;
      }
      pipeline = step.unattended->pipeline;
    } else {
      text += "     wait\n";
      continue;
    }
    text += fmt::format("     {}: {}\n", transport.describe(fqdn), script_line(pipeline));
    const auto argv = transport.argv(fqdn, pipeline);
    std::string joined;
    for (const auto& argument : *argv) joined += (joined.empty() ? "" : " ") + argument;
    text += "     $ " + joined + "\n";
    if (step.probe) {
      text += fmt::format("     probe: {} (done when {})\n", script_line(step.probe->pipeline),
                          holds_when(*step.probe));
    }
  }
  return text;
}

// Prints what happens, as it happens.
class Progress final : public sim::TraceObserver {
 public:
  Progress(const model::ResolvedPlan& plan, const live::WallClock& clock)
      : plan_(&plan), clock_(&clock) {}
  void on_event(const sim::TraceEvent& event) override {
    const auto step_id = [&] {
      return plan_->servers[event.server].steps[event.step].definition->id;
    };
    switch (event.kind) {
      case sim::TraceKind::step_started:
        line(fmt::format("{}  {}  started", fqdn(event), step_id()));
        return;
      case sim::TraceKind::step_finished:
        line(fmt::format("{}  {}  finished", fqdn(event), step_id()));
        return;
      case sim::TraceKind::step_failed:
        line(fmt::format("{}  {}  FAILED", fqdn(event), step_id()));
        return;
      case sim::TraceKind::plan_stopped:
        line("plan stopped: no further step starts");
        return;
      case sim::TraceKind::state_changed:
        if (event.variable == model::StateVariable::backend) {
          line(fmt::format("{}  back end {}", fqdn(event),
                           model::value_name(event.variable, event.to)));
        }
        return;
      default:
        return;
    }
  }
  void line(const std::string& text) const {
    const auto ms = clock_->elapsed().time_since_epoch().count();
    say(fmt::format("[{:02}:{:02}:{:02}.{:03}] {}", ms / 3'600'000, ms / 60'000 % 60,
                    ms / 1000 % 60, ms % 1000, text));
  }

 private:
  const std::string& fqdn(const sim::TraceEvent& event) const {
    return plan_->servers[event.server].target.fqdn;
  }
  const model::ResolvedPlan* plan_;
  const live::WallClock* clock_;
};

std::string default_journal(const model::Scenario& scenario) {
  std::string name;
  for (const char c : scenario.name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.';
    name += plain ? c : '_';
  }
  return (name.empty() ? std::string("lyncupdate") : name) + ".journal";
}

}  // namespace

int live_command(const LiveOptions& options) {
  // Too few gate runs could never show the ceiling: refused before anything is loaded.
  if (const std::uint64_t least = mc::least_trials_below(options.max_risk);
      options.gate_runs < least) {
    write_err(fmt::format(
        "lyncupdate live: --gate-runs {} cannot show a risk below --max-risk {}: the upper end "
        "of the 95% interval stays at or above it even when no run reaches the outage limit; "
        "use at least {} runs; nothing was run\n",
        options.gate_runs, options.max_risk, least));
    return exit_bad_input;
  }
  const bool is_file = is_scenario_file(options.scenario);
  auto text = loader::self_contained_scenario(options.scenario, is_file);
  if (!text) return report_problems(text.error());
  // What runs is exactly what was hashed: the plan is loaded from the same text.
  auto loaded = loader::load_scenario_text(*text, options.scenario, {});
  if (!loaded) return report_problems(loaded.error());
  const auto scenario = std::make_unique<model::Scenario>(std::move(*loaded));
  auto resolved = model::resolve_plan(*scenario);
  if (!resolved) {
    write_err("lyncupdate: internal error: a loaded scenario failed to resolve\n");
    return exit_internal;
  }
  const model::ResolvedPlan& plan = *resolved;
  const std::string sha256 = live::sha256_hex(*text);
  const std::filesystem::path journal_path =
      options.journal.empty() ? default_journal(*scenario) : options.journal;
  if (options.status) {
    if (options.dry_run) {
      write_err("lyncupdate: live: --status and --dry-run cannot be combined; nothing was run\n");
      return exit_bad_input;
    }
    return live_status(plan, sha256, journal_path);
  }
  // Faults injected into the journal's writes: the tests' seam, empty in real use.
  live::JournalFaults faults;
  if (const char* injected = std::getenv(live::journal_faults_variable); injected != nullptr) {
    auto parsed = live::parse_journal_faults(injected);
    if (!parsed) {
      write_err(fmt::format("lyncupdate: live: {}: {}; nothing was run\n",
                            live::journal_faults_variable, parsed.error()));
      return exit_bad_input;
    }
    faults = *parsed;
  }

  std::unique_ptr<live::Transport> transport;
  if (options.transport == "local") {
    transport = std::make_unique<live::LocalTransport>();
  } else {
    auto ssh = live::SshTransport::make(
        live::SshOptions{.config_file = options.ssh_config, .user = options.ssh_user});
    if (!ssh) {
      write_err(fmt::format("lyncupdate: live: {}; nothing was run\n", ssh.error()));
      return exit_bad_input;
    }
    transport = std::make_unique<live::SshTransport>(std::move(*ssh));
  }
  if (const auto problems = preflight(plan, *transport, options.unattended); !problems.empty()) {
    std::string message;
    for (const auto& problem : problems) message += "lyncupdate: live: " + problem + "\n";
    message += fmt::format("lyncupdate: live: {} problem{}; nothing was run\n", problems.size(),
                           problems.size() == 1 ? "" : "s");
    write_err(message);
    return exit_bad_input;
  }

  std::vector<model::ResolvedStart> order;
  const GateVerdict verdict = run_gate(plan, options, options.dry_run ? &order : nullptr);
  write_out(render_gate(verdict, scenario->name, sha256));
  if (options.dry_run) {
    write_out(render_dry_run(plan, order, *transport, options.unattended));
    return verdict.passed ? exit_clean : exit_violations;
  }
  if (!verdict.passed) {
    write_err("lyncupdate: live: the gate refused this plan; nothing was run\n");
    return exit_violations;
  }

  // One session per journal, from here to the end of the run: a second one would run the
  // same steps again.
  auto lock = live::JournalLock::acquire(journal_path, live::this_process(utc_now()));
  if (!lock) {
    write_err(fmt::format("lyncupdate: live: {}; nothing was run\n", lock.error().message));
    return exit_bad_input;
  }
  live::JournalSummary earlier;
  std::optional<live::JournalWriter> writer;
  if (options.resume) {
    auto reopened = live::JournalWriter::reopen(journal_path, sha256, faults);
    if (!reopened) {
      write_err(fmt::format("lyncupdate: live: {}; nothing was run\n", reopened.error()));
      return exit_bad_input;
    }
    earlier = live::summarize(reopened->journal);
    if (earlier.finished) {
      say(fmt::format("live: the journal {} says the plan already ran to its end; nothing to do",
                      journal_path.string()));
      return exit_clean;
    }
    writer.emplace(std::move(reopened->writer));
  } else {
    std::error_code ignored;
    if (std::filesystem::exists(journal_path, ignored)) {
      write_err(fmt::format(
          "lyncupdate: live: the journal {} exists: add --resume to continue the run it "
          "records, or name another with --journal; nothing was run\n",
          journal_path.string()));
      return exit_bad_input;
    }
    live::Header header;
    header.scenario = scenario->name;
    header.scenario_sha256 = sha256;
    header.tool = std::string(lyncupdate::version::tool());
    header.transport = options.transport;
    header.started_utc = utc_now();
    bool write_failed = false;
    auto created = live::JournalWriter::create(journal_path, header, faults, &write_failed);
    if (!created) {
      write_err(fmt::format("lyncupdate: live: {}; nothing was run\n", created.error()));
      return write_failed ? exit_internal : exit_bad_input;
    }
    writer.emplace(std::move(*created));
  }

  const InterruptScope interrupts;
  interrupt_requested.store(false);
  live::WallClock clock;
  live::FileStepJournal journal(*writer, std::move(earlier), clock);
  if (options.resume) journal.note(live::Resume{.started_utc = utc_now()});
  sim::Engine engine(clock);
  sim::Trace trace;
  check::Checker checker(plan);
  for (sim::TraceObserver* monitor : checker.observers()) trace.subscribe(*monitor);
  live::OutageGuard guard(plan, scenario->seed);
  trace.subscribe(guard);
  Progress progress(plan, clock);
  trace.subscribe(progress);
  sim::World world(plan, trace);
  live::TerminalConsole console(STDIN_FILENO, interrupt_requested);
  live::LiveSettings settings;
  settings.unattended = options.unattended;
  settings.confirm_timeout = std::chrono::seconds(options.confirm_timeout_s);
  if (options.step_timeout_s) settings.step_timeout = std::chrono::seconds(*options.step_timeout_s);
  settings.guard_policy =
      options.guard == "warn" ? live::GuardPolicy::warn : live::GuardPolicy::stop;
  settings.guard_threshold = options.guard_threshold;
  settings.resumed = options.resume;
  settings.retry_failed = options.retry_failed;
  say(fmt::format("live: {} over {}, journal {}", model::printable(scenario->name),
                  options.transport, journal_path.string()));
  std::optional<sim::Executor> executor;
  std::string halt_reason;
  bool interrupted = false;
  {
    live::LiveBackend backend(plan, *transport, journal, clock, console, guard, settings,
                              interrupt_requested,
                              [&](const std::string& line) { progress.line(line); });
    executor.emplace(plan, backend, world, trace);
    executor->start(engine);
    engine.run();
    halt_reason = backend.halt_reason();
    interrupted = backend.interrupted();
  }
  const auto broken = journal.broken();
  const auto violations = checker.violations();
  for (const auto& violation : violations) {
    say(fmt::format("violation: {}: {}", violation.rule, model::printable(violation.message)));
  }
  if (broken) {
    write_err(fmt::format("lyncupdate: live: the journal cannot be written: {}\n", *broken));
    return exit_internal;
  }
  // After the run, its report beside it: the journal is complete on disk by every return
  // below, so the report reads it as `report --journal` would.
  const auto reported = [&](int code) {
    return options.html.empty() ? code
                                : write_live_report(options.html, plan, options.scenario, sha256,
                                                    journal_path.string(), code);
  };
  if (interrupted) {
    journal.note(live::Stop{.reason = "interrupted"});
    say(
        fmt::format("live: interrupted at a safe point; `lyncupdate live --resume --journal {}` "
                    "continues",
                    journal_path.string()));
    return reported(exit_interrupted);
  }
  if (executor->stopped()) {
    journal.note(live::Stop{.reason = halt_reason.empty() ? "failed" : halt_reason});
    say("live: the plan stopped" +
        (halt_reason.empty() ? std::string(" after a failed step") : ": " + halt_reason));
    if (halt_reason.empty()) {
      say(fmt::format(
          "live: `--status` shows what failed; `--resume --retry-failed --journal {}` probes "
          "the failed step and runs it again if it did not complete",
          journal_path.string()));
    }
    return reported(exit_violations);
  }
  journal.note(live::Finished{});
  say(fmt::format("live: the plan ran to its end in {}; {} violation{}",
                  format_duration(clock.elapsed().time_since_epoch()), violations.size(),
                  violations.size() == 1 ? "" : "s"));
  return reported(violations.empty() ? exit_clean : exit_violations);
}

}  // namespace lyncupdate::app
