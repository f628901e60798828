#pragma once
/// \file
/// The planner's output file: the scenario it planned, self-contained, with the new plan. The
/// only part of the planner that sees JSON.

#include <expected>
#include <string>
#include <string_view>

#include "lyncupdate/model/scenario.hpp"

namespace lyncupdate::planner {

/// `self_contained` (a scenario as loader::self_contained_scenario prints it) with its `plan`
/// replaced by `plan`: `stages`, `operators` when set, no `schedule`; every other member of the
/// plan and of the scenario kept as it was, in the same order. Pretty printed with two-space
/// indents and a final newline. Error: the text is not a JSON object (a lower-case reason).
std::expected<std::string, std::string> scenario_with_plan(std::string_view self_contained,
                                                           const model::Plan& plan);

}  // namespace lyncupdate::planner
