#pragma once
// failover-to-unupdated-mirror: a principal fails its pool's databases over to a mirror that
// does not run the update yet (model/mirror_failover.hpp, DOMAIN.md section 4). Private to the
// checker library; Checker runs it with the other monitors.

#include <cstdint>
#include <vector>

#include "lyncupdate/simulator/trace.hpp"
#include "monitor_context.hpp"

namespace lyncupdate::check::detail {

/// Judges the first attempt of every step that fails over to the mirror
/// (model::fails_over_to_mirror) against whether the mirror's runbook has finished in this
/// run (model::fails_over_to_unupdated_mirror); a mirror the plan does not update counts as
/// not updated.
class MirrorFailoverMonitor final : public sim::TraceObserver {
 public:
  explicit MirrorFailoverMonitor(Context& context);
  void on_event(const sim::TraceEvent& event) override;

 private:
  Context* context_;
  std::vector<std::uint16_t> partner_;  // per server: its planned mirror partner, if any
  std::vector<char> finished_;          // per server: its last step has finished
};

}  // namespace lyncupdate::check::detail
