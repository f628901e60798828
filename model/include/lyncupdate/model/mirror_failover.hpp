#pragma once
/// \file
/// The rule that a pool's databases fail over only to a mirror that already runs the update
/// (DOMAIN.md section 4, community practice: update the mirror, fail over to it, update the
/// principal, fail back). One statement of it, read by all who hold it: the planner orders a
/// pool's mirror before its principal (planner::constraints), and `check`'s monitor and
/// `verify`'s search judge every step that fails over against whether the mirror's runbook
/// has finished (rule `failover-to-unupdated-mirror`).

#include <string_view>

#include "lyncupdate/model/resolve.hpp"

namespace lyncupdate::model {

/// Why the mirror comes first, as the planner and the checkers say it.
inline constexpr std::string_view mirror_first_reason =
    "DOMAIN.md section 4, community practice: update the mirror, then the principal, which "
    "fails over to the updated mirror meanwhile";

/// Whether `step` moves its pool's databases to the mirror: its effects (start or finish) set
/// `database_principal` to mirror, as `Invoke-CsDatabaseFailover -NewPrincipal mirror` does.
bool fails_over_to_mirror(const ResolvedStep& step);

/// Whether starting `step` breaks the rule: it fails over to the mirror while the mirror's
/// update has not finished (`mirror_updated`: every step of the mirror's runbook has finished
/// in this run; false when the plan does not update the mirror at all, since nothing then
/// shows that it runs the update).
bool fails_over_to_unupdated_mirror(const ResolvedStep& step, bool mirror_updated);

}  // namespace lyncupdate::model
