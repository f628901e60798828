#include "lyncupdate/live/live_backend.hpp"

#include <algorithm>
#include <cassert>
#include <cctype>

#include <fmt/format.h>

#include "lyncupdate/model/printable.hpp"
#include "lyncupdate/simulator/sampling.hpp"

namespace lyncupdate::live {
namespace {

// Whether a probe or an unattended check holds on this result (live/spec: exit 0, and the
// output contains `present` / lacks `absent`).
bool holds(const model::CommandCheck& check, const ProcessResult& result) {
  if (result.start_failed || result.timed_out || result.exit_code != 0) return false;
  return model::output_satisfies(check, result.out);
}

// The last lines of what a command printed, for the journal and the operator.
std::string output_tail(const ProcessResult& result) {
  constexpr std::size_t keep = 400;
  std::string text = result.err.empty() ? result.out : result.err;
  if (!result.error.empty()) text = result.error;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.size() > keep) text = "..." + text.substr(text.size() - keep);
  return text;
}

// The argument vector a journal records for a pipeline: its stages joined by "|".
std::vector<std::string> journal_argv(const Pipeline& pipeline) {
  std::vector<std::string> out;
  for (const auto& stage : pipeline) {
    if (!out.empty()) out.emplace_back("|");
    out.insert(out.end(), stage.begin(), stage.end());
  }
  return out;
}

// The journal's outcome of a step's outcome.
AttemptOutcome attempt_outcome(sim::StepOutcome outcome) {
  switch (outcome) {
    case sim::StepOutcome::succeeded:
      return AttemptOutcome::succeeded;
    case sim::StepOutcome::failed:
    case sim::StepOutcome::stop:
      return AttemptOutcome::failed;
    case sim::StepOutcome::reboot_required:
      return AttemptOutcome::reboot_required;
  }
  return AttemptOutcome::failed;
}

// A command that ran to exit 0: a gate's answer is its `PoolUpgradeState` (command_pipeline): one
// that means stop stops the plan, Ready goes on, any other (Busy) is a failure that the step's
// retry policy tries again; any other command succeeded.
sim::StepOutcome gate_outcome(const model::ResolvedStep& step, const ProcessResult& result) {
  if (!step.definition->gate) return sim::StepOutcome::succeeded;
  std::string_view state = result.out;
  while (!state.empty() && std::isspace(static_cast<unsigned char>(state.back())) != 0) {
    state.remove_suffix(1);
  }
  while (!state.empty() && std::isspace(static_cast<unsigned char>(state.front())) != 0) {
    state.remove_prefix(1);
  }
  if (state == "InsufficientActiveFrontEnds") return sim::StepOutcome::stop;
  if (state == "Ready") return sim::StepOutcome::succeeded;
  return sim::StepOutcome::failed;
}

std::string describe_result(const ProcessResult& result) {
  if (result.start_failed) return "could not start: " + result.error;
  if (result.timed_out) return "timed out";
  if (result.signal != 0) return fmt::format("killed by signal {}", result.signal);
  return fmt::format("exit {}", result.exit_code);
}

}  // namespace

Pipeline command_pipeline(const model::ResolvedStep& step) {
  Pipeline pipeline = split_command(step.command);
  if (step.definition->gate == model::Gate::pool_upgrade_readiness && !pipeline.empty()) {
    pipeline.push_back({"Select-Object", "-ExpandProperty", "PoolUpgradeState"});
  }
  return pipeline;
}

LiveBackend::LiveBackend(const model::ResolvedPlan& plan, const Transport& transport,
                         StepJournal& journal, WallClock& clock, OperatorConsole& console,
                         const OutageGuard& guard, LiveSettings settings,
                         const std::atomic<bool>& interrupted, ProgressLog log)
    : plan_(&plan),
      transport_(&transport),
      journal_(&journal),
      clock_(&clock),
      console_(&console),
      guard_(&guard),
      settings_(settings),
      interrupted_(&interrupted),
      log_(std::move(log)) {}

LiveBackend::~LiveBackend() {
  const std::lock_guard lock(workers_mutex_);
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
}

std::chrono::milliseconds LiveBackend::command_timeout(const model::ResolvedStep& step,
                                                       const LiveSettings& settings) {
  if (settings.step_timeout) return *settings.step_timeout;
  const model::Distribution& duration = step.timing.duration;
  Duration bound = duration.upper_bound();
  if (bound >= std::chrono::hours(24 * 365)) bound = sim::duration_quantile(duration, 0.999);
  return std::max<Duration>(2 * bound, bound + std::chrono::minutes(5));
}

std::string LiveBackend::label(const sim::StepRequest& request) const {
  std::string text = fmt::format("{} {}", request.target->fqdn, request.resolved->definition->id);
  if (request.attempt > 1) text += fmt::format(" (attempt {})", request.attempt);
  return text;
}

void LiveBackend::spawn(std::function<void()> work) {
  clock_->expect();
  const std::lock_guard lock(workers_mutex_);
  workers_.emplace_back(std::move(work));
}

void LiveBackend::finish(const sim::StepRequest& request, sim::StepOutcome outcome,
                         sim::Engine& engine, TimePoint at) {
  sim::Event event;
  event.kind = sim::EventKind::step_finished;
  event.outcome = outcome;
  event.server = request.server;
  event.step = request.step;
  event.attempt = request.attempt;
  engine.schedule(std::max(at, engine.now()), event);
}

bool LiveBackend::admit(const sim::StepRequest& request, sim::Engine& engine) {
  const RecordedAttempt recorded =
      journal_->recorded(request.target->fqdn, request.resolved->definition->id, request.attempt);
  // What already happened is replayed, whatever the guard or the operator says now; a failed
  // step retried (--retry-failed) runs again, so it is admitted as any step that runs.
  if ((recorded.state == Recorded::finished && !retries(request, recorded)) ||
      recorded.state == Recorded::settled_done) {
    return true;
  }
  if (const auto broken = journal_->broken()) {
    halt_reason_ = "the journal cannot be written: " + *broken;
    log_(fmt::format("{}; stopping before {}", halt_reason_, label(request)));
    return false;
  }
  if (interrupted_->load()) {
    was_interrupted_ = true;
    halt_reason_ = "interrupted";
    log_(fmt::format("interrupted: stopping before {}", label(request)));
    return false;
  }
  const auto forecast = guard_->forecast(request.server, request.step, engine.now());
  if (!forecast || forecast->probability <= settings_.guard_threshold) return true;
  const std::string what = fmt::format(
      "guard: {} has a {:.1f}% chance that the back-end outage of {} reaches {} ({} elapsed, {} "
      "step{} to go)",
      forecast->starts_outage ? "starting " + label(request) : "continuing with " + label(request),
      100.0 * forecast->probability, request.target->fqdn, format_duration(forecast->limit),
      format_duration(forecast->elapsed), forecast->steps_left,
      forecast->steps_left == 1 ? "" : "s");
  if (forecast->starts_outage && settings_.guard_policy == GuardPolicy::stop) {
    halt_reason_ = what;
    log_(what + "; stopping before the outage starts");
    return false;
  }
  log_(what + (forecast->starts_outage ? "; going on (policy: warn)"
                                       : "; going on: stopping now would only prolong it"));
  return true;
}

bool LiveBackend::retries(const sim::StepRequest& request, const RecordedAttempt& recorded) const {
  if (!settings_.retry_failed || recorded.state != Recorded::finished ||
      recorded.outcome != sim::StepOutcome::failed) {
    return false;
  }
  // Only the attempt the run ended on: an earlier failed attempt was already followed by
  // another, which the journal replays.
  const RecordedAttempt next = journal_->recorded(
      request.target->fqdn, request.resolved->definition->id, request.attempt + 1);
  return next.state == Recorded::nothing;
}

void LiveBackend::begin(const sim::StepRequest& request, sim::Engine& engine) {
  const model::ResolvedStep& step = *request.resolved;
  const RecordedAttempt recorded =
      journal_->recorded(request.target->fqdn, step.definition->id, request.attempt);
  switch (recorded.state) {
    case Recorded::finished:
      if (retries(request, recorded)) {
        retry_failed(request, engine);
        return;
      }
      log_(fmt::format("{}: {} in the journal, not run again", label(request),
                       outcome_name(attempt_outcome(recorded.outcome))));
      finish(request, recorded.outcome, engine, engine.now());
      return;
    case Recorded::settled_done:
      log_(fmt::format("{}: finished before the interruption (probe), not run again",
                       label(request)));
      finish(request, sim::StepOutcome::succeeded, engine, engine.now());
      return;
    case Recorded::started:
      if (step.probe) {
        run_probe(request, ProbeReason::unknown_end);
        return;
      }
      if (step.definition->kind != model::StepKind::manual) {
        // Without a probe nobody can tell whether it ran: never guess, never run it twice.
        halt(request, sim::StepOutcome::failed, engine,
             fmt::format("{} started before the interruption and its outcome is unknown; it has "
                         "no probe, so check the server by hand",
                         label(request)));
        return;
      }
      break;  // a manual step is confirmed again: doing that twice is harmless
    case Recorded::nothing:
    case Recorded::settled_not_done:
      if (settings_.resumed && step.probe) {
        run_probe(request, ProbeReason::not_run_yet);
        return;
      }
      break;
  }
  run_step(request, engine);
}

void LiveBackend::retry_failed(const sim::StepRequest& request, sim::Engine& engine) {
  const model::ResolvedStep& step = *request.resolved;
  if (step.probe) {
    run_probe(request, ProbeReason::failed);
    return;
  }
  // Asking the operator again, waiting again or asking a gate again changes nothing on a
  // server; a command without a probe may have done part of its work before it failed.
  const model::StepKind kind = step.definition->kind;
  if (kind == model::StepKind::manual || kind == model::StepKind::wait || step.definition->gate) {
    log_(fmt::format("{}: failed in the journal; running it again (--retry-failed)",
                     label(request)));
    run_step(request, engine);
    return;
  }
  halt(request, sim::StepOutcome::stop, engine,
       fmt::format("{} failed and has no probe, so --retry-failed cannot tell whether it did "
                   "part of its work: check the server by hand",
                   label(request)));
}

void LiveBackend::halt(const sim::StepRequest& request, sim::StepOutcome outcome,
                       sim::Engine& engine, std::string reason) {
  halt_reason_ = std::move(reason);
  log_(halt_reason_);
  finish(request, outcome, engine, engine.now());
}

void LiveBackend::run_probe(const sim::StepRequest& request, ProbeReason reason) {
  const model::ResolvedStep& step = *request.resolved;
  const model::CommandCheck& probe = *step.probe;
  const std::string fqdn = request.target->fqdn;
  switch (reason) {
    case ProbeReason::unknown_end:
      log_(fmt::format("{}: started before the interruption; probing", label(request)));
      break;
    case ProbeReason::failed:
      log_(
          fmt::format("{}: failed in the journal; probing before running it again "
                      "(--retry-failed)",
                      label(request)));
      break;
    case ProbeReason::not_run_yet:
      log_(fmt::format("{}: probing before it runs", label(request)));
      break;
  }
  auto argv = transport_->argv(fqdn, probe.pipeline);
  assert(argv && "pipelines and hosts are validated before the run starts");
  const auto environment = transport_->environment(fqdn);
  const auto timeout = settings_.step_timeout.value_or(settings_.check_timeout);
  spawn([this, request, reason, argv = std::move(*argv), environment, timeout] {
    ProcessResult result = run_process(argv, environment, timeout);
    clock_->post(
        [this, request, reason, result = std::move(result)](TimePoint at, sim::Engine& engine) {
          const model::ResolvedStep& probed = *request.resolved;
          const bool done = holds(*probed.probe, result);
          journal_->probe(request.target->fqdn, probed.definition->id, request.attempt, done);
          if (done) {
            log_(fmt::format("{}: the probe says it {}; not run{}", label(request),
                             reason == ProbeReason::not_run_yet ? "is done already" : "finished",
                             reason == ProbeReason::not_run_yet ? "" : " again"));
            finish(request, sim::StepOutcome::succeeded, engine, at);
          } else {
            log_(fmt::format("{}: the probe says it did not finish ({}); running it",
                             label(request), describe_result(result)));
            run_step(request, engine);
          }
        });
  });
}

// The step's intent must be on disk before its command starts: a run that cannot say what it
// is about to do must not do it. The plan stops; the run ends with the journal's error.
bool LiveBackend::intent_on_disk(const sim::StepRequest& request, sim::Engine& engine) {
  const auto broken = journal_->broken();
  if (!broken) return true;
  halt_reason_ = "the journal cannot be written: " + *broken;
  log_(fmt::format("{}; {} not started", halt_reason_, label(request)));
  finish(request, sim::StepOutcome::stop, engine, engine.now());
  return false;
}

void LiveBackend::run_step(const sim::StepRequest& request, sim::Engine& engine) {
  const model::ResolvedStep& step = *request.resolved;
  const std::string& fqdn = request.target->fqdn;
  const std::string& id = step.definition->id;
  const model::StepKind kind = step.definition->kind;
  if (kind == model::StepKind::manual) {
    if (settings_.unattended) {
      assert(step.unattended && "unattended runs are refused without every check");
      journal_->intent(fqdn, id, request.attempt, kind, transport_->describe(fqdn),
                       journal_argv(step.unattended->pipeline));
      if (!intent_on_disk(request, engine)) return;
      log_(fmt::format("{}: checking (unattended)", label(request)));
      run_pipeline(request, step.unattended->pipeline, settings_.check_timeout, true);
      return;
    }
    journal_->intent(fqdn, id, request.attempt, kind, "operator", {});
    if (!intent_on_disk(request, engine)) return;
    ask_operator(request);
    return;
  }
  if (kind == model::StepKind::wait) {
    const Duration pause = sim::duration_quantile(step.timing.duration, 0.5);
    journal_->intent(fqdn, id, request.attempt, kind, "wait", {});
    if (!intent_on_disk(request, engine)) return;
    log_(fmt::format("{}: waiting {}", label(request), format_duration(pause)));
    spawn([this, request, pause] {
      std::this_thread::sleep_for(pause);
      clock_->post([this, request, pause](TimePoint at, sim::Engine& delivered) {
        journal_->outcome(request.target->fqdn, request.resolved->definition->id, request.attempt,
                          AttemptOutcome::succeeded, 0, pause, "");
        finish(request, sim::StepOutcome::succeeded, delivered, at);
      });
    });
    return;
  }
  const Pipeline pipeline = command_pipeline(step);
  journal_->intent(fqdn, id, request.attempt, kind, transport_->describe(fqdn),
                   journal_argv(pipeline));
  if (!intent_on_disk(request, engine)) return;
  log_(fmt::format("{}: {} > {}", label(request), transport_->describe(fqdn),
                   model::printable(step.command)));
  run_pipeline(request, pipeline, command_timeout(step, settings_), false);
}

void LiveBackend::run_pipeline(const sim::StepRequest& request, const Pipeline& pipeline,
                               std::chrono::milliseconds timeout, bool is_check) {
  const std::string fqdn = request.target->fqdn;
  auto argv = transport_->argv(fqdn, pipeline);
  assert(argv && "pipelines and hosts are validated before the run starts");
  const auto environment = transport_->environment(fqdn);
  spawn([this, request, argv = std::move(*argv), environment, timeout, is_check] {
    ProcessResult result = run_process(argv, environment, timeout);
    clock_->post(
        [this, request, is_check, result = std::move(result)](TimePoint at, sim::Engine& engine) {
          const model::ResolvedStep& step = *request.resolved;
          sim::StepOutcome outcome = sim::StepOutcome::failed;
          if (is_check) {
            if (holds(*step.unattended, result)) outcome = sim::StepOutcome::succeeded;
          } else if (result.exit_code == 0 && !result.timed_out && !result.start_failed) {
            outcome = gate_outcome(step, result);
          } else if ((result.exit_code == 3010 || result.exit_code == 3010 % 256) &&
                     step.definition->kind == model::StepKind::install) {
            // Windows' "succeeded, restart required" (ERROR_SUCCESS_REBOOT_REQUIRED); through
            // ssh, exit statuses arrive modulo 256.
            outcome = step.definition->reboot_required ? sim::StepOutcome::reboot_required
                                                       : sim::StepOutcome::succeeded;
            log_(fmt::format(
                "{}: the installer asks for a restart of {}: restart it now{}", label(request),
                request.target->fqdn,
                step.definition->reboot_required
                    ? fmt::format("; the plan waits {}",
                                  format_duration(step.definition->reboot_required->duration))
                    : std::string()));
          }
          const AttemptOutcome recorded =
              result.timed_out ? AttemptOutcome::timed_out : attempt_outcome(outcome);
          const std::string tail = output_tail(result);
          journal_->outcome(request.target->fqdn, step.definition->id, request.attempt, recorded,
                            result.exit_code, result.elapsed, tail);
          std::string line =
              fmt::format("{}: {} after {} ms ({})", label(request), outcome_name(recorded),
                          result.elapsed.count(), describe_result(result));
          if (outcome == sim::StepOutcome::stop) line += ": the gate says stop the plan";
          if (outcome != sim::StepOutcome::succeeded && !tail.empty()) line += "\n    " + tail;
          log_(line);
          finish(request, outcome, engine, at);
        });
  });
}

void LiveBackend::ask_operator(const sim::StepRequest& request) {
  const std::string prompt = fmt::format("{}: {}", request.target->fqdn,
                                         model::printable(request.resolved->definition->title));
  const auto timeout = settings_.confirm_timeout;
  spawn([this, request, prompt, timeout] {
    const auto started = std::chrono::steady_clock::now();
    const OperatorConsole::Answer answer = console_->confirm(prompt, timeout);
    const auto took =
        std::chrono::duration_cast<Duration>(std::chrono::steady_clock::now() - started);
    clock_->post([this, request, answer, took](TimePoint at, sim::Engine& engine) {
      const std::string& fqdn = request.target->fqdn;
      const std::string& id = request.resolved->definition->id;
      switch (answer) {
        case OperatorConsole::Answer::done:
          journal_->outcome(fqdn, id, request.attempt, AttemptOutcome::succeeded, 0, took,
                            "confirmed");
          log_(fmt::format("{}: confirmed by the operator", label(request)));
          finish(request, sim::StepOutcome::succeeded, engine, at);
          return;
        case OperatorConsole::Answer::abort:
        case OperatorConsole::Answer::timed_out: {
          const bool aborted = answer == OperatorConsole::Answer::abort;
          journal_->outcome(fqdn, id, request.attempt,
                            aborted ? AttemptOutcome::failed : AttemptOutcome::timed_out, -1, took,
                            aborted ? "aborted by the operator" : "no confirmation in time");
          log_(fmt::format("{}: {}", label(request),
                           aborted ? "aborted by the operator" : "no confirmation in time"));
          finish(request, sim::StepOutcome::failed, engine, at);
          return;
        }
        case OperatorConsole::Answer::interrupted:
          // No outcome: on --resume the operator is asked again.
          was_interrupted_ = true;
          halt_reason_ = "interrupted";
          log_(fmt::format("{}: interrupted while waiting for the operator", label(request)));
          finish(request, sim::StepOutcome::failed, engine, at);
          return;
      }
    });
  });
}

}  // namespace lyncupdate::live
