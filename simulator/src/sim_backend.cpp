#include "lyncupdate/simulator/sim_backend.hpp"

#include <cmath>

#include "lyncupdate/simulator/sampling.hpp"

namespace lyncupdate::sim {

void SimBackend::begin(const StepRequest& request, Engine& engine) {
  const model::ResolvedStep& step = *request.resolved;
  const model::StepTiming& timing = step.timing;
  Duration duration = sample_duration(timing.duration, *random_);
  // A graceful stop drains the sessions still signed in on the server (DOMAIN.md section 5):
  // the server's users times the profile's fraction signed in when the step starts.
  if (world_ != nullptr && timing.drain_per_thousand_users > Duration::zero() &&
      step.drain_users > 0) {
    const model::Scenario& scenario = *world_->plan().scenario;
    const double signed_in = static_cast<double>(step.drain_users) *
                             scenario.users.signed_in_fraction(engine.now().time_since_epoch(),
                                                               scenario.limits.window_start);
    duration += Duration(static_cast<Duration::rep>(std::llround(
        static_cast<double>(timing.drain_per_thousand_users.count()) * signed_in / 1000.0)));
  }
  // Draw the failure only when one is possible, so steps that cannot fail leave the
  // stream of the others untouched.
  bool drawn_failure = false;
  if (timing.failure_probability > 0.0) {
    drawn_failure = random_->uniform() < timing.failure_probability;
  }
  const bool failed = drawn_failure && chance_failures_;
  // Same rule for the installer's "reboot required": no draw unless it can happen.
  bool reboot = false;
  const auto& reboot_required = step.definition->reboot_required;
  if (!drawn_failure && reboot_required && reboot_required->probability > 0.0) {
    reboot = random_->uniform() < reboot_required->probability;
  }
  // InsufficientActiveFrontEnds (DOMAIN.md section 3): the pool has a problem; stop.
  const bool stop = step.definition->gate == model::Gate::pool_upgrade_readiness &&
                    world_ != nullptr && !world_->upgrade_domain_may_stop(request.server);
  Event event;
  event.kind = EventKind::step_finished;
  event.outcome = stop     ? StepOutcome::stop
                  : failed ? StepOutcome::failed
                  : reboot ? StepOutcome::reboot_required
                           : StepOutcome::succeeded;
  event.server = request.server;
  event.step = request.step;
  event.attempt = request.attempt;
  engine.schedule(engine.now() + duration, event);
}

}  // namespace lyncupdate::sim
