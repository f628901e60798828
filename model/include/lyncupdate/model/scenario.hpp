#pragma once
/// \file
/// A scenario: everything one rehearsal needs, as validated values.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lyncupdate/model/catalogue.hpp"
#include "lyncupdate/model/runbook.hpp"
#include "lyncupdate/model/time.hpp"
#include "lyncupdate/model/timing.hpp"
#include "lyncupdate/model/topology.hpp"
#include "lyncupdate/model/users.hpp"

namespace lyncupdate::model {

/// One step start of an explicit schedule: `step` (a runbook step id) on `server` (an FQDN).
struct ScheduledStart {
  std::string server;
  std::string step;
  friend bool operator==(const ScheduledStart&, const ScheduledStart&) = default;
};

/// Which servers are updated and in what order. Stages run one after another; the servers
/// of one stage are updated at the same time, each running the whole runbook.
struct Plan {
  std::vector<std::vector<std::string>> stages;  ///< FQDNs of update targets
  /// How many operators work the plan: a step holds an operator from its start to its end
  /// (its retries and restart included), so at most this many steps run at once. Nothing:
  /// one operator per server.
  std::optional<int> operators;
  /// The order in which steps first start, across servers; empty: a free operator takes the
  /// waiting server that comes first in the plan. A schedule lists every step of every planned
  /// server once, each server's steps in runbook order, stage by stage. `verify` writes one to
  /// replay a counterexample.
  std::vector<ScheduledStart> schedule;
};

/// The limits a rehearsal is checked against.
struct Limits {
  /// A back end unavailable this long or longer may put users into resiliency mode
  /// (DOMAIN.md section 1).
  Duration backend_outage_limit = std::chrono::minutes(30);
  /// Start of the maintenance window, as time of day (minutes after local midnight).
  // ASSUMED (docs/domain-notes.md): an example window, 22:00 for four hours; the
  // organisation's own change window replaces it.
  Duration window_start = std::chrono::hours(22);
  Duration window_length = std::chrono::hours(4);
  /// At most this many planned servers may be unavailable at once; nothing: no limit.
  std::optional<int> max_servers_down;
};

/// What running the plan on real servers needs beyond the rehearsal; the simulation ignores it.
struct LiveSettings {
  /// The version the cumulative update installs, e.g. "5.0.8308.1001" (2 to 4 numeric parts
  /// separated by dots); substituted for `{update_version}` in command checks. Empty: not set.
  std::string update_version;
};

/// A whole scenario, as loaded and validated.
struct Scenario {
  /// The runbook that `target` runs: `front_end_runbook` for front ends (which must be set),
  /// `mirrored_backend_runbook` for a mirrored principal when set, `mirror_runbook` for a
  /// mirror when set, `runbook` for the others.
  const Runbook& runbook_for(const UpdateTarget& target) const {
    if (target.role == Role::front_end) return *front_end_runbook;
    if (target.mirrored_principal && mirrored_backend_runbook) return *mirrored_backend_runbook;
    if (target.mirror && mirror_runbook) return *mirror_runbook;
    return runbook;
  }

  /// Every runbook the scenario has: `runbook`, then those of front ends, mirrored principals
  /// and mirrors that are set. The last two repeat steps of `runbook` (same ids).
  std::vector<const Runbook*> runbooks() const {
    std::vector<const Runbook*> all{&runbook};
    for (const auto* other : {&front_end_runbook, &mirrored_backend_runbook, &mirror_runbook}) {
      if (*other) all.push_back(&**other);
    }
    return all;
  }

  std::string name;         ///< e.g. "contoso"
  std::string description;  ///< one paragraph for people
  Topology topology;
  /// The runbook of back ends, mirrors and Standard Edition servers (DOMAIN.md section 1).
  Runbook runbook;
  /// The runbook of pool front ends (DOMAIN.md section 3); needed when the plan names one.
  std::optional<Runbook> front_end_runbook;
  /// The runbook of a principal back end that has a mirror: fail over to the updated mirror,
  /// update, fail back (DOMAIN.md section 4); without it such principals run `runbook`.
  std::optional<Runbook> mirrored_backend_runbook;
  /// The runbook of a pool's mirror: the article's steps 1 to 10 without `Install-CsDatabase`,
  /// which the principal runs for the pair (docs/domain-notes.md, "Updating the databases of a
  /// mirrored pair"); without it mirrors run `runbook`, which check reports.
  std::optional<Runbook> mirror_runbook;
  TimingModel timing;
  Plan plan;
  Limits limits;
  UserActivity users;      ///< how the users behave; defaults when the file has no `users`
  std::uint64_t seed = 1;  ///< used when the command line gives none
  LiveSettings live;       ///< defaults (nothing set) when the file has no `live`
  /// The product the servers run; commands are checked against its catalogue entries. Every
  /// scenario is Lync Server 2013 until the format says otherwise.
  Product product = Product::lync2013;
  /// The commands the checker knows: the process-wide catalogue the loader read, which
  /// outlives every scenario; null for a scenario built without the loader, whose commands
  /// are then not checked.
  const Catalogue* catalogue = nullptr;
};

}  // namespace lyncupdate::model
