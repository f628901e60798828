#pragma once
/// \file
/// Exhaustive plan checking in worst-case time. Every step takes the longest its timing allows
/// (retries and the installer's restart included); a step holds an operator from start to
/// end; when operators free up at an instant and more servers wait than there are free
/// operators, every choice of which servers they take is explored. States are hashed, so an
/// ordering reached twice is explored once. The search is breadth first: the first violation
/// found is one reached with the fewest choices, and its schedule replays in `simulate`.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lyncupdate/checker/violation.hpp"
#include "lyncupdate/model/resolve.hpp"

namespace lyncupdate::check {

/// What `verify` is asked to do.
struct VerifyOptions {
  /// Operators working the plan; nothing: the plan's own (`plan.operators`), else one per
  /// server.
  std::optional<std::size_t> operators;
  /// Servers allowed down at once; nothing: the scenario's `limits.max_servers_down`.
  std::optional<std::size_t> max_servers_down;
  /// Stop after storing this many distinct states.
  std::uint64_t max_states = 5'000'000;
  /// Stop before the stored states, their parents and the hash table would take more than
  /// this many bytes (verify_state_bytes says how many a state takes).
  std::uint64_t max_memory = std::uint64_t{2048} << 20;
  /// Stop after this much wall time; zero: no time bound. Only this bound makes the outcome
  /// depend on the machine.
  std::chrono::milliseconds time_budget{std::chrono::seconds(60)};
  /// Merge states that no monitor can tell apart (see verify_plan); false: the plain search,
  /// which finds the same verdict, longest window and counterexample, over more states.
  bool reduce = true;
  /// Store once the states that differ only by a permutation of interchangeable servers (one
  /// stage, the same runbook facts, no mirror; front ends of one pool, upgrade domain and side
  /// of the quorum rule's "first N"; see verify_plan); false: store each. Either way the same
  /// verdict, violation, counterexample and longest window; only the counts differ.
  bool symmetry = true;
  /// Check the limits that the tails of the timing decide, the outage limit and the window, in
  /// worst-case time. False: leave them out of the proof, for a judgement by the Monte Carlo
  /// instead (what `plan` does); what the order of the servers decides (pool quorum,
  /// readiness, mirror pairs, servers down at once) is proved as before.
  bool timing_limits = true;
};

/// How a search ended.
enum class VerifyStatus : std::uint8_t {
  proved,      ///< every allowed ordering was explored; no invariant can break
  violated,    ///< an ordering breaks an invariant; see the counterexample
  incomplete,  ///< a bound stopped the search first: nothing is proved
  unbounded,   ///< a step has no upper bound (lognormal without max_min): no worst case
};

/// The JSON name of a status: "proved", "violated", "incomplete" or "unbounded".
std::string_view status_name(VerifyStatus status);

/// One event of a counterexample, in worst-case time.
struct VerifyEvent {
  TimePoint time{};
  bool start = true;  ///< a step starts (true) or ends (false)
  std::uint16_t server = 0;
  std::uint16_t step = 0;
  friend bool operator==(const VerifyEvent&, const VerifyEvent&) = default;
};

/// The outcome of a search.
struct VerifyResult {
  VerifyStatus status = VerifyStatus::proved;
  std::size_t operators = 0;  ///< operators the search assumed
  std::optional<std::size_t> max_servers_down;
  bool timing_limits = true;        ///< whether the outage limit and the window were proved
  std::uint64_t states = 0;         ///< distinct states stored
  std::uint64_t transitions = 0;    ///< successor states generated, duplicates included
  std::uint64_t choice_points = 0;  ///< states where operators had a choice
  std::chrono::nanoseconds elapsed{};
  std::string stop_reason;  ///< incomplete: which bound; unbounded: which steps
  /// violated: the broken invariant, at the time it breaks in worst-case time.
  std::optional<Violation> violation;
  /// violated: every step start and end up to the violation, in order.
  std::vector<VerifyEvent> counterexample;
  /// violated: transitions (from one instant at which steps end to the next) from the start
  /// to the violation, the fewest of any ordering that breaks an invariant.
  std::size_t depth = 0;
  /// violated: every step start of the whole plan in order (the counterexample's starts, then
  /// the plan completed in plan order), a schedule that replays the counterexample.
  std::vector<model::ResolvedStart> schedule;
  /// proved: the longest window over every ordering, in worst-case time.
  Duration longest_window{};
};

/// The bytes one stored state of `plan` takes at most: its words, its parent, choice and
/// hash, and its share of the hash table at its emptiest (four slots). `max_states` times this
/// is what a search may use; VerifyOptions::max_memory stops it before that.
std::uint64_t verify_state_bytes(const model::ResolvedPlan& plan);

/// Explores every allowed ordering of `plan` under `options`. Invariants: a back end or
/// Standard Edition server unavailable for the outage limit (backend-outage-limit), a back end
/// and its mirror unavailable at once (mirror-pair-down), more servers unavailable at once
/// than allowed (servers-down-limit), the plan ending after the window (window-overrun).
///
/// With `options.reduce`, states that no monitor can tell apart from there on are stored once:
/// a server that can no longer reach the outage limit in any ordering forgets when it went
/// down, and a stage that starts with every server available, early enough that the rest of
/// the plan cannot overrun the window (at any time without `timing_limits`), starts at one
/// time whatever the earlier stages took.
/// The search then visits states in the same order and returns the same result, states,
/// transitions and choice points apart.
///
/// With `options.symmetry`, a state that permutes the states of interchangeable servers of
/// one already stored (two front ends of one upgrade domain at each other's steps) is not
/// explored again: its future is the stored state's, permuted. The states explored are the
/// ones explored without it minus those, in the same order, so the result is again the same
/// but for the counts. Where the order of the moves at one instant could decide whether an
/// invariant breaks (a runbook whose step ends with one server stopping while another
/// restarts, near the quorum), the search finds that out and starts over without symmetry.
VerifyResult verify_plan(const model::ResolvedPlan& plan, const VerifyOptions& options = {});

/// The worst-case duration `verify` gives a step: its upper bound; nothing if unbounded.
std::optional<Duration> worst_case_duration(const model::ResolvedStep& step);

}  // namespace lyncupdate::check
