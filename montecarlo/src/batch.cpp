#include "lyncupdate/montecarlo/batch.hpp"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <chrono>
#include <numeric>
#include <thread>

#include <fmt/format.h>

#include "lyncupdate/checker/monitors.hpp"
#include "lyncupdate/simulator/executor.hpp"
#include "lyncupdate/simulator/users.hpp"

namespace lyncupdate::mc {
namespace {

// Runs handed to a thread at a time: large enough that the shared counter is rarely touched,
// small enough that threads finish together.
constexpr std::uint64_t chunk_runs = 32;

// Counts the faults of one run from its trace.
class FaultCounter final : public sim::TraceObserver {
 public:
  void on_event(const sim::TraceEvent& e) override {
    switch (e.kind) {
      case sim::TraceKind::step_failed:
        ++failed;
        break;
      case sim::TraceKind::step_started:
        if (e.attempt > 1) ++retried;
        break;
      case sim::TraceKind::reboot_started:
        ++reboots;
        break;
      default:
        break;
    }
  }
  std::uint64_t failed = 0;
  std::uint64_t retried = 0;
  std::uint64_t reboots = 0;
};

// What one thread adds up; integer sums, so the total does not depend on how runs were
// split between threads.
struct Counts {
  std::uint64_t reaching_limit = 0;
  std::uint64_t stopped = 0;
  std::uint64_t with_violations = 0;
  std::array<std::uint64_t, counted_rules.size()> violations{};
  std::array<std::uint64_t, counted_rules.size()> runs_with_rule{};
  std::uint64_t failed = 0;
  std::uint64_t retried = 0;
  std::uint64_t reboots = 0;

  void add(const Counts& o) {
    reaching_limit += o.reaching_limit;
    stopped += o.stopped;
    with_violations += o.with_violations;
    for (std::size_t r = 0; r < counted_rules.size(); ++r) {
      violations[r] += o.violations[r];
      runs_with_rule[r] += o.runs_with_rule[r];
    }
    failed += o.failed;
    retried += o.retried;
    reboots += o.reboots;
  }
};

std::size_t rule_index(std::string_view rule) {
  const auto it = std::ranges::find(counted_rules, rule);
  assert(it != counted_rules.end() && "a rule the Monte Carlo report does not count");
  return static_cast<std::size_t>(it - counted_rules.begin());
}

// Simulates run `run` and stores its samples at `slot`.
void simulate_one(const model::ResolvedPlan& plan, std::uint64_t seed, std::uint64_t run,
                  std::size_t slot, BatchResult& result, Counts& counts,
                  sim::UserWorkspace& workspace) {
  check::Checker checker(plan);
  FaultCounter faults;
  std::vector<sim::TraceObserver*> observers(checker.observers().begin(),
                                             checker.observers().end());
  observers.push_back(&faults);
  sim::UserImpact users;
  const sim::RunSummary summary = sim::simulate_run(plan, seed, run, observers, &users, &workspace);
  result.window_ms[slot] = summary.end.time_since_epoch().count();
  result.user_samples[0][slot] = static_cast<std::int64_t>(users.users_affected);
  result.user_samples[1][slot] = users.resiliency_user_ms;
  result.user_samples[2][slot] = users.disconnected_user_ms;
  result.user_samples[3][slot] = static_cast<std::int64_t>(users.failed_operations());
  result.user_samples[4][slot] = static_cast<std::int64_t>(users.conferences_ended);
  result.user_samples[5][slot] = static_cast<std::int64_t>(users.users_moved);
  const Duration limit = plan.scenario->limits.backend_outage_limit;
  bool reached = false;
  for (const check::Outage& outage : checker.outages()) {
    std::int64_t& longest = result.longest_outage_ms[outage.server][slot];
    longest = std::max(longest, outage.length().count());
    // A mirror's outage is not judged against the limit (model::UpdateTarget::mirror).
    reached = reached || (outage.length() >= limit && !plan.servers[outage.server].target.mirror);
  }
  counts.reaching_limit += reached ? 1U : 0U;
  counts.stopped += summary.stopped ? 1U : 0U;
  std::array<bool, counted_rules.size()> seen{};
  const auto violations = checker.violations();
  counts.with_violations += violations.empty() ? 0U : 1U;
  for (const check::Violation& v : violations) {
    const std::size_t r = rule_index(v.rule);
    ++counts.violations[r];
    seen[r] = true;
  }
  for (std::size_t r = 0; r < seen.size(); ++r) counts.runs_with_rule[r] += seen[r] ? 1U : 0U;
  counts.failed += faults.failed;
  counts.retried += faults.retried;
  counts.reboots += faults.reboots;
}

BatchScenario describe(const model::ResolvedPlan& plan, std::uint64_t seed) {
  const model::Scenario& scenario = *plan.scenario;
  BatchScenario out;
  out.name = scenario.name;
  out.hash = scenario_fingerprint(scenario);
  out.seed = seed;
  out.stages = plan.stages.size();
  out.backend_outage_limit = scenario.limits.backend_outage_limit;
  out.window_start = scenario.limits.window_start;
  out.window_length = scenario.limits.window_length;
  for (const model::ResolvedServer& server : plan.servers) {
    out.servers.push_back(BatchServer{server.target.fqdn, server.target.role, server.stage});
  }
  return out;
}

}  // namespace

RunRange shard_range(std::uint64_t runs, std::uint64_t k, std::uint64_t shards) {
  assert(shards > 0 && k >= 1 && k <= shards);
  // (k - 1) * runs / shards without overflow for any runs below 2^64 / shards.
  const auto boundary = [&](std::uint64_t i) {
    return runs / shards * i + runs % shards * i / shards;
  };
  return RunRange{boundary(k - 1), boundary(k)};
}

BatchResult run_batch(const model::ResolvedPlan& plan, std::uint64_t seed, std::uint64_t runs_total,
                      RunRange range, unsigned threads, const Progress& progress) {
  assert(range.first <= range.end && range.end <= runs_total);
  BatchResult result;
  result.scenario = describe(plan, seed);
  result.runs_total = runs_total;
  result.first_run = range.first;
  result.end_run = range.end;
  const std::uint64_t count = range.end - range.first;
  result.window_ms.assign(count, 0);
  result.longest_outage_ms.assign(plan.servers.size(), std::vector<std::int64_t>(count, 0));
  for (auto& samples : result.user_samples) samples.assign(count, 0);

  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  const std::uint64_t chunks = (count + chunk_runs - 1) / chunk_runs;
  threads =
      static_cast<unsigned>(std::min<std::uint64_t>(threads, std::max<std::uint64_t>(chunks, 1)));

  std::atomic<std::uint64_t> next_chunk{0};
  std::atomic<std::uint64_t> done{0};
  std::vector<Counts> counts(threads);
  {
    std::vector<std::jthread> workers;
    workers.reserve(threads);
    for (unsigned t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        sim::UserWorkspace workspace;  // per thread: its pages are touched once
        for (;;) {
          const std::uint64_t chunk = next_chunk.fetch_add(1, std::memory_order_relaxed);
          if (chunk >= chunks) return;
          const std::uint64_t begin = chunk * chunk_runs;
          const std::uint64_t end = std::min(count, begin + chunk_runs);
          // Each run writes only its own slots: no two threads touch the same element.
          for (std::uint64_t i = begin; i < end; ++i) {
            simulate_one(plan, seed, range.first + i, static_cast<std::size_t>(i), result,
                         counts[t], workspace);
          }
          done.fetch_add(end - begin, std::memory_order_relaxed);
        }
      });
    }
    if (progress) {
      while (done.load(std::memory_order_relaxed) < count) {
        progress(done.load(std::memory_order_relaxed), count);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  }  // the jthreads join here
  if (progress) progress(count, count);

  Counts total;
  for (const Counts& c : counts) total.add(c);
  result.runs_reaching_limit = total.reaching_limit;
  result.runs_stopped = total.stopped;
  result.runs_with_violations = total.with_violations;
  result.violations = total.violations;
  result.runs_with_rule = total.runs_with_rule;
  result.failed_attempts = total.failed;
  result.retried_attempts = total.retried;
  result.reboots = total.reboots;
  return result;
}

std::expected<BatchResult, MergeError> merge_batches(std::vector<BatchResult> parts,
                                                     const std::vector<std::string>& names) {
  assert(parts.size() == names.size());
  if (parts.empty()) return std::unexpected(MergeError{"no partial result to merge"});
  std::vector<std::size_t> order(parts.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  const BatchResult& first = parts.front();
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const BatchResult& p = parts[i];
    if (p.scenario.hash != first.scenario.hash || !(p.scenario == first.scenario)) {
      if (p.scenario.hash != first.scenario.hash) {
        return std::unexpected(MergeError{fmt::format(
            "{} is from scenario {} with hash {}, but {} is from scenario {} with hash {}; "
            "partial results of different scenarios cannot be merged",
            names[i], p.scenario.name, p.scenario.hash, names[0], first.scenario.name,
            first.scenario.hash)});
      }
      if (p.scenario.seed != first.scenario.seed) {
        return std::unexpected(MergeError{
            fmt::format("{} was run with seed {}, but {} with seed {}; every shard of a batch "
                        "must use the same seed",
                        names[i], p.scenario.seed, names[0], first.scenario.seed)});
      }
      return std::unexpected(MergeError{
          fmt::format("{} and {} describe the scenario differently although their hashes match",
                      names[i], names[0])});
    }
    if (p.runs_total != first.runs_total) {
      return std::unexpected(MergeError{
          fmt::format("{} is a shard of a batch of {} runs, but {} of a batch of {} runs", names[i],
                      p.runs_total, names[0], first.runs_total)});
    }
  }
  std::ranges::sort(order, [&](std::size_t a, std::size_t b) {
    return parts[a].first_run != parts[b].first_run ? parts[a].first_run < parts[b].first_run
                                                    : parts[a].end_run < parts[b].end_run;
  });
  std::uint64_t expected_first = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const BatchResult& p = parts[order[k]];
    if (p.first_run < expected_first) {
      return std::unexpected(MergeError{fmt::format(
          "{} (runs {} to {}) overlaps {} (runs {} to {}); each run must be merged once",
          names[order[k]], p.first_run, p.end_run - 1, names[order[k - 1]],
          parts[order[k - 1]].first_run, parts[order[k - 1]].end_run - 1)});
    }
    if (p.first_run > expected_first) {
      return std::unexpected(MergeError{
          fmt::format("runs {} to {} of the batch of {} are missing: no partial result covers "
                      "them",
                      expected_first, p.first_run - 1, first.runs_total)});
    }
    expected_first = p.end_run;
  }
  if (expected_first != first.runs_total) {
    return std::unexpected(MergeError{
        fmt::format("runs {} to {} of the batch of {} are missing: no partial result covers them",
                    expected_first, first.runs_total - 1, first.runs_total)});
  }

  BatchResult merged;
  merged.scenario = first.scenario;
  merged.runs_total = first.runs_total;
  merged.first_run = 0;
  merged.end_run = first.runs_total;
  merged.longest_outage_ms.resize(first.scenario.servers.size());
  for (const std::size_t i : order) {
    const BatchResult& p = parts[i];
    merged.window_ms.insert(merged.window_ms.end(), p.window_ms.begin(), p.window_ms.end());
    for (std::size_t m = 0; m < user_metrics.size(); ++m) {
      merged.user_samples[m].insert(merged.user_samples[m].end(), p.user_samples[m].begin(),
                                    p.user_samples[m].end());
    }
    for (std::size_t s = 0; s < p.longest_outage_ms.size(); ++s) {
      merged.longest_outage_ms[s].insert(merged.longest_outage_ms[s].end(),
                                         p.longest_outage_ms[s].begin(),
                                         p.longest_outage_ms[s].end());
    }
    merged.runs_reaching_limit += p.runs_reaching_limit;
    merged.runs_stopped += p.runs_stopped;
    merged.runs_with_violations += p.runs_with_violations;
    for (std::size_t r = 0; r < counted_rules.size(); ++r) {
      merged.violations[r] += p.violations[r];
      merged.runs_with_rule[r] += p.runs_with_rule[r];
    }
    merged.failed_attempts += p.failed_attempts;
    merged.retried_attempts += p.retried_attempts;
    merged.reboots += p.reboots;
  }
  return merged;
}

}  // namespace lyncupdate::mc
