#pragma once
/// \file
/// What a valid scenario may ask of the machine: the limits of the engine's data structures,
/// and a budget for the user model and the simulated time, estimated before anything runs
/// (README, "Limits and budgets"). A scenario beyond them is refused at load, naming the
/// field to change, so that no run exhausts the machine halfway.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "lyncupdate/model/resolve.hpp"
#include "lyncupdate/model/time.hpp"
#include "lyncupdate/model/topology.hpp"

namespace lyncupdate::model {

/// The most servers a topology may hold: the engine numbers servers with 16 bits and keeps
/// the largest number for "no server" (sim::no_index).
inline constexpr std::size_t max_servers = 65'534;

/// The most users one pool or Standard Edition server may home: the user model numbers a
/// home's users with 32 bits. More is an error, never clamped.
inline constexpr std::int64_t max_users_per_home = 4'294'967'295;

/// The budget of one run. Each user costs the user model about bytes_per_user bytes per
/// worker thread; each simulated session two events.
inline constexpr std::int64_t max_simulated_users = 20'000'000;
inline constexpr std::int64_t bytes_per_user = 24;
/// The simulated span: a rollout of more than 90 days is a mistake in its timing.
inline constexpr Duration max_simulated_span = std::chrono::hours(24 * 90);
/// Sessions the user model simulates in one run: users times the span over the mean session.
inline constexpr double max_simulated_sessions = 200'000'000.0;

/// How many servers `topology` holds (front ends, back ends, mirrors, Standard Edition
/// servers).
std::size_t server_count(const Topology& topology);

/// The error of a topology with more than max_servers servers, at "/topology".
std::optional<ModelError> topology_size_problem(const Topology& topology);

/// What one run of a plan will cost, estimated before it runs.
struct RunCost {
  /// The simulated span: per stage, the longest server's steps end to end (each step at its
  /// upper bound, a lognormal without max_min at its 95th percentile, drains with every user
  /// signed in), stages one after the other.
  Duration span{};
  /// The server and step whose estimate weighs most in the span (indices into the plan).
  std::size_t span_server = 0;
  std::size_t span_step = 0;
  bool span_step_drains = false;  ///< its drain, not its duration, made it the largest
  std::int64_t users = 0;         ///< users of every pool and Standard Edition server
  double sessions = 0.0;          ///< users * (1 + span / session_mean)
  std::int64_t user_bytes = 0;    ///< memory of the user model, per worker thread
};

/// Estimates the cost of one run of `plan` (RunCost).
RunCost estimate_run_cost(const ResolvedPlan& plan);

/// The budget's errors for `plan`, each at the field to change; empty when it fits.
std::vector<ModelError> budget_problems(const ResolvedPlan& plan);

}  // namespace lyncupdate::model
