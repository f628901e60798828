// The role check: each server's `Install-CsDatabase` form (DOMAIN.md section 1) and cmdlets
// that exist only from Skype for Business Server 2015 (DOMAIN.md section 3).

#include <array>
#include <cctype>

#include <fmt/format.h>

#include "analysis_parts.hpp"
#include "lyncupdate/checker/install_csdatabase.hpp"
#include "lyncupdate/checker/violation.hpp"

namespace lyncupdate::check::detail {
namespace {

using namespace std::string_view_literals;

constexpr std::array skype_2015_only{"Invoke-CsComputerFailOver"sv, "Invoke-CsComputerFailBack"sv,
                                     "Start-CsPool"sv};

bool same_word(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool separator(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0 || c == ';' || c == '|' || c == '(' ||
         c == ')' || c == '{' || c == '}' || c == '&';
}

// The words of a command line, split at blanks and PowerShell's statement separators.
std::vector<std::string_view> words(std::string_view command) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < command.size()) {
    while (i < command.size() && separator(command[i])) ++i;
    const std::size_t begin = i;
    while (i < command.size() && !separator(command[i])) ++i;
    if (i > begin) out.push_back(command.substr(begin, i - begin));
  }
  return out;
}

}  // namespace

bool invokes(std::string_view command, std::string_view cmdlet) {
  const auto w = words(command);
  return !w.empty() && same_word(w.front(), cmdlet);
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
      const auto parsed = parse_install_csdatabase(step.command);
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
    if (const auto parsed = parse_install_csdatabase(step.command)) {
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
    for (const std::string_view word : words(step.command)) {
      for (const std::string_view cmdlet : skype_2015_only) {
        if (!same_word(word, cmdlet)) continue;
        out.push_back(ServerFinding{
            rules::cmdlet_not_in_lync_2013,
            Severity::error,
            {step.definition->id},
            fmt::format("{} runs {}, which exists only from Skype for Business Server 2015; "
                        "Lync Server 2013 has no such cmdlet",
                        step.definition->id, cmdlet)});
      }
    }
  }
  return out;
}

}  // namespace lyncupdate::check::detail
