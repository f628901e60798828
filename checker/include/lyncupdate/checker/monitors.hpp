#pragma once
/// \file
/// The invariants checked on every run, as observers of the trace. The same monitor objects
/// run in rehearsals and in live updates.

#include <memory>
#include <span>
#include <vector>

#include "lyncupdate/checker/violation.hpp"
#include "lyncupdate/model/resolve.hpp"
#include "lyncupdate/simulator/trace.hpp"

namespace lyncupdate::check {

/// One continuous interval during which a server's back end was unavailable.
struct Outage {
  std::uint16_t server = 0;
  TimePoint begin{};
  TimePoint end{};                           ///< the run's end if it never came back
  std::uint16_t begin_step = sim::no_index;  ///< step running when it began
  std::uint16_t end_step = sim::no_index;    ///< step whose finish ended it, if any
  bool restored = false;                     ///< false: still unavailable when the run ended
  /// Ended by the mirroring witness's automatic failover (DOMAIN.md section 2), not by a step.
  bool failed_over = false;

  Duration length() const { return end - begin; }
};

/// For each planned server, the planned server that is its mirror partner (a pool's back end
/// and its mirror), or sim::no_index.
std::vector<std::uint16_t> mirror_partners(const model::ResolvedPlan& plan);

/// The monitors of one run, sharing one list of violations.
class Checker {
 public:
  /// Monitors for a run of `plan` under its scenario's limits.
  explicit Checker(const model::ResolvedPlan& plan);
  ~Checker();
  Checker(const Checker&) = delete;
  Checker& operator=(const Checker&) = delete;

  /// The observers to subscribe to the run's trace.
  std::span<sim::TraceObserver* const> observers() const { return observers_; }

  /// Every violation found, ordered by time, then by the order monitors found them.
  std::vector<Violation> violations() const;

  /// Every back-end outage of the run, in the order they began.
  std::span<const Outage> outages() const;

 private:
  struct Monitors;
  std::unique_ptr<Monitors> monitors_;
  std::vector<sim::TraceObserver*> observers_;
};

}  // namespace lyncupdate::check
