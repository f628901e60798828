// `simulate --runs N` and `merge`: Monte Carlo batches, shards and partial results.

#include <charconv>
#include <chrono>
#include <memory>

#include <fmt/format.h>
#include <unistd.h>

#include "common.hpp"
#include "lyncupdate/checker/runbook_analysis.hpp"
#include "lyncupdate/montecarlo/batch.hpp"
#include "lyncupdate/montecarlo/partial.hpp"
#include "lyncupdate/montecarlo/summary.hpp"
#include "lyncupdate/reports/montecarlo.hpp"
#include "report_command.hpp"

namespace lyncupdate::app {
namespace {

// A batch is long, and worth a progress bar, from this many runs or once it has run this long.
constexpr std::uint64_t progress_min_runs = 10'000;
constexpr auto progress_after = std::chrono::seconds(1);
constexpr std::uint64_t max_runs_per_process = 10'000'000;

int usage(const std::string& message) {
  write_err(fmt::format("lyncupdate: error: {}\n", message));
  return exit_bad_input;
}

std::optional<std::uint64_t> parse_count(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// "K/N" with 1 <= K <= N.
std::optional<std::pair<std::uint64_t, std::uint64_t>> parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto k = parse_count(text.substr(0, slash));
  const auto n = parse_count(text.substr(slash + 1));
  if (!k || !n || *k < 1 || *k > *n) return std::nullopt;
  return std::pair{*k, *n};
}

// A bar on standard error, redrawn in place; only used when standard error is a terminal.
void draw_progress(std::uint64_t done, std::uint64_t total) {
  constexpr std::uint64_t width = 40;
  const std::uint64_t filled = total == 0 ? width : done * width / total;
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(width, '.');
  write_err(fmt::format("\r[{}] {:>3}% {}/{} runs", bar, total == 0 ? 100 : done * 100 / total,
                        done, total));
  if (done == total) write_err("\n");
}

int render(const mc::BatchSummary& summary, bool json) {
  write_out(json ? reports::render_montecarlo_json(summary)
                 : reports::render_montecarlo_text(summary, stdout_style()));
  return summary.batch->runs_with_violations == 0 ? exit_clean : exit_violations;
}

}  // namespace

int montecarlo_command(const RunOptions& options) {
  if (!options.runs) return usage("--threads, --shard and --partial need --runs N");
  const std::uint64_t runs = *options.runs;
  if (runs == 0) return usage("--runs needs at least 1 run");
  mc::RunRange range{0, runs};
  if (!options.shard.empty()) {
    const auto shard = parse_shard(options.shard);
    if (!shard) {
      return usage(fmt::format("--shard expects K/N with 1 <= K <= N, got \"{}\"", options.shard));
    }
    if (shard->second > runs) {
      return usage(
          fmt::format("--shard {} splits {} runs into more shards than runs", options.shard, runs));
    }
    range = mc::shard_range(runs, shard->first, shard->second);
  }
  // Every run keeps exact samples in memory (about 112 bytes a run for enterprise: the
  // window, eight servers and five user metrics).
  if (range.end - range.first > max_runs_per_process) {
    return usage(
        fmt::format("--runs {} asks one process for {} runs, more than {}; split them "
                    "with --shard K/N and combine the parts with merge",
                    runs, range.end - range.first, max_runs_per_process));
  }

  auto loaded = load_plan(options.scenario);
  if (!loaded) return loaded.error();
  const auto& scenario = loaded->scenario;
  const auto* plan = &loaded->plan;
  const std::uint64_t seed = options.seed.value_or(scenario->seed);
  mc::Progress progress;
  if (::isatty(STDERR_FILENO) == 1) {
    const auto started = std::chrono::steady_clock::now();
    progress = [started, drawing = false](std::uint64_t done, std::uint64_t total) mutable {
      drawing = drawing || total >= progress_min_runs ||
                std::chrono::steady_clock::now() - started >= progress_after;
      if (drawing) draw_progress(done, total);
    };
  }
  const mc::BatchResult batch = mc::run_batch(*plan, seed, runs, range, options.threads, progress);

  if (!options.partial.empty()) {
    if (auto written = mc::write_partial(options.partial, batch); !written) {
      write_err(fmt::format("lyncupdate: error: {}\n", written.error()));
      return exit_internal;
    }
    return exit_clean;
  }
  const mc::BatchSummary summary = mc::summarize(batch);
  if (!options.html.empty()) {
    // The report draws this batch and the rehearsal of run 0, which the batch does not trace;
    // it is written before anything is printed. One run has no distribution to draw.
    Rehearsal rehearsal = rehearse(*plan, seed);
    rehearsal.view.findings = check::analyse_plan(*plan, {.strict = options.strict});
    if (const int written = write_html_report(options.html, "simulate", rehearsal.view,
                                              rehearsal.trace, runs > 1 ? &summary : nullptr);
        written != exit_clean) {
      return written;
    }
  }
  return render(summary, options.json);
}

int merge_command(const MergeOptions& options) {
  std::vector<mc::BatchResult> parts;
  for (const std::string& file : options.files) {
    auto part = mc::read_partial(file);
    if (!part) {
      write_err(fmt::format("{}\nlyncupdate: nothing was merged\n", part.error()));
      return exit_bad_input;
    }
    parts.push_back(std::move(*part));
  }
  auto merged = mc::merge_batches(std::move(parts), options.files);
  if (!merged) {
    write_err(fmt::format("lyncupdate: error: {}\nlyncupdate: nothing was merged\n",
                          merged.error().message));
    return exit_bad_input;
  }
  return render(mc::summarize(*merged), options.json);
}

}  // namespace lyncupdate::app
