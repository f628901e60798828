// services-left-stopped in the static analysis: the runbook's final state, role variants
// applied, leaves a service stopped that one of its steps stopped. The monitor of the same
// rule (monitors.cpp) judges the end of each run with the same list of services.

#include <fmt/format.h>

#include "analysis_parts.hpp"
#include "lyncupdate/checker/violation.hpp"

namespace lyncupdate::check::detail {

std::vector<ServerFinding> left_stopped_findings(const model::ResolvedServer& server) {
  std::vector<ServerFinding> out;
  for (const ServiceToRestart& service : services_to_restart) {
    const auto slot = static_cast<std::size_t>(service.variable);
    model::StateValue value = model::initial_server_state()[slot];
    std::optional<std::size_t> stopped_by;
    for (std::size_t i = 0; i < server.steps.size(); ++i) {
      for (const model::Conditions* effects :
           {&server.steps[i].on_start, &server.steps[i].on_finish}) {
        for (const model::Condition& c : *effects) {
          if (c.variable != service.variable || c.value == value) continue;
          value = c.value;
          stopped_by = value == model::values::stopped ? std::optional(i) : std::nullopt;
        }
      }
    }
    if (!stopped_by) continue;
    const std::string& step = server.steps[*stopped_by].definition->id;
    out.push_back(ServerFinding{
        rules::services_left_stopped,
        Severity::error,
        {step},
        fmt::format("the runbook ends with {} stopped: {} stops {} and no later step starts {} "
                    "again, so {}; {} must follow",
                    service.name, step, service.it, service.it, service.meantime,
                    service.restart)});
  }
  return out;
}

}  // namespace lyncupdate::check::detail
