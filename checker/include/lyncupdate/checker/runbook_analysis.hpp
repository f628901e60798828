#pragma once
/// \file
/// Static analysis of a resolved plan, before anything runs: the precedence graph that the
/// steps' declared preconditions and effects imply (cycles, ordering violations,
/// preconditions nothing establishes, duplicate and dead steps, the assemblies rule), the role
/// check of `Install-CsDatabase`, every command bound against the product's command catalogue
/// (binding.hpp), and worst-case timing bounds.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lyncupdate/model/resolve.hpp"

namespace lyncupdate::check {

/// Stable rule identifiers of the static analysis; they appear in output, JSON and the README.
namespace rules {
inline constexpr std::string_view runbook_cycle = "runbook-cycle";
inline constexpr std::string_view runbook_order = "runbook-order";
inline constexpr std::string_view precondition_never_established = "precondition-never-established";
inline constexpr std::string_view duplicate_step = "duplicate-step";
inline constexpr std::string_view dead_step = "dead-step";
inline constexpr std::string_view missing_second_stop = "missing-second-stop";
// The command checks (command_check.cpp; binding.hpp gives the binder's own).
inline constexpr std::string_view command_syntax = "command-syntax";
inline constexpr std::string_view unknown_command = "unknown-command";
inline constexpr std::string_view unknown_parameter = "unknown-parameter";
inline constexpr std::string_view ambiguous_parameter = "ambiguous-parameter";
inline constexpr std::string_view duplicate_parameter = "duplicate-parameter";
inline constexpr std::string_view missing_parameter_value = "missing-parameter-value";
inline constexpr std::string_view missing_mandatory_parameter = "missing-mandatory-parameter";
inline constexpr std::string_view parameter_set_conflict = "parameter-set-conflict";
inline constexpr std::string_view invalid_parameter_value = "invalid-parameter-value";
// A cmdlet, parameter or program the scenario's product lacks, as the catalogue says.
inline constexpr std::string_view not_in_product = "not-in-product";
inline constexpr std::string_view whatif_changes_nothing = "whatif-changes-nothing";
inline constexpr std::string_view database_step_command = "database-step-command";
/// A step command that live mode, passing its blank-separated words literally, would run
/// otherwise than PowerShell reads it (model::command_words).
inline constexpr std::string_view live_command_form = "live-command-form";
inline constexpr std::string_view mirrored_database_update = "mirrored-database-update";
/// A mirror's runbook that runs Install-CsDatabase, which the principal runs for the pair.
inline constexpr std::string_view mirror_database_step = "mirror-database-step";
/// A principal holding the Central Management store that fails the pool over without the
/// store (an error), or the store over without failing it back (a warning).
inline constexpr std::string_view central_mgmt_failover = "central-mgmt-failover";
inline constexpr std::string_view worst_case_outage = "worst-case-outage";
inline constexpr std::string_view worst_case_window = "worst-case-window";
/// A front end's runbook without the 20-minute settle between upgrade domains (DOMAIN.md
/// section 3), or with a wait that can be shorter.
inline constexpr std::string_view upgrade_domain_settle = "upgrade-domain-settle";
/// A command written otherwise than the article's form that does the same on this server
/// (a note).
inline constexpr std::string_view equivalent_form = "equivalent-form";
// database-variant and services-left-stopped are shared with the monitors of the same names
// (violation.hpp).
}  // namespace rules

/// How much a finding matters. Only errors make `check` exit 1.
enum class Severity : std::uint8_t {
  info,     ///< a fact worth printing: a proved bound, a bound that cannot be proved
  warning,  ///< probably a mistake, or a bound that can be exceeded
  error,    ///< the runbook or plan is wrong
};

/// "info", "warning" or "error".
std::string_view severity_name(Severity severity);

/// One result of the static analysis.
struct Finding {
  std::string_view rule;  ///< one of `rules`, or rules::database_variant
  Severity severity = Severity::error;
  /// The server's FQDN; "all servers" when the finding is the same on every planned server;
  /// "all <role> servers" when it is the same on every server of a role with two or more;
  /// "plan" for the plan as a whole.
  std::string server;
  std::vector<std::string> steps;  ///< step ids, in the order the message names them
  std::string message;             ///< one line, lower-case
  friend bool operator==(const Finding&, const Finding&) = default;
};

/// What the analysis is asked to prove.
struct AnalysisOptions {
  /// Treat warnings, and worst-case bounds that cannot be proved (a lognormal without
  /// `max_min`), as errors.
  bool strict = false;
};

/// Analyses every server of `plan` (its resolved steps, role variants applied) and the plan
/// as a whole. Findings come grouped by rule family (precedence, role, commands, timing), in plan
/// and runbook order within each; identical findings on several servers are reported once.
std::vector<Finding> analyse_plan(const model::ResolvedPlan& plan,
                                  const AnalysisOptions& options = {});

/// Whether any finding has error severity.
bool has_errors(std::span<const Finding> findings);

}  // namespace lyncupdate::check
