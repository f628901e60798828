// The role check: each server's `Install-CsDatabase` form (DOMAIN.md section 1). Which cmdlets
// each product has is the catalogue's (command_check.cpp, rule not-in-product).

#include <fmt/format.h>

#include "analysis_parts.hpp"
#include "lyncupdate/checker/command_line.hpp"
#include "lyncupdate/checker/install_csdatabase.hpp"
#include "lyncupdate/checker/violation.hpp"

namespace lyncupdate::check::detail {

bool invokes(std::string_view command, std::string_view cmdlet) {
  const auto line = read_command_line(command);
  if (!line) return false;
  for (const PipelineCommands& pipeline : line->statements) {
    for (const Command& c : pipeline) {
      std::string_view name = c.elements.front().text;
      if (const auto slash = name.rfind('\\'); slash != std::string_view::npos) {
        name = name.substr(slash + 1);  // Module\Cmdlet
      }
      if (model::iequals(name, cmdlet)) return true;
    }
  }
  return false;
}

std::vector<ServerFinding> role_findings(const model::ResolvedServer& server,
                                         const model::Scenario& scenario) {
  std::vector<ServerFinding> out;
  const model::UpdateTarget& target = server.target;
  // DOMAIN.md section 4: whether Install-CsDatabase -Update may run against mirrored databases
  // is disputed, so a scenario that models the mirrored procedure must state it, and with
  // "false" the runbook must remove the mirroring (Uninstall-CsMirrorDatabase) first.
  if (target.mirrored_principal && scenario.mirrored_backend_runbook &&
      server.runbook == &*scenario.mirrored_backend_runbook) {
    const std::optional<bool> allowed =
        scenario.topology.pools[target.index].back_end.mirrored_database_update;
    bool unmirrored = false;
    for (const model::ResolvedStep& step : server.steps) {
      if (invokes(step.command, "Uninstall-CsMirrorDatabase")) unmirrored = true;
      const auto parsed =
          parse_install_csdatabase(step.command, scenario.catalogue, scenario.product);
      if (!parsed || !parsed->update) continue;
      std::string problem;
      if (!allowed) {
        problem =
            "the scenario does not say whether that works: the cmdlet reference says it "
            "cannot, community notes say it can from CU2; set \"mirrored_database_update\" "
            "on the pool's back end";
      } else if (!*allowed && !unmirrored) {
        problem =
            "which the scenario says cannot be done (\"mirrored_database_update\": false); "
            "remove the mirroring first with Uninstall-CsMirrorDatabase";
      }
      if (!problem.empty()) {
        out.push_back(ServerFinding{
            rules::mirrored_database_update,
            Severity::error,
            {step.definition->id},
            fmt::format(
                "{} runs Install-CsDatabase -Update against the mirrored databases of {}, {}",
                step.definition->id, target.pool_fqdn, problem)});
      }
      break;
    }
  }
  for (const model::ResolvedStep& step : server.steps) {
    if (const auto parsed =
            parse_install_csdatabase(step.command, scenario.catalogue, scenario.product)) {
      if (auto problem = install_csdatabase_problem(*parsed, target.role, target.sql_server_fqdn)) {
        out.push_back(ServerFinding{
            rules::database_variant, Severity::error, {step.definition->id}, std::move(*problem)});
      } else {
        for (InstallCsDatabaseRemark& remark :
             install_csdatabase_remarks(*parsed, target.role, target.sql_server_fqdn)) {
          out.push_back(ServerFinding{remark.rule,
                                      remark.severity,
                                      {step.definition->id},
                                      fmt::format("{}: {}", step.definition->id, remark.message)});
        }
      }
    }
  }
  return out;
}

}  // namespace lyncupdate::check::detail
