#pragma once
/// \file
/// What a monitor reports when an invariant breaks.

#include <cstdint>
#include <string>
#include <string_view>

#include "lyncupdate/model/time.hpp"
#include "lyncupdate/simulator/trace.hpp"

namespace lyncupdate::check {

/// Stable rule identifiers: they appear in output, JSON and documentation.
namespace rules {
inline constexpr std::string_view backend_outage_limit = "backend-outage-limit";
inline constexpr std::string_view step_precondition = "step-precondition";
inline constexpr std::string_view database_variant = "database-variant";
/// A service the runbook stopped (the Lync services, W3SVC) is still stopped when the run ends;
/// also a finding of the static analysis, from the runbook's final state.
inline constexpr std::string_view services_left_stopped = "services-left-stopped";
inline constexpr std::string_view window_overrun = "window-overrun";
inline constexpr std::string_view mirror_pair_down = "mirror-pair-down";
inline constexpr std::string_view servers_down_limit = "servers-down-limit";
inline constexpr std::string_view pool_quorum = "pool-quorum";
inline constexpr std::string_view routing_group_quorum = "routing-group-quorum";
inline constexpr std::string_view upgrade_readiness = "upgrade-readiness";
/// A principal fails over to a mirror that does not run the update yet (DOMAIN.md section 4).
inline constexpr std::string_view failover_to_unupdated_mirror = "failover-to-unupdated-mirror";
}  // namespace rules

/// One broken invariant in one run.
struct Violation {
  std::string_view rule;                 ///< one of `rules`
  TimePoint time{};                      ///< when it became true
  std::uint16_t server = sim::no_index;  ///< index into ResolvedPlan::servers, if any
  std::uint16_t step = sim::no_index;    ///< index into that server's steps, if any
  std::string message;                   ///< one line, lower-case, explains what and why
};

}  // namespace lyncupdate::check
