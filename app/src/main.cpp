// lyncupdate: rehearse and check Lync Server 2013 cumulative updates of back ends and
// Standard Edition servers.

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"

namespace {

using lyncupdate::app::RunOptions;

// CLI11 converts "-1" and "18446744073709551616" into an unsigned 64-bit option by wrapping
// or clamping; numbers are checked as text first, so they are refused instead.
const CLI::Validator whole_number(
    [](const std::string& text) -> std::string {
      std::uint64_t value = 0;
      const char* end = text.data() + text.size();
      const auto [stop, error] = std::from_chars(text.data(), end, value);
      if (text.empty() || error != std::errc() || stop != end) {
        return "expected a whole number from 0 to 18446744073709551615, got \"" + text + "\"";
      }
      return {};
    },
    "UINT");

void add_run_options(CLI::App& command, RunOptions& options) {
  command.add_option("SCENARIO", options.scenario,
                     "scenario file, or the name of a shipped scenario (default: contoso)");
  command
      .add_option("--seed", options.seed,
                  "seed of the random durations (default: the scenario's seed)")
      ->check(whole_number);
  command.add_flag("--json", options.json, "print machine-readable JSON (schema in docs/json.md)");
}

int run(int argc, char** argv) {
  CLI::App app{
      "Rehearse and check the cumulative update of Lync Server 2013 back ends and Standard "
      "Edition servers against simulated timing.",
      "lyncupdate"};
  app.set_version_flag("--version", std::string("lyncupdate ") + LYNCUPDATE_VERSION);
  app.require_subcommand(1);

  RunOptions simulate_options;
  CLI::App* simulate = app.add_subcommand(
      "simulate", "rehearse the plan once: timeline per server, outages, violations");
  add_run_options(*simulate, simulate_options);
  simulate
      ->add_option("--runs", simulate_options.runs,
                   "Monte Carlo: rehearse N times and report percentiles (run i draws from "
                   "the generator of seed and i)")
      ->check(whole_number);
  simulate
      ->add_option("--threads", simulate_options.threads,
                   "worker threads for --runs (default: one per hardware thread); the "
                   "output does not depend on it")
      ->check(whole_number);
  simulate->add_option("--shard", simulate_options.shard,
                       "with --runs N: run only the K-th of N contiguous slices of the runs, "
                       "written K/N (1-based)");
  simulate->add_option("--partial", simulate_options.partial,
                       "with --runs: write a mergeable partial result to FILE (atomically) "
                       "instead of printing; combine the files with `merge`");

  RunOptions check_options;
  CLI::App* check =
      app.add_subcommand("check", "rehearse the plan once and report violations only");
  add_run_options(*check, check_options);
  check->add_flag("--strict", check_options.strict,
                  "also exit 1 on warnings and on worst-case bounds that cannot be proved (a "
                  "lognormal step without max_min)");

  std::string export_name;
  CLI::App* exporter = app.add_subcommand(
      "export", "print a shipped scenario as one self-contained file to copy and edit");
  exporter->add_option("NAME", export_name, "shipped scenario (default: contoso)");

  lyncupdate::app::MergeOptions merge_options;
  CLI::App* merge = app.add_subcommand(
      "merge",
      "combine partial results of `simulate --runs N --shard K/N --partial FILE` into "
      "the report of one unsharded batch");
  merge->add_option("FILE", merge_options.files, "partial results, in any order")->required();
  merge->add_flag("--json", merge_options.json,
                  "print machine-readable JSON (schema in docs/json.md)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help and version are successes; every other parse error is a usage error.
    const int code = app.exit(e);
    return code == 0 ? lyncupdate::app::exit_clean : lyncupdate::app::exit_bad_input;
  }
  if (simulate->parsed()) return lyncupdate::app::simulate_command(simulate_options);
  if (check->parsed()) return lyncupdate::app::check_command(check_options);
  if (exporter->parsed()) return lyncupdate::app::export_command(export_name);
  if (merge->parsed()) return lyncupdate::app::merge_command(merge_options);
  return lyncupdate::app::exit_bad_input;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fputs(fmt::format("lyncupdate: internal error: {}\n", e.what()).c_str(), stderr);
  } catch (...) {
    std::fputs("lyncupdate: internal error\n", stderr);
  }
  return lyncupdate::app::exit_internal;
}
