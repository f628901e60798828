#include "lyncupdate/simulator/sim_backend.hpp"

#include "lyncupdate/simulator/sampling.hpp"

namespace lyncupdate::sim {

void SimBackend::begin(const StepRequest& request, Engine& engine) {
  const model::StepTiming& timing = request.resolved->timing;
  const Duration duration = sample_duration(timing.duration, *random_);
  // Draw the failure only when one is possible, so steps that cannot fail leave the
  // stream of the others untouched.
  bool failed = false;
  if (timing.failure_probability > 0.0) failed = random_->uniform() < timing.failure_probability;
  // Same rule for the installer's "reboot required": no draw unless it can happen.
  bool reboot = false;
  const auto& reboot_required = request.resolved->definition->reboot_required;
  if (!failed && reboot_required && reboot_required->probability > 0.0) {
    reboot = random_->uniform() < reboot_required->probability;
  }
  Event event;
  event.kind = EventKind::step_finished;
  event.outcome = failed   ? StepOutcome::failed
                  : reboot ? StepOutcome::reboot_required
                           : StepOutcome::succeeded;
  event.server = request.server;
  event.step = request.step;
  event.attempt = request.attempt;
  engine.schedule(engine.now() + duration, event);
}

}  // namespace lyncupdate::sim
