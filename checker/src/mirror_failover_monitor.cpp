#include "mirror_failover_monitor.hpp"

#include <string>

#include <fmt/format.h>

#include "lyncupdate/checker/monitors.hpp"
#include "lyncupdate/model/mirror_failover.hpp"

namespace lyncupdate::check::detail {

MirrorFailoverMonitor::MirrorFailoverMonitor(Context& context)
    : context_(&context),
      partner_(mirror_partners(*context.plan)),
      finished_(context.plan->servers.size(), 0) {}

void MirrorFailoverMonitor::on_event(const sim::TraceEvent& e) {
  if (e.kind == sim::TraceKind::step_finished) {
    if (e.step + 1U == context_->server(e.server).steps.size()) finished_[e.server] = 1;
    return;
  }
  // A retried step was judged on its first attempt; judge it once.
  if (e.kind != sim::TraceKind::step_started || e.attempt > 1) return;
  const model::ResolvedStep& step = context_->step(e.server, e.step);
  const std::uint16_t mirror = partner_[e.server];
  const bool updated = mirror != sim::no_index && finished_[mirror] != 0;
  if (!model::fails_over_to_unupdated_mirror(step, updated)) return;
  const model::UpdateTarget& target = context_->server(e.server).target;
  const std::optional<std::string>& name =
      context_->plan->scenario->topology.pools[target.index].back_end.mirror;
  const std::string who = name ? fmt::format("the mirror {}", *name) : "the mirror";
  const std::string why =
      mirror == sim::no_index ? "which the plan does not update" : "whose update has not finished";
  context_->violations.push_back(Violation{
      rules::failover_to_unupdated_mirror, e.time, e.server, e.step,
      fmt::format("step {} on {} at {} fails the databases of pool {} over to {}, {}: the pool "
                  "would run on a server without the update (DOMAIN.md section 4: update the "
                  "mirror first)",
                  step.definition->id, target.fqdn, context_->clock(e.time), target.pool_fqdn, who,
                  why)});
}

}  // namespace lyncupdate::check::detail
