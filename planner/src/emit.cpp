#include "lyncupdate/planner/emit.hpp"

#include <nlohmann/json.hpp>

namespace lyncupdate::planner {

std::expected<std::string, std::string> scenario_with_plan(std::string_view self_contained,
                                                           const model::Plan& plan) {
  // Ordered, so that the scenario keeps the order of its members, as the loader prints it.
  using Json = nlohmann::ordered_json;
  Json scenario = Json::parse(self_contained, nullptr, false);
  if (scenario.is_discarded() || !scenario.is_object()) {
    return std::unexpected(std::string("the scenario text is not a JSON object"));
  }
  Json& out = scenario["plan"];
  if (!out.is_object()) out = Json::object();
  out["stages"] = plan.stages;
  if (plan.operators) {
    out["operators"] = *plan.operators;
  } else {
    out.erase("operators");
  }
  out.erase("schedule");
  return scenario.dump(2) + "\n";
}

}  // namespace lyncupdate::planner
