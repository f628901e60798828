#pragma once
/// \file
/// The state of one server that runbook steps read (preconditions) and change (effects).
/// The vocabulary is fixed, so that the loader can reject typos and the checker can hash
/// states; every variable has a small set of named values (DOMAIN.md section 1).

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace lyncupdate::model {

/// A fact about one server that a step can require or change.
enum class StateVariable : std::uint8_t {
  session,           ///< logged_off | logged_on (article step 1)
  update_package,    ///< absent | extracted (article step 2)
  management_shell,  ///< closed | open (steps 3, 6, 8)
  lync_services,     ///< running | stopped (steps 4, 9, and the closing start)
  w3svc,             ///< running | stopped: IIS (steps 5, 10)
  binaries,          ///< old | updated: the installed Lync binaries (step 7)
  assemblies,        ///< current | pending: new GAC assemblies not yet picked up (steps 7, 9)
  database_schema,   ///< old | updated (step 11)
  backend,           ///< available | unavailable: the back end as the pool's users see it
  /// unchecked | ready: `Get-CsPoolUpgradeReadinessState` said the server's upgrade domain may
  /// be taken down (front ends, DOMAIN.md section 3)
  upgrade_readiness,
  /// here | mirror: which server of a mirrored pair is the databases' principal, as
  /// `Invoke-CsDatabaseFailover` sets it (DOMAIN.md section 4)
  database_principal,
};

/// How many state variables there are.
inline constexpr std::size_t state_variable_count = 11;

/// A value of a state variable: an index into `value_names(variable)`.
using StateValue = std::uint8_t;

/// The whole state of one server; indexed by StateVariable.
using ServerState = std::array<StateValue, state_variable_count>;

/// The JSON name of a variable, e.g. "w3svc".
std::string_view variable_name(StateVariable variable);

/// The JSON names of a variable's values, in index order; index 0 is the value before the
/// update starts for every variable but none other.
std::span<const std::string_view> value_names(StateVariable variable);

/// The JSON name of one value of a variable.
std::string_view value_name(StateVariable variable, StateValue value);

/// Every variable, in declaration order.
std::span<const StateVariable> all_state_variables();

/// The variable called `name`, if any.
std::optional<StateVariable> parse_state_variable(std::string_view name);

/// The value of `variable` called `name`, if any.
std::optional<StateValue> parse_state_value(StateVariable variable, std::string_view name);

/// The state of a server before the update: logged off, nothing extracted, shell closed,
/// services and IIS running, old binaries and schema, back end available.
ServerState initial_server_state();

/// `variable` has `value`: one precondition or one effect.
struct Condition {
  StateVariable variable{};
  StateValue value{};
  friend bool operator==(const Condition&, const Condition&) = default;
};

/// A conjunction (preconditions) or an assignment list (effects), in file order.
using Conditions = std::vector<Condition>;

/// Whether every condition holds in `state`.
bool holds(const Conditions& conditions, const ServerState& state);

/// Named values used throughout, so code reads as the domain does.
namespace values {
inline constexpr StateValue logged_on = 1;
inline constexpr StateValue extracted = 1;
inline constexpr StateValue shell_open = 1;
inline constexpr StateValue running = 0;
inline constexpr StateValue stopped = 1;
inline constexpr StateValue updated = 1;
inline constexpr StateValue assemblies_pending = 1;
inline constexpr StateValue available = 0;
inline constexpr StateValue unavailable = 1;
inline constexpr StateValue ready = 1;
inline constexpr StateValue on_mirror = 1;  ///< database_principal: the mirror is principal
}  // namespace values

}  // namespace lyncupdate::model
