#pragma once
/// \file
/// Binding one command (command_line.hpp) to the catalogue with PowerShell's rules
/// (about_Parameters, about_Parameter_Sets, about_Command_Precedence), so that the checker
/// knows what a runbook's command means on the product it targets.
///
/// Rules implemented, in PowerShell's order:
/// - the command name compares without regard to case, against cmdlet names, command aliases
///   and native programs (by file name, a path before it ignored, `.exe` optional); a
///   module-qualified name `Module\Cmdlet` must name the cmdlet's module, which for the
///   product's own cmdlets is the product's (model::product_module);
/// - a cmdlet or parameter that the scenario's product lacks is an error;
/// - a parameter name is an exact name or alias (common parameters included), else a unique
///   prefix of the names and aliases; several candidates are an error naming them;
/// - a switch takes no value except `-Switch:$true` / `-Switch:$false`; `:$false` leaves it
///   unset; any other parameter takes its `:value` or the next element, whose absence is an
///   error; a parameter bound twice is an error;
/// - the remaining elements bind by position to the positional parameters of the parameter
///   sets that hold every named parameter; the last of them takes what is left over when it
///   takes remaining arguments (Write-Output's InputObject);
/// - parameter-set resolution: the sets holding every bound parameter (none: an error naming
///   two parameters and their sets), then a set whose mandatory parameters are all bound (none:
///   an error naming the first missing one);
/// - an enum parameter's literal value must be one of its values, without regard to case.
///
/// Not supported: pipeline input binding (a command after `|` is not asked for its mandatory
/// parameters), default parameter sets (when several sets fit, the first is taken), type
/// conversion of values other than enums, dynamic parameters, splatting, and values that are
/// variables or expressions (never judged). A native program's arguments must match one of
/// its forms exactly.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lyncupdate/checker/command_line.hpp"
#include "lyncupdate/checker/runbook_analysis.hpp"
#include "lyncupdate/model/catalogue.hpp"

namespace lyncupdate::check {

/// Why a command does not bind, with the rule id the checker reports it under.
struct BindingProblem {
  std::string_view rule;  ///< one of `rules`, e.g. rules::unknown_parameter
  std::string message;    ///< lower-case clause about the command, without the step
  std::string page;       ///< the catalogue page to cite; empty when none applies
  friend bool operator==(const BindingProblem&, const BindingProblem&) = default;
};

/// One parameter given a value.
struct BoundParameter {
  std::size_t index = 0;  ///< into Cmdlet::parameters
  /// Switch: whether it is set (`-Switch:$false` binds it unset). Others: true.
  bool set = true;
  std::optional<Element> value;  ///< non-switch parameters: the value element
};

/// What a command means, as far as it bound; `problem` is the first error met (binding goes
/// on past it so that callers still see every named parameter).
struct Binding {
  std::string name;                               ///< the command name as written
  const model::Cmdlet* cmdlet = nullptr;          ///< when it is a cmdlet
  const model::NativeProgram* program = nullptr;  ///< when it is a native program
  std::vector<BoundParameter> parameters;         ///< in the order they bound
  const model::ParameterSet* set = nullptr;       ///< the resolved set, when one fits
  std::vector<std::string> arguments;             ///< native programs: the arguments
  std::optional<BindingProblem> problem;

  /// The parameter called exactly `name` (the catalogue's spelling), when bound.
  const BoundParameter* find(std::string_view name) const;
  /// Whether switch or parameter `name` is bound and, for a switch, set.
  bool is_set(std::string_view name) const;
  /// The literal value of parameter `name`, when bound to a word.
  std::optional<std::string> value(std::string_view name) const;
};

/// Binds `command` (elements[0] the name, at least one element) for `product`.
/// `pipeline_position` is 0 for the first command of a pipeline.
Binding bind_command(const Command& command, const model::Catalogue& catalogue,
                     model::Product product, std::size_t pipeline_position = 0);

/// The catalogue's command name closest to `name` by edit distance (case ignored), when one is
/// within a third of the name's length; for "did you mean".
std::optional<std::string> closest_command(std::string_view name,
                                           const model::Catalogue& catalogue);

}  // namespace lyncupdate::check
