#pragma once
/// \file
/// The confirmation of a candidate plan: exhaustive verification in worst-case time (with the
/// unbounded lognormal tails capped) and a Monte Carlo batch of the plan's timeline.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lyncupdate/checker/verify.hpp"
#include "lyncupdate/model/scenario.hpp"
#include "lyncupdate/montecarlo/batch.hpp"
#include "lyncupdate/montecarlo/statistics.hpp"
#include "lyncupdate/planner/search.hpp"

namespace lyncupdate::planner {

/// Stages of server FQDNs, as model::Plan::stages.
using Stages = std::vector<std::vector<std::string>>;

/// What a plan must pass, and how it is measured.
struct ConfirmOptions {
  /// A plan passes the Monte Carlo when the share of runs in which an outage reaches the limit
  /// is below this, in (0, 1].
  double max_risk = 0.01;
  std::uint64_t runs = 2000;  ///< Monte Carlo runs per plan, at least 1
  std::uint64_t seed = 1;     ///< run i of every plan draws from the generator of (seed, i)
  unsigned threads = 0;       ///< Monte Carlo threads, 0: one per hardware thread
  /// For the worst-case check only, every lognormal step without `max_min` is capped at this
  /// factor times its 95th percentile (above 1).
  double cap_factor = 2.5;
  /// Prove the outage limit and the window in worst-case time too. False (the default): the
  /// proof covers what the order of the servers decides (pool quorum, readiness, mirror pairs,
  /// servers down at once), and the Monte Carlo judges what the tails of the timing decide:
  /// the risk of an outage reaching the limit, and the P95 window against the window. With
  /// unbounded tails capped, a back end whose own runbook can pass the limit would otherwise
  /// make every plan fail.
  bool prove_timing_limits = false;
  std::uint64_t verify_max_states = 5'000'000;  ///< bound on the verification's states
};

/// How one plan fared.
struct Evaluation {
  Candidate candidate;  ///< the plan as items, with its estimate
  Stages stages;        ///< the same plan as FQDNs
  check::VerifyStatus verify = check::VerifyStatus::proved;
  std::uint64_t verify_states = 0;
  std::size_t verify_operators = 0;  ///< operators the verification assumed
  Duration longest_window{};         ///< proved: the longest window in worst-case time
  std::string verify_problem;  ///< not proved: the broken rule and why, or the bound that stopped
  bool simulated = false;      ///< the Monte Carlo ran (for a candidate, only once verify proved)
  std::uint64_t runs = 0;
  std::uint64_t runs_reaching_limit = 0;
  Duration window_p50{};  ///< nearest-rank percentiles of when the plan ended
  Duration window_p95{};
  mc::Interval risk_interval;  ///< 95% Wilson score interval of the risk
  bool passed = false;
  std::string rejection;  ///< why it did not pass; empty when it did

  /// runs_reaching_limit / runs; 0 when nothing was simulated.
  double risk() const;
  friend bool operator==(const Evaluation& a, const Evaluation& b);
};

/// Confirms plans of one scenario: the same topology, runbook, timing and limits with other
/// stages; `operators` and the limits stay the scenario's.
class Confirmer {
 public:
  /// `scenario` must outlive the confirmer.
  Confirmer(const model::Scenario& scenario, const ConfirmOptions& options);

  /// Verifies `stages` (the capped timing), then, if proved or `always_simulate`, runs the
  /// Monte Carlo. `deadline` bounds the verification's wall time; nothing: only its state
  /// bound.
  Evaluation evaluate(const Candidate& candidate, const Stages& stages,
                      std::optional<std::chrono::steady_clock::time_point> deadline,
                      bool always_simulate = false) const;

  /// The exhaustive verification of `stages`, with the unbounded tails capped.
  check::VerifyResult verify(const Stages& stages,
                             std::optional<std::chrono::steady_clock::time_point> deadline) const;

  /// The Monte Carlo batch of `stages`. The plan's timeline is drawn exactly as mc::run_batch
  /// draws it from the scenario (same windows, outages and counts of runs reaching the limit);
  /// the users' sessions, which draw from a stream of their own and only shape the user
  /// impact, are left out, which makes a batch many times faster. Its user samples are zero.
  /// `seed`: instead of the options' seed.
  mc::BatchResult batch(const Stages& stages, std::optional<std::uint64_t> seed = {}) const;

  const ConfirmOptions& options() const { return options_; }

 private:
  const model::Scenario* scenario_;
  ConfirmOptions options_;
  model::Scenario capped_;  // the scenario with capped tails
};

}  // namespace lyncupdate::planner
