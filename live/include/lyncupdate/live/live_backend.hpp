#pragma once
/// \file
/// The backend of a live run: the simulation's executor hands it each step, and it runs the
/// step's real command on the step's server through a transport, on a worker thread, with a
/// timeout; asks the operator to do a manual step (or runs its unattended check); records
/// intent and outcome in the journal before and after, and starts nothing whose intent did not
/// reach the disk; and after a crash settles a step that started without an outcome with the
/// step's probe instead of running it twice (in a resumed run, every step with a probe is
/// probed before it runs; with --retry-failed, so is the failed one).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "lyncupdate/live/guard.hpp"
#include "lyncupdate/live/journal.hpp"
#include "lyncupdate/live/powershell.hpp"
#include "lyncupdate/live/process.hpp"
#include "lyncupdate/live/transport.hpp"
#include "lyncupdate/live/wall_clock.hpp"
#include "lyncupdate/simulator/backend.hpp"

namespace lyncupdate::live {

/// The pipeline that runs `step`'s command: the command split into words, and for a pool
/// upgrade-readiness gate a second stage, `Select-Object -ExpandProperty PoolUpgradeState`, so
/// that the output is the answer alone (Ready, Busy or InsufficientActiveFrontEnds): the
/// property the front-end upgrade article reads (OD
/// lync-server-2013-upgrade-or-update-front-end-servers.md, step 1; the cmdlet reference names
/// only the output type, Microsoft.Rtc.Management.Hadr.PoolUpgradeState).
Pipeline command_pipeline(const model::ResolvedStep& step);

/// What earlier sessions of the journal say about one attempt of one step.
enum class Recorded : std::uint8_t {
  nothing,           ///< never started
  finished,          ///< an outcome is recorded
  started,           ///< an intent without an outcome: the process died while it ran
  settled_done,      ///< a probe (after a crash, a failure or before it ran) found it done
  settled_not_done,  ///< a probe found it not done: it runs (again)
};

/// A recorded attempt: its state and, when finished, its outcome.
struct RecordedAttempt {
  Recorded state = Recorded::nothing;
  sim::StepOutcome outcome = sim::StepOutcome::succeeded;
};

/// The journal as the backend uses it. Every call is made on the engine's thread and returns
/// once the record is on disk.
class StepJournal {
 public:
  virtual ~StepJournal() = default;
  /// What earlier sessions recorded for `attempt` of `step` on `server`.
  virtual RecordedAttempt recorded(std::string_view server, std::string_view step,
                                   int attempt) const = 0;
  /// The step is about to run `argv` (empty for a prompt to the operator) on `host`.
  virtual void intent(std::string_view server, std::string_view step, int attempt,
                      model::StepKind kind, std::string_view host,
                      const std::vector<std::string>& argv) = 0;
  /// How it ended.
  virtual void outcome(std::string_view server, std::string_view step, int attempt,
                       AttemptOutcome outcome, int exit_code, Duration duration,
                       std::string_view output_tail) = 0;
  /// A probe answered for an attempt: one started without an outcome, one that failed
  /// (retried), or one not started yet (a resumed run probes before it runs a step).
  virtual void probe(std::string_view server, std::string_view step, int attempt, bool done) = 0;
  /// Why the journal can no longer be written, if it cannot: the run then starts nothing more.
  virtual std::optional<std::string> broken() const = 0;
};

/// Asks the operator to do a manual step.
class OperatorConsole {
 public:
  enum class Answer : std::uint8_t { done, abort, timed_out, interrupted };
  virtual ~OperatorConsole() = default;
  /// Shows `prompt` and waits up to `timeout` for the operator's answer. Called from worker
  /// threads; implementations serialise prompts.
  virtual Answer confirm(const std::string& prompt, std::chrono::seconds timeout) = 0;
};

/// How the live run behaves.
struct LiveSettings {
  /// Manual steps run their `unattended` check instead of asking the operator.
  bool unattended = false;
  /// How long the operator has to confirm a manual step.
  std::chrono::seconds confirm_timeout{600};
  /// Every command's timeout; nothing: twice the step's upper bound, at least that bound
  /// plus five minutes (a lognormal without a cap counts its 99.9th percentile).
  std::optional<std::chrono::milliseconds> step_timeout;
  /// Timeout of probes and unattended checks without `step_timeout`.
  std::chrono::milliseconds check_timeout{std::chrono::minutes(2)};
  GuardPolicy guard_policy = GuardPolicy::stop;
  /// The guard acts when the chance that an outage reaches the limit is above this.
  double guard_threshold = 0.05;
  /// The session resumes a journal: a step with a probe that has not run yet (or that a
  /// probe found not done) is probed before it runs, and runs only when the probe says it is
  /// not done (the operator may have done it by hand meanwhile).
  bool resumed = false;
  /// `--retry-failed`: a step whose last recorded attempt failed is probed, and run again
  /// (same attempt) when the probe says it did not complete, instead of replaying the failure.
  bool retry_failed = false;
};

/// One line of progress for the operator (commands, outcomes, guard warnings).
using ProgressLog = std::function<void(const std::string& line)>;

/// The live backend.
class LiveBackend final : public sim::Backend {
 public:
  LiveBackend(const model::ResolvedPlan& plan, const Transport& transport, StepJournal& journal,
              WallClock& clock, OperatorConsole& console, const OutageGuard& guard,
              LiveSettings settings, const std::atomic<bool>& interrupted, ProgressLog log);
  /// Waits for every worker thread.
  ~LiveBackend() override;
  LiveBackend(const LiveBackend&) = delete;
  LiveBackend& operator=(const LiveBackend&) = delete;

  bool admit(const sim::StepRequest& request, sim::Engine& engine) override;
  void begin(const sim::StepRequest& request, sim::Engine& engine) override;

  /// Why the run stopped before a step ("interrupted", or the guard's forecast), if it did.
  const std::string& halt_reason() const { return halt_reason_; }
  /// Whether the operator interrupted the run (Ctrl-C, or while a prompt was open).
  bool interrupted() const { return was_interrupted_; }

  /// The timeout of `step`'s command under `settings`.
  static std::chrono::milliseconds command_timeout(const model::ResolvedStep& step,
                                                   const LiveSettings& settings);

 private:
  /// Why a step is probed before it runs.
  enum class ProbeReason : std::uint8_t {
    unknown_end,  ///< started in an earlier session without an outcome
    failed,       ///< its last attempt failed, and the operator asked to retry it
    not_run_yet,  ///< a resumed session settles it first: done by hand meanwhile?
  };
  bool retries(const sim::StepRequest& request, const RecordedAttempt& recorded) const;
  void retry_failed(const sim::StepRequest& request, sim::Engine& engine);
  bool intent_on_disk(const sim::StepRequest& request, sim::Engine& engine);
  void run_step(const sim::StepRequest& request, sim::Engine& engine);
  void run_probe(const sim::StepRequest& request, ProbeReason reason);
  void run_pipeline(const sim::StepRequest& request, const Pipeline& pipeline,
                    std::chrono::milliseconds timeout, bool is_check);
  void ask_operator(const sim::StepRequest& request);
  void finish(const sim::StepRequest& request, sim::StepOutcome outcome, sim::Engine& engine,
              TimePoint at);
  /// Ends `request` with `outcome` now, for `reason`: the run's halt reason, logged.
  void halt(const sim::StepRequest& request, sim::StepOutcome outcome, sim::Engine& engine,
            std::string reason);
  std::string label(const sim::StepRequest& request) const;
  void spawn(std::function<void()> work);

  const model::ResolvedPlan* plan_;
  const Transport* transport_;
  StepJournal* journal_;
  WallClock* clock_;
  OperatorConsole* console_;
  const OutageGuard* guard_;
  LiveSettings settings_;
  const std::atomic<bool>* interrupted_;
  ProgressLog log_;
  std::string halt_reason_;
  bool was_interrupted_ = false;
  std::mutex workers_mutex_;
  std::vector<std::thread> workers_;
};

}  // namespace lyncupdate::live
