#include "lyncupdate/model/state.hpp"

#include <algorithm>
#include <cassert>

namespace lyncupdate::model {
namespace {

using namespace std::string_view_literals;

struct VariableInfo {
  StateVariable variable;
  std::string_view name;
  std::array<std::string_view, 2> values;  // index 0 is the value before the update
};

constexpr std::array<VariableInfo, state_variable_count> variables{{
    {StateVariable::session, "session"sv, {"logged_off"sv, "logged_on"sv}},
    {StateVariable::update_package, "update_package"sv, {"absent"sv, "extracted"sv}},
    {StateVariable::management_shell, "management_shell"sv, {"closed"sv, "open"sv}},
    {StateVariable::lync_services, "lync_services"sv, {"running"sv, "stopped"sv}},
    {StateVariable::w3svc, "w3svc"sv, {"running"sv, "stopped"sv}},
    {StateVariable::binaries, "binaries"sv, {"old"sv, "updated"sv}},
    {StateVariable::assemblies, "assemblies"sv, {"current"sv, "pending"sv}},
    {StateVariable::database_schema, "database_schema"sv, {"old"sv, "updated"sv}},
    {StateVariable::backend, "backend"sv, {"available"sv, "unavailable"sv}},
    {StateVariable::upgrade_readiness, "upgrade_readiness"sv, {"unchecked"sv, "ready"sv}},
    {StateVariable::database_principal, "database_principal"sv, {"here"sv, "mirror"sv}},
}};

constexpr std::array<StateVariable, state_variable_count> all_variables = [] {
  std::array<StateVariable, state_variable_count> out{};
  for (std::size_t i = 0; i < state_variable_count; ++i) out[i] = variables[i].variable;
  return out;
}();

const VariableInfo& info(StateVariable variable) {
  const auto& entry = variables.at(static_cast<std::size_t>(variable));
  assert(entry.variable == variable);
  return entry;
}

}  // namespace

std::string_view variable_name(StateVariable variable) { return info(variable).name; }

std::span<const std::string_view> value_names(StateVariable variable) {
  return info(variable).values;
}

std::string_view value_name(StateVariable variable, StateValue value) {
  return info(variable).values.at(value);
}

std::span<const StateVariable> all_state_variables() { return all_variables; }

std::optional<StateVariable> parse_state_variable(std::string_view name) {
  for (const auto& entry : variables) {
    if (entry.name == name) return entry.variable;
  }
  return std::nullopt;
}

std::optional<StateValue> parse_state_value(StateVariable variable, std::string_view name) {
  const auto& names = info(variable).values;
  const auto it = std::ranges::find(names, name);
  if (it == names.end()) return std::nullopt;
  return static_cast<StateValue>(it - names.begin());
}

ServerState initial_server_state() { return ServerState{}; }

bool holds(const Conditions& conditions, const ServerState& state) {
  return std::ranges::all_of(conditions, [&state](const Condition& c) {
    return state[static_cast<std::size_t>(c.variable)] == c.value;
  });
}

}  // namespace lyncupdate::model
