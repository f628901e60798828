// The two servers of a mirrored back end (DOMAIN.md section 4; docs/domain-notes.md):
//
// mirror-database-step: a mirror's runbook runs no Install-CsDatabase. The principal updates
// the pair's databases, which database mirroring copies to the mirror, and `-Update` "cannot
// be used against mirrored databases" (office-docs-powershell Install-CsDatabase): on the
// mirror the step updates nothing it declares ("Updating the databases of a mirrored pair").
//
// central-mgmt-failover: a principal that holds the Central Management store fails the store
// over with the user store, one `Invoke-CsDatabaseFailover -DatabaseType` per database type
// ("If the pool hosts the Central Management Server, perform the failover of the Central
// Management store": Lync Server 2013, "Failing over a mirrored database", JJ204991), before
// the installer takes the principal down, and fails it back afterwards.

#include <optional>

#include <fmt/format.h>

#include "analysis_parts.hpp"
#include "lyncupdate/checker/binding.hpp"
#include "lyncupdate/checker/command_line.hpp"
#include "lyncupdate/model/catalogue.hpp"
#include "lyncupdate/model/mirror_failover.hpp"

namespace lyncupdate::check::detail {
namespace {

constexpr std::string_view failover_source =
    "Lync Server 2013, \"Failing over a mirrored database\", JJ204991";

// Where `Invoke-CsDatabaseFailover -DatabaseType CentralMgmt` moves the store: the
// -NewPrincipal value as written ("Mirror", "Primary"); nothing when `command` runs no such
// failover.
std::optional<std::string> central_management_failover(std::string_view command,
                                                       const model::Scenario& scenario) {
  if (scenario.catalogue == nullptr) return std::nullopt;
  const auto line = read_command_line(command);
  if (!line) return std::nullopt;
  for (const PipelineCommands& pipeline : line->statements) {
    for (std::size_t i = 0; i < pipeline.size(); ++i) {
      const Binding binding = bind_command(pipeline[i], *scenario.catalogue, scenario.product, i);
      if (binding.cmdlet == nullptr ||
          !model::iequals(binding.cmdlet->name, "Invoke-CsDatabaseFailover")) {
        continue;
      }
      const auto type = binding.value("DatabaseType");
      if (type && model::iequals(*type, "CentralMgmt")) {
        return binding.value("NewPrincipal").value_or("");
      }
    }
  }
  return std::nullopt;
}

std::vector<ServerFinding> mirror_database_findings(const model::ResolvedServer& server) {
  std::vector<ServerFinding> out;
  for (const model::ResolvedStep& step : server.steps) {
    if (step.definition->kind != model::StepKind::database &&
        !invokes(step.command, "Install-CsDatabase")) {
      continue;
    }
    out.push_back(ServerFinding{
        rules::mirror_database_step,
        Severity::error,
        {step.definition->id},
        fmt::format("{} is the mirror of {}'s back end, and {} runs Install-CsDatabase on it: the "
                    "principal updates the pair's databases, which mirroring copies here, and "
                    "-Update cannot run against mirrored databases (office-docs-powershell "
                    "Install-CsDatabase); give mirrors \"mirror_runbook\": \"mirror-update\"",
                    server.target.fqdn, server.target.pool_fqdn, step.definition->id)});
  }
  return out;
}

std::vector<ServerFinding> central_management_findings(const model::ResolvedServer& server,
                                                       const model::Scenario& scenario) {
  const auto& steps = server.steps;
  std::optional<std::size_t> user_failover;
  for (std::size_t i = 0; i < steps.size() && !user_failover; ++i) {
    if (model::fails_over_to_mirror(steps[i])) user_failover = i;
  }
  if (!user_failover) return {};
  std::optional<std::size_t> install;  // the first installer after the failover
  std::optional<std::size_t> to_mirror;
  std::optional<std::size_t> back;  // a failback after the store's failover
  for (std::size_t i = *user_failover; i < steps.size(); ++i) {
    if (!install && steps[i].definition->kind == model::StepKind::install) install = i;
    const auto moved = central_management_failover(steps[i].command, scenario);
    if (!moved) continue;
    if (!to_mirror && model::iequals(*moved, "Mirror")) to_mirror = i;
    if (to_mirror && i > *to_mirror && model::iequals(*moved, "Primary")) back = i;
  }
  const std::string& failover_id = steps[*user_failover].definition->id;
  if (!to_mirror || (install && *install < *to_mirror)) {
    std::vector<std::string> named{failover_id};
    if (install) named.push_back(steps[*install].definition->id);
    return {ServerFinding{
        rules::central_mgmt_failover, Severity::error, named,
        fmt::format("{} holds the Central Management store, and {} fails the pool over to the "
                    "mirror, but the store is not failed over {}: add Invoke-CsDatabaseFailover "
                    "-PoolFqdn {} -DatabaseType CentralMgmt -NewPrincipal Mirror, one call per "
                    "database type ({})",
                    server.target.fqdn, failover_id,
                    install ? fmt::format("before {}", steps[*install].definition->id)
                            : std::string("at all"),
                    server.target.pool_fqdn, failover_source)}};
  }
  if (!back) {
    const std::string& id = steps[*to_mirror].definition->id;
    return {ServerFinding{
        rules::central_mgmt_failover,
        Severity::warning,
        {id},
        fmt::format("{} fails the Central Management store over to the mirror and never back: "
                    "add Invoke-CsDatabaseFailover -PoolFqdn {} -DatabaseType CentralMgmt "
                    "-NewPrincipal Primary after the update ({})",
                    id, server.target.pool_fqdn, failover_source)}};
  }
  return {};
}

}  // namespace

std::vector<ServerFinding> mirrored_pair_findings(const model::ResolvedServer& server,
                                                  const model::Scenario& scenario) {
  if (server.target.mirror) return mirror_database_findings(server);
  if (server.target.mirrored_principal && server.target.central_management_store) {
    return central_management_findings(server, scenario);
  }
  return {};
}

}  // namespace lyncupdate::check::detail
