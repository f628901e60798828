#pragma once
/// \file
/// A batch of Monte Carlo runs of one plan: run i draws from RunRandom(seed, i), runs are
/// spread over threads in chunks, and every per-run figure is kept as an exact integer
/// sample in run-index order, so a batch can be split (threads, shards on other machines)
/// and merged again into exactly the result of one unsplit batch.

#include <array>
#include <cstdint>
#include <expected>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "lyncupdate/checker/violation.hpp"
#include "lyncupdate/model/resolve.hpp"

namespace lyncupdate::mc {

/// The rules counted per batch, in the order reports list them.
inline constexpr std::array<std::string_view, 11> counted_rules{
    check::rules::backend_outage_limit,
    check::rules::step_precondition,
    check::rules::database_variant,
    check::rules::services_left_stopped,
    check::rules::window_overrun,
    check::rules::mirror_pair_down,
    check::rules::servers_down_limit,
    check::rules::pool_quorum,
    check::rules::routing_group_quorum,
    check::rules::upgrade_readiness,
    check::rules::failover_to_unupdated_mirror};

/// One server of the plan, as a batch report names it.
struct BatchServer {
  std::string fqdn;
  model::Role role{};
  std::size_t stage = 0;  ///< index into the plan's stages
  friend bool operator==(const BatchServer&, const BatchServer&) = default;
};

/// Everything a report needs about the scenario, so that merging partial results never
/// needs the scenario itself.
struct BatchScenario {
  std::string name;
  std::string hash;  ///< scenario_fingerprint() of the scenario
  std::uint64_t seed = 0;
  std::size_t stages = 0;
  Duration backend_outage_limit{};
  Duration window_start{};
  Duration window_length{};
  std::vector<BatchServer> servers;  ///< plan order
  friend bool operator==(const BatchScenario&, const BatchScenario&) = default;
};

/// The per-run samples and counts of the runs [first_run, end_run) of a batch of
/// `runs_total` runs. Samples are exact milliseconds, in run-index order.
struct BatchResult {
  BatchScenario scenario;
  std::uint64_t runs_total = 0;
  std::uint64_t first_run = 0;
  std::uint64_t end_run = 0;
  /// Per run: when the run ended, from the start of the window.
  std::vector<std::int64_t> window_ms;
  /// Per server, per run: the server's longest continuous back-end outage (0 if none).
  std::vector<std::vector<std::int64_t>> longest_outage_ms;
  std::uint64_t runs_reaching_limit = 0;  ///< some outage reached the limit
  std::uint64_t runs_stopped = 0;         ///< a failed step stopped the plan
  std::uint64_t runs_with_violations = 0;
  std::array<std::uint64_t, counted_rules.size()> violations{};  ///< per counted_rules entry
  std::array<std::uint64_t, counted_rules.size()> runs_with_rule{};
  std::uint64_t failed_attempts = 0;   ///< step attempts that failed, retried or not
  std::uint64_t retried_attempts = 0;  ///< failed attempts that were tried again
  std::uint64_t reboots = 0;           ///< installer "reboot required" outcomes
  /// Per user-impact metric (user_metrics order), per run: the exact count (users,
  /// user-milliseconds, operations, conferences).
  std::array<std::vector<std::int64_t>, 6> user_samples;

  std::uint64_t runs() const { return end_run - first_run; }
};

/// The user-impact metrics a batch keeps one exact sample of per run, in the order of
/// BatchResult::user_samples; the names are those of the JSON formats.
inline constexpr std::array<std::string_view, 6> user_metrics{
    "users_affected",    "resiliency_user_ms", "disconnected_user_ms",
    "failed_operations", "conferences_ended",  "users_moved"};

/// The labels of user_metrics, as the reports word them.
inline constexpr std::array<std::string_view, user_metrics.size()> user_metric_labels{
    "users affected",
    "user-minutes in resiliency mode",
    "user-minutes disconnected",
    "failed operations",
    "conferences ended",
    "users moved"};

/// A stable 64-bit FNV-1a hash (16 hex digits) of everything in `scenario` that shapes a
/// run: topology, runbook, timing, plan, limits and name. Not its seed, which partial
/// results record on their own. Independent of the file's formatting.
std::string scenario_fingerprint(const model::Scenario& scenario);

/// The slice [first, end) of `runs` run indices that shard `k` of `shards` (1-based) runs:
/// contiguous, in order, sizes differing by at most one.
struct RunRange {
  std::uint64_t first = 0;
  std::uint64_t end = 0;
};
RunRange shard_range(std::uint64_t runs, std::uint64_t k, std::uint64_t shards);

/// Called on the calling thread about ten times a second while a batch runs, and once at the
/// end: runs done so far, runs in the batch.
using Progress = std::function<void(std::uint64_t done, std::uint64_t total)>;

/// Runs [range.first, range.end) of a batch of `runs_total` runs of `plan` seeded with `seed`
/// on `threads` threads (0: one per hardware thread). The result does not depend on
/// `threads`.
BatchResult run_batch(const model::ResolvedPlan& plan, std::uint64_t seed, std::uint64_t runs_total,
                      RunRange range, unsigned threads, const Progress& progress = {});

/// Why `parts` cannot be merged into one batch, or their merge. `names` label the parts
/// in messages (file names). Parts must share scenario hash and seed and batch size, and
/// their ranges must be disjoint and together cover every run index of the batch.
struct MergeError {
  std::string message;
};
std::expected<BatchResult, MergeError> merge_batches(std::vector<BatchResult> parts,
                                                     const std::vector<std::string>& names);

}  // namespace lyncupdate::mc
