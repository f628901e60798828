#pragma once
/// \file
/// Resolution of a scenario into what the executor runs: for each server of the plan, the
/// runbook's steps with the server's role variant applied, placeholders substituted and
/// timing chosen.

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "lyncupdate/model/scenario.hpp"

namespace lyncupdate::model {

/// One runbook step as it runs on one server.
struct ResolvedStep {
  std::size_t step_index = 0;               ///< index into Runbook::steps
  const RunbookStep* definition = nullptr;  ///< points into the Scenario's runbook
  std::string command;  ///< exact command with placeholders substituted; empty if manual
  Conditions requires_;
  Conditions on_start;
  Conditions on_finish;
  StepTiming timing;
  /// Users whose sessions the step drains when all are signed in (`timing`'s
  /// drain_per_thousand_users applies to those still signed in): a front end's share of its
  /// pool's users; 0 for other roles.
  std::int64_t drain_users = 0;
  /// RunbookStep::probe with `{fqdn}`, `{sql_fqdn}` and `{update_version}` substituted in every
  /// string; `{update_version}` stays as written when the scenario has no
  /// `live.update_version`.
  std::optional<CommandCheck> probe;
  /// RunbookStep::unattended, substituted as `probe`.
  std::optional<CommandCheck> unattended;
};

/// One server the plan updates.
struct ResolvedServer {
  UpdateTarget target;
  const Runbook* runbook = nullptr;  ///< the scenario's runbook for the target's role
  std::size_t stage = 0;             ///< index into Plan::stages
  std::vector<ResolvedStep> steps;
};

/// The plan, resolved. Refers into the Scenario it came from, which must outlive it.
/// One entry of a resolved schedule: indices into ResolvedPlan::servers and the server's steps.
struct ResolvedStart {
  std::uint16_t server = 0;
  std::uint16_t step = 0;
  friend bool operator==(const ResolvedStart&, const ResolvedStart&) = default;
};

struct ResolvedPlan {
  const Scenario* scenario = nullptr;
  std::vector<ResolvedServer> servers;           ///< in plan order (stage by stage)
  std::vector<std::vector<std::size_t>> stages;  ///< indices into `servers`
  /// Steps that may run at once; 0: no limit (one operator per server).
  std::size_t operators = 0;
  /// Plan::schedule resolved; empty when the plan has none.
  std::vector<ResolvedStart> schedule;
};

/// A problem found while resolving, with the JSON pointer of what is wrong.
struct ModelError {
  std::string pointer;  ///< e.g. "/plan/stages/0/1"
  std::string message;  ///< lower-case, says what was expected
  friend bool operator==(const ModelError&, const ModelError&) = default;
};

/// Resolves `scenario`, reporting every problem at once: a plan server that is not an update
/// target in the topology, a server planned twice, a step without a command for the role of a
/// planned server, a step without timing, an unknown placeholder in a command or a command
/// check, a schedule that names an unplanned server or unknown step, lists a step twice or not
/// at all, or breaks runbook or stage order.
std::expected<ResolvedPlan, std::vector<ModelError>> resolve_plan(const Scenario& scenario);

}  // namespace lyncupdate::model
