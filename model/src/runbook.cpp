#include "lyncupdate/model/runbook.hpp"

#include <algorithm>
#include <array>

namespace lyncupdate::model {
namespace {
using namespace std::string_view_literals;
constexpr std::array kind_names{"manual"sv,   "command"sv, "install"sv,
                                "database"sv, "wait"sv,    "reboot"sv};
constexpr std::array gate_names{"pool_upgrade_readiness"sv};
constexpr std::array scope_names{"central_management_store"sv};
}  // namespace

std::string_view kind_name(StepKind kind) { return kind_names.at(static_cast<std::size_t>(kind)); }

std::optional<StepKind> parse_step_kind(std::string_view name) {
  const auto it = std::ranges::find(kind_names, name);
  if (it == kind_names.end()) return std::nullopt;
  return static_cast<StepKind>(it - kind_names.begin());
}

std::string_view gate_name(Gate gate) { return gate_names.at(static_cast<std::size_t>(gate)); }

std::optional<Gate> parse_gate(std::string_view name) {
  const auto it = std::ranges::find(gate_names, name);
  if (it == gate_names.end()) return std::nullopt;
  return static_cast<Gate>(it - gate_names.begin());
}

std::string_view scope_name(StepScope scope) {
  return scope_names.at(static_cast<std::size_t>(scope));
}

std::optional<StepScope> parse_step_scope(std::string_view name) {
  const auto it = std::ranges::find(scope_names, name);
  if (it == scope_names.end()) return std::nullopt;
  return static_cast<StepScope>(it - scope_names.begin());
}

bool in_scope(StepScope scope, const UpdateTarget& target) {
  switch (scope) {
    case StepScope::central_management_store:
      return target.central_management_store;
  }
  return false;
}

bool output_satisfies(const CommandCheck& check, std::string_view out) {
  if (!check.present.empty() && out.find(check.present) == std::string_view::npos) return false;
  if (!check.absent.empty() && out.find(check.absent) != std::string_view::npos) return false;
  return true;
}

std::vector<std::string> command_words(std::string_view command) {
  const auto blank = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
  };
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < command.size()) {
    while (i < command.size() && blank(command[i])) ++i;
    const std::size_t start = i;
    while (i < command.size() && !blank(command[i])) ++i;
    if (i > start) words.emplace_back(command.substr(start, i - start));
  }
  return words;
}

bool is_bare_parameter_name(std::string_view argument) {
  const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (argument.size() < 2 || argument[0] != '-' || !letter(argument[1])) return false;
  return std::ranges::all_of(argument.substr(2),
                             [&](char c) { return letter(c) || (c >= '0' && c <= '9'); });
}

}  // namespace lyncupdate::model
