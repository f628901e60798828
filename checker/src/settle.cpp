// upgrade-domain-settle: between a pool's upgrade domains the pool is given 20 minutes after a
// domain reports Ready, the timer restarting if it goes Not Ready (DOMAIN.md section 3; OD
// Lync/LyncServer/lync-server-2013-topologies-and-components-for-front-end-servers-instant-
// messaging-and-presence.md, TechNet Gg412996, "Improving the Reliability of Pool Upgrades").
//
// How the analysis recognises the settle: on a front end, the `wait` steps that come after the
// last step that starts its Lync services again (sets lync_services to running). A domain is
// Ready once its servers run again, so that is where the wait belongs; the shortest each of
// those waits can take (its timing's lower bound on this server, the first attempt
// succeeding) added up must reach 20 minutes. A front-end runbook that never starts its
// services again is left to services-left-stopped. Every front end is judged, the last domain
// of a pool included: the runbook is one for all domains.

#include <fmt/format.h>

#include "analysis_parts.hpp"

namespace lyncupdate::check::detail {
namespace {

using namespace std::chrono_literals;

constexpr Duration settle_minimum = 20min;
constexpr std::string_view settle_source =
    "Gg412996, \"Improving the Reliability of Pool Upgrades\"";

}  // namespace

std::vector<ServerFinding> settle_findings(const model::ResolvedServer& server) {
  if (server.target.role != model::Role::front_end) return {};
  std::optional<std::size_t> back;  // the last step that starts the services again
  for (std::size_t i = 0; i < server.steps.size(); ++i) {
    for (const model::Conditions* effects :
         {&server.steps[i].on_start, &server.steps[i].on_finish}) {
      for (const model::Condition& c : *effects) {
        if (c.variable == model::StateVariable::lync_services) {
          back = c.value == model::values::running ? std::optional(i) : back;
        }
      }
    }
  }
  if (!back) return {};
  std::vector<std::string> waits;
  Duration shortest{};
  for (std::size_t i = *back + 1; i < server.steps.size(); ++i) {
    if (server.steps[i].definition->kind != model::StepKind::wait) continue;
    waits.push_back(server.steps[i].definition->id);
    shortest += server.steps[i].timing.duration.lower_bound();
  }
  const std::string& started = server.steps[*back].definition->id;
  if (waits.empty()) {
    return {ServerFinding{
        rules::upgrade_domain_settle,
        Severity::error,
        {started},
        fmt::format("no wait follows {}: the next upgrade domain must wait {} after this one "
                    "reports Ready, restarting the timer if it goes Not Ready ({})",
                    started, format_duration(settle_minimum), settle_source)}};
  }
  if (shortest >= settle_minimum) return {};
  return {ServerFinding{
      rules::upgrade_domain_settle, Severity::error, waits,
      fmt::format("{} after {} can last {}, less than the {} the pool is given after an upgrade "
                  "domain reports Ready ({})",
                  fmt::join(waits, ", "), started, format_duration(shortest),
                  format_duration(settle_minimum), settle_source)}};
}

}  // namespace lyncupdate::check::detail
