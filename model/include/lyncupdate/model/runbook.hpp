#pragma once
/// \file
/// A runbook: the ordered steps of an update, with exact commands and declared effects.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lyncupdate/model/state.hpp"
#include "lyncupdate/model/time.hpp"
#include "lyncupdate/model/topology.hpp"

namespace lyncupdate::model {

/// What kind of work a step is; reports colour by it.
enum class StepKind : std::uint8_t {
  manual,    ///< an operator action without a command (log on, close the shells)
  command,   ///< a service or IIS command
  install,   ///< the cumulative update installer
  database,  ///< `Install-CsDatabase`
  wait,      ///< a deliberate pause
  reboot,    ///< a server restart
};

/// The JSON name of a kind, e.g. "install".
std::string_view kind_name(StepKind kind);

/// The kind called `name`, if any.
std::optional<StepKind> parse_step_kind(std::string_view name);

/// How a step differs on servers of one role. Unset fields keep the step's own.
struct StepVariant {
  std::optional<std::string> command;
  std::optional<Conditions> requires_;
  std::optional<Conditions> on_start;
  std::optional<Conditions> on_finish;
};

/// How a failed step is tried again: `attempts` tries in all (the first included), each
/// retry starting `delay` after the failed attempt ended. After the last failed attempt the
/// plan stops.
struct RetryPolicy {
  int attempts = 1;  ///< total tries, at least 1
  Duration delay{};  ///< wait between a failed attempt and the next, more than 0
};

/// The installer's "reboot required" outcome: with `probability` a successful install asks
/// for a restart, which the step waits for (`duration`) before it counts as finished.
struct RebootOutcome {
  double probability = 0.0;  ///< in [0, 1]
  Duration duration{};       ///< how long the restart takes, more than 0
};

/// A command run to learn something about a server rather than to change it: a pipeline of
/// argument vectors and what its standard output must (or must not) contain. The check *holds*
/// when the pipeline exits 0 and, when `present` is set, its standard output contains it, or,
/// when `absent` is set, does not contain it.
struct CommandCheck {
  /// The stages of the pipeline, each an argument vector whose first element is the command;
  /// at least one stage, no stage or string empty, no control character in any string.
  std::vector<std::vector<std::string>> pipeline;
  std::string present;  ///< case-sensitive text the output must contain; empty: not checked
  std::string absent;   ///< case-sensitive text the output must not contain; empty: not checked
  friend bool operator==(const CommandCheck&, const CommandCheck&) = default;
};

/// Whether `check` holds on the standard output `out` of a pipeline that exited 0: `out`
/// contains `present` (when set) and lacks `absent` (when set).
bool output_satisfies(const CommandCheck& check, std::string_view out);

/// Whether live mode passes `argument`, an argument after a pipeline stage's command, bare as a
/// parameter name: it matches `^-[A-Za-z][A-Za-z0-9]*$`. Every other argument is passed as a
/// quoted literal, so `-Update:$true` is text, not a switch; the checker reads probes and
/// unattended checks by the same rule.
bool is_bare_parameter_name(std::string_view argument);

/// How live mode reads a step's command (placeholders substituted): its words, split on ASCII
/// blanks, the first the command and each other passed bare when is_bare_parameter_name, else
/// as a quoted literal. The checker holds step commands to that reading (`live-command-form`).
std::vector<std::string> command_words(std::string_view command);

/// A step whose outcome the deployment decides, not only chance.
enum class Gate : std::uint8_t {
  /// `Get-CsPoolUpgradeReadinessState` (DOMAIN.md section 3): InsufficientActiveFrontEnds when
  /// the pool would lose quorum with the server's upgrade domain down, which stops the plan;
  /// otherwise Busy (a failure, retried per the step's retry policy: wait 10 minutes, stop
  /// after three) with the step's failure probability, else Ready. A live run reads the
  /// answer from the command's `PoolUpgradeState` property, the name the front-end upgrade
  /// article gives it (OD lync-server-2013-upgrade-or-update-front-end-servers.md, step 1): the
  /// command piped to `Select-Object -ExpandProperty PoolUpgradeState`. The cmdlet runs only
  /// locally on a front end of the pool it checks (office-docs-powershell,
  /// Get-CsPoolUpgradeReadinessState), so it takes no pool name: a live run runs it, as every
  /// step, on the server being updated.
  pool_upgrade_readiness,
};

/// The JSON name of a gate, e.g. "pool_upgrade_readiness".
std::string_view gate_name(Gate gate);

/// The gate called `name`, if any.
std::optional<Gate> parse_gate(std::string_view name);

/// The servers a step runs on when not every server of its runbook runs it.
enum class StepScope : std::uint8_t {
  /// Only where the server holds the Central Management store (UpdateTarget): the store's
  /// own failover and failback of a mirrored back end (JJ204991, "If the pool hosts the
  /// Central Management Server, perform the failover of the Central Management store").
  central_management_store,
};

/// The JSON name of a scope, e.g. "central_management_store".
std::string_view scope_name(StepScope scope);

/// The scope called `name`, if any.
std::optional<StepScope> parse_step_scope(std::string_view name);

/// Whether a step limited to `scope` runs on `target`.
bool in_scope(StepScope scope, const UpdateTarget& target);

/// One step of a runbook.
struct RunbookStep {
  std::string id;     ///< stable identifier, e.g. "install-update"
  std::string title;  ///< what an operator reads
  StepKind kind = StepKind::manual;
  /// The exact command, with `{fqdn}` (the server updated) and `{sql_fqdn}` (its SQL Server)
  /// placeholders; empty for manual steps.
  std::string command;
  /// The step number in Microsoft's article (DOMAIN.md section 1), or nothing for an
  /// addition, in which case `addition` says why it is there.
  std::optional<int> article_step;
  std::string addition;
  /// Which numbers of the step (its retry policy, its reboot outcome) no published source gives,
  /// and why they are what they are (`"assumed"` in the runbook; docs/domain-notes.md,
  /// "Assumed numbers"); empty when the step has none.
  std::string assumed;
  Conditions requires_;  ///< must hold when the step starts
  Conditions on_start;   ///< become true when the step starts
  Conditions on_finish;  ///< become true when the step finishes successfully
  /// Per-role overrides, indexed by Role; the three `Install-CsDatabase` forms live here.
  std::array<std::optional<StepVariant>, role_count> variants;
  std::optional<RetryPolicy> retry;              ///< none: a failure stops the plan at once
  std::optional<RebootOutcome> reboot_required;  ///< install steps only
  /// Steps of kind command, install and database only: tells, after a crash left it unknown,
  /// whether the step had finished (the check holds) or must run again. Placeholders as in
  /// `command`, plus `{update_version}`.
  std::optional<CommandCheck> probe;
  /// Manual steps only: in unattended live runs, replaces the prompt to the operator (the
  /// check holds when the operator's action is done). Placeholders as in `probe`.
  std::optional<CommandCheck> unattended;
  /// Command steps only: the deployment decides the outcome (see Gate).
  std::optional<Gate> gate;
  /// The servers the step runs on; nothing: every server that runs the runbook. Elsewhere the
  /// step is left out of the server's resolved steps, as if the runbook did not list it.
  std::optional<StepScope> only_on;
};

/// The steps in the order the runbook lists them.
struct Runbook {
  std::string name;  ///< shipped name or file it came from
  std::vector<RunbookStep> steps;
};

}  // namespace lyncupdate::model
