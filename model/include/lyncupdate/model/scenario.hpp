#pragma once
/// \file
/// A scenario: everything one rehearsal needs, as validated values.

#include <cstdint>
#include <string>
#include <vector>

#include "lyncupdate/model/runbook.hpp"
#include "lyncupdate/model/time.hpp"
#include "lyncupdate/model/timing.hpp"
#include "lyncupdate/model/topology.hpp"

namespace lyncupdate::model {

/// Which servers are updated and in what order. Stages run one after another; the servers
/// of one stage are updated at the same time, each running the whole runbook.
struct Plan {
  std::vector<std::vector<std::string>> stages;  ///< FQDNs of update targets
};

/// The limits a rehearsal is checked against.
struct Limits {
  /// A back end unavailable this long or longer may put users into resiliency mode
  /// (DOMAIN.md section 1).
  Duration backend_outage_limit = std::chrono::minutes(30);
  /// Start of the maintenance window, as time of day (minutes after local midnight).
  Duration window_start = std::chrono::hours(22);
  Duration window_length = std::chrono::hours(4);
};

/// A whole scenario, as loaded and validated.
struct Scenario {
  std::string name;         ///< e.g. "contoso"
  std::string description;  ///< one paragraph for people
  Topology topology;
  Runbook runbook;
  TimingModel timing;
  Plan plan;
  Limits limits;
  std::uint64_t seed = 1;  ///< used when the command line gives none
};

}  // namespace lyncupdate::model
