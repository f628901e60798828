// lyncupdate: rehearse and check Lync Server 2013 cumulative updates of back ends and
// Standard Edition servers.

#include <cstdint>
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "calibrate_command.hpp"
#include "cli_docs.hpp"
#include "commands.hpp"
#include "flags.hpp"
#include "import_command.hpp"
#include "live_command.hpp"
#include "lyncupdate/version/version.hpp"
#include "plan_command.hpp"
#include "report_command.hpp"
#include "verify_command.hpp"

namespace {

using lyncupdate::app::RunOptions;

using lyncupdate::app::Bound;
using lyncupdate::app::finite_number;
using lyncupdate::app::output_file;
using lyncupdate::app::whole_number;
using lyncupdate::app::whole_number_in;

// The ranges of the flags that share one (README, "Command line").
constexpr Bound zero{0.0, true};
constexpr Bound above_zero{0.0, false};
constexpr Bound one{1.0, true};
// model::is_cap_factor: above 1, at most 100.
constexpr Bound above_one{1.0, false};
constexpr Bound hundred{100.0, true};
// Monte Carlo runs of one batch (as plan --runs and simulate --runs).
constexpr std::uint64_t max_batch_runs = 10'000'000;
// A command may take at most a week: the longest step a scenario may declare.
constexpr std::uint64_t max_timeout_s = 7 * 24 * 3600;

void add_run_options(CLI::App& command, RunOptions& options) {
  command.add_option("SCENARIO", options.scenario,
                     "scenario file, or the name of a shipped scenario (default: contoso)");
  command
      .add_option("--seed", options.seed,
                  "seed of the random durations (default: the scenario's seed)")
      ->check(whole_number());
  command.add_flag("--json", options.json, "print machine-readable JSON (schema in docs/json.md)");
}

int run(int argc, char** argv) {
  CLI::App app{
      "Rehearse and check the cumulative update of Lync Server 2013 back ends and Standard "
      "Edition servers against simulated timing.",
      "lyncupdate"};
  app.set_version_flag("--version", std::string(lyncupdate::version::tool()));
  app.require_subcommand(1);

  RunOptions simulate_options;
  CLI::App* simulate = app.add_subcommand(
      "simulate", "rehearse the plan once: timeline per server, outages, violations");
  add_run_options(*simulate, simulate_options);
  simulate
      ->add_option("--runs", simulate_options.runs,
                   "Monte Carlo: rehearse N times and report percentiles (run i draws from "
                   "the generator of seed and i)")
      ->check(whole_number());
  simulate
      ->add_option("--threads", simulate_options.threads,
                   "worker threads for --runs (default: one per hardware thread); the "
                   "output does not depend on it")
      ->check(whole_number());
  simulate
      ->add_option("--shard", simulate_options.shard,
                   "with --runs N: run only the K-th of N contiguous slices of the runs, "
                   "written K/N (1-based)")
      ->type_name("K/N");
  simulate
      ->add_option("--partial", simulate_options.partial,
                   "with --runs: write a mergeable partial result to FILE (atomically) "
                   "instead of printing; combine the files with `merge`")
      ->type_name("FILE")
      ->check(output_file());
  simulate
      ->add_option("--html", simulate_options.html,
                   "also write the self-contained HTML report of the same runs to FILE")
      ->type_name("FILE")
      ->check(output_file());

  RunOptions check_options;
  CLI::App* check =
      app.add_subcommand("check",
                         "analyse the plan statically (errors, warnings, notes) and rehearse it "
                         "once without chance failures, reporting its violations");
  add_run_options(*check, check_options);
  check->add_flag("--strict", check_options.strict,
                  "also exit 1 on warnings and on worst-case bounds that cannot be proved (a "
                  "lognormal step without max_min)");
  check->add_flag("--draw-failures", check_options.draw_failures,
                  "let steps fail with their failure probability, as simulate does (by default "
                  "check's rehearsal has no chance failure: montecarlo says how often one stops "
                  "the plan)");
  check
      ->add_option("--html", check_options.html,
                   "also write the self-contained HTML report of the same run to FILE")
      ->type_name("FILE")
      ->check(output_file());

  lyncupdate::app::ReportOptions report_options;
  CLI::App* report = app.add_subcommand(
      "report",
      "write a self-contained HTML report: timeline, outages against the limit, Monte Carlo "
      "histograms with --runs N, findings and violations");
  report->add_option("SCENARIO", report_options.scenario,
                     "scenario file, or the name of a shipped scenario (default: contoso)");
  report->add_option("--seed", report_options.seed, "seed of the random durations")
      ->check(whole_number());
  report
      ->add_option("--runs", report_options.runs,
                   "Monte Carlo: also rehearse N times and draw the distributions")
      ->check(whole_number());
  report
      ->add_option("--threads", report_options.threads,
                   "worker threads for --runs (default: one per hardware thread); the "
                   "report does not depend on it")
      ->check(whole_number());
  report->add_option("-o,--output", report_options.output, "the HTML file to write")
      ->required()
      ->type_name("FILE")
      ->check(output_file());
  report->add_flag("--strict", report_options.strict,
                   "static analysis as `check --strict`: warnings and unproved bounds are errors");
  report
      ->add_option("--journal", report_options.journal,
                   "a journal written by `live` for this scenario: overlay the live run on the "
                   "rehearsal and compare its durations and outages (refused when it was "
                   "written for another scenario text)")
      ->type_name("FILE");

  lyncupdate::app::VerifyOptions verify_options;
  CLI::App* verify = app.add_subcommand(
      "verify",
      "explore every order in which the operators can run the plan, in worst-case time: "
      "outage limit, mirror pairs, servers down at once, window; a violation comes with the "
      "shortest counterexample");
  verify->add_option("SCENARIO", verify_options.scenario,
                     "scenario file, or the name of a shipped scenario (default: contoso)");
  verify
      ->add_option("--operators", verify_options.operators,
                   "operators working the plan, each running one step at a time (default: the "
                   "plan's operators, else one per server)")
      ->check(whole_number());
  verify
      ->add_option("--max-down", verify_options.max_down,
                   "at most this many servers unavailable at once (default: the scenario's "
                   "limits.max_servers_down, else no limit)")
      ->check(whole_number());
  verify
      ->add_option("--max-states", verify_options.max_states,
                   "stop after this many distinct states (default: 5000000); the memory they "
                   "take is printed on standard error before the search")
      ->check(whole_number());
  verify
      ->add_option("--max-memory", verify_options.max_memory_mib,
                   "stop, incomplete, before the stored states take more than this many MiB "
                   "(default: 2048)")
      ->check(whole_number_in(1, std::uint64_t{1} << 20));
  verify
      ->add_option("--time-limit", verify_options.time_limit_s,
                   "stop after this many seconds, 0 for no limit (default: 60)")
      ->check(whole_number());
  verify
      ->add_option("--cap-factor", verify_options.cap_factor,
                   "cap every lognormal step without max_min at this factor times its P95, "
                   "as `plan` does (default: no cap; an unbounded step proves nothing)")
      ->check(finite_number(above_one, hundred));
  verify->add_flag("!--order-only", verify_options.timing_limits,
                   "prove only what the order of the servers decides (pool quorum, readiness, "
                   "mirror pairs, servers down at once), as `plan` does; the outage limit and "
                   "the window, which the tails of the timing decide, are left to `simulate "
                   "--runs N`");
  verify
      ->add_option("--counterexample", verify_options.counterexample,
                   "on a violation, write a scenario to FILE (atomically) that `simulate FILE` "
                   "replays to show it")
      ->type_name("FILE")
      ->check(output_file());
  verify
      ->add_option("--html", verify_options.html,
                   "also write the self-contained HTML report, with the verification, to FILE")
      ->type_name("FILE")
      ->check(output_file());
  verify->add_flag("--json", verify_options.json,
                   "print machine-readable JSON (schema in docs/json.md)");

  lyncupdate::app::PlanOptions plan_options;
  CLI::App* plan = app.add_subcommand(
      "plan",
      "find the fastest plan that `verify` proves and whose Monte Carlo risk of reaching the "
      "outage limit is below a ceiling; print the scenario with that plan, and a summary on "
      "standard error");
  plan->add_option("SCENARIO", plan_options.scenario,
                   "scenario file, or the name of a shipped scenario (default: contoso)");
  plan->add_option("--max-risk", plan_options.max_risk,
                   "a plan passes when fewer than this share of its rehearsals reach the outage "
                   "limit (default: 0.01)")
      ->check(finite_number(above_zero, one));
  plan->add_option("--runs", plan_options.runs,
                   "Monte Carlo runs per plan confirmed (default: 2000)")
      ->check(whole_number());
  plan->add_option("--seed", plan_options.seed,
                   "seed of the random durations (default: the scenario's seed)")
      ->check(whole_number());
  plan->add_option("--threads", plan_options.threads,
                   "Monte Carlo worker threads (default: one per hardware thread); the output "
                   "does not depend on it")
      ->check(whole_number());
  plan->add_option("--cap-factor", plan_options.cap_factor,
                   "for the worst-case check only, cap every lognormal step without max_min at "
                   "this factor times its P95 (default: 2.5)")
      ->check(finite_number(above_one, hundred));
  plan->add_flag("--prove-timing", plan_options.prove_timing,
                 "also prove the outage limit and the window in worst-case time, not only by "
                 "the Monte Carlo: for timing with measured bounds (max_min)");
  plan->add_option("--time-limit", plan_options.time_limit_s,
                   "stop searching and confirming after this many seconds, 0 for no limit "
                   "(default: 60)")
      ->check(whole_number());
  plan->add_option("--max-nodes", plan_options.max_nodes,
                   "stop the search after this many search-tree nodes (default: 2000000)")
      ->check(whole_number());
  plan->add_option("-o,--output", plan_options.output,
                   "write the planned scenario to FILE (atomically) instead of standard output")
      ->type_name("FILE")
      ->check(output_file());
  plan->add_flag("--json", plan_options.json,
                 "the summary as machine-readable JSON, on standard output when -o is given");

  lyncupdate::app::ImportOptions import_options;
  CLI::App* importer = app.add_subcommand(
      "import",
      "write a scenario from the published topology (Get-CsTopology -AsXml, or a Topology "
      "Builder .tbxml) with the shipped runbooks, ASSUMED timing and the sequential plan");
  importer->add_option("TOPOLOGY", import_options.topology, "the topology document")->required();
  importer->add_option("--users", import_options.users,
                       "users per pool: the CSV of Get-CsUser | Select-Object "
                       "SipAddress,RegistrarPool | Export-Csv (default: an ASSUMED estimate)");
  importer->add_option("--product", import_options.product,
                       "product version: lync2013 (default); sfb2015, sfb2019 and sfbse are not "
                       "yet supported");
  importer->add_option("--update-version", import_options.update_version,
                       "the version the cumulative update installs, e.g. 5.0.8308.1001 "
                       "(live.update_version: live mode's install probes need it)");
  importer
      ->add_option("-o,--output", import_options.output,
                   "write the scenario to FILE (atomically) instead of standard output")
      ->type_name("FILE")
      ->check(output_file());

  std::string export_name;
  CLI::App* exporter = app.add_subcommand(
      "export", "print a shipped scenario as one self-contained file to copy and edit");
  exporter->add_option("NAME", export_name, "shipped scenario (default: contoso)");

  lyncupdate::app::MergeOptions merge_options;
  CLI::App* merge = app.add_subcommand(
      "merge",
      "combine partial results of `simulate --runs N --shard K/N --partial FILE` into "
      "the report of one unsharded batch");
  merge->add_option("FILE", merge_options.files, "partial results, in any order")
      ->required()
      ->type_name("FILE");
  merge->add_flag("--json", merge_options.json,
                  "print machine-readable JSON (schema in docs/json.md)");

  lyncupdate::app::LiveOptions live_options;
  CLI::App* live = app.add_subcommand(
      "live",
      "run the plan on the real servers with the rehearsal's executor and monitors: the gate "
      "(check, verify, Monte Carlo risk) first, every step journaled before and after");
  live->add_option("SCENARIO", live_options.scenario, "scenario file, or a shipped scenario's name")
      ->required();
  live->add_option("--journal", live_options.journal,
                   "the journal file (default: <scenario name>.journal in this folder)")
      ->type_name("FILE")
      ->check(output_file());
  CLI::Option* resume =
      live->add_flag("--resume", live_options.resume,
                     "continue the run the journal records: finished steps never run again; a "
                     "step whose end is unknown, or that has not run yet, is settled by its "
                     "probe first");
  live->add_flag("--retry-failed", live_options.retry_failed,
                 "with --resume: probe the step the run failed on, and run it again if the "
                 "probe says it did not complete")
      ->needs(resume);
  live->add_flag("--status", live_options.status,
                 "print, per server, what the journal says is done and failed and what "
                 "--resume would do next; runs nothing, not even the gate")
      ->excludes(resume);
  live->add_flag("--dry-run", live_options.dry_run,
                 "print the gate's verdict and every command, host and order; run nothing");
  live->add_option("--transport", live_options.transport,
                   "ssh (OpenSSH client, key-based, BatchMode) or local (this machine)")
      ->check(CLI::IsMember({"ssh", "local"}));
  live->add_option("--ssh-config", live_options.ssh_config,
                   "an OpenSSH client configuration file, passed to ssh as -F")
      ->type_name("FILE");
  live->add_option("--ssh-user", live_options.ssh_user, "the user ssh logs on as")
      ->type_name("USER");
  live->add_flag("--unattended", live_options.unattended,
                 "manual steps run their unattended checks instead of asking the operator");
  live->add_option("--confirm-timeout", live_options.confirm_timeout_s,
                   "seconds the operator has to confirm a manual step (default: 600)")
      ->check(whole_number_in(1, max_timeout_s));
  live->add_option("--step-timeout", live_options.step_timeout_s,
                   "seconds any command may take (default: twice the step's upper bound, at "
                   "least that bound plus five minutes)")
      ->check(whole_number_in(1, max_timeout_s));
  live->add_option("--max-risk", live_options.max_risk,
                   "the gate refuses unless the upper end of the 95% interval of the share of "
                   "rehearsals that reach the outage limit is below this (default: 0.01)")
      ->check(finite_number(above_zero, one));
  live->add_option("--gate-runs", live_options.gate_runs,
                   "Monte Carlo runs of the gate (default: 2000); enough for the ceiling to be "
                   "shown: with --max-risk 0.01, at least 381")
      ->check(whole_number_in(1, max_batch_runs));
  live->add_option("--guard", live_options.guard,
                   "before a step that would start a back-end outage likely to reach the limit: "
                   "stop (default) or warn")
      ->check(CLI::IsMember({"stop", "warn"}));
  live->add_option("--guard-threshold", live_options.guard_threshold,
                   "the chance of reaching the limit above which the guard acts (default: 0.05)")
      ->check(finite_number(zero, one));
  live->add_option("--threads", live_options.threads,
                   "threads of the gate's Monte Carlo (default: one per hardware thread)")
      ->check(whole_number());
  live->add_option("--html", live_options.html,
                   "after the run, write the report of `report SCENARIO --journal JOURNAL` to "
                   "FILE")
      ->type_name("FILE")
      ->check(output_file());

  lyncupdate::app::CalibrateOptions calibrate_options;
  CLI::App* calibrate = app.add_subcommand(
      "calibrate",
      "fit step timing to the durations that live runs recorded in their journals: print the "
      "timing object, or write the scenario with its timing replaced");
  calibrate->add_option("JOURNAL", calibrate_options.journals, "journals written by `live`")
      ->required()
      ->type_name("FILE");
  calibrate
      ->add_option("--scenario", calibrate_options.scenario,
                   "scenario file, or the name of a shipped scenario, whose timing the "
                   "calibrated steps replace; without it, print only the timing object")
      ->type_name("SCENARIO");
  calibrate
      ->add_option("-o,--output", calibrate_options.output,
                   "write the result to FILE (atomically) instead of standard output")
      ->type_name("FILE")
      ->check(output_file());
  calibrate->add_flag("--per-server", calibrate_options.per_server,
                      "also fit each step on each server (timing.servers overrides)");
  calibrate->add_flag("--json", calibrate_options.json,
                      "print the calibration as machine-readable JSON (schema in docs/json.md)");

  lyncupdate::app::GenerateOptions generate_options;
  CLI::App* generate = lyncupdate::app::add_generate_command(app, generate_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help and version are successes; every other parse error is a usage error.
    const int code = app.exit(e);
    return code == 0 ? lyncupdate::app::exit_clean : lyncupdate::app::exit_bad_input;
  }
  if (simulate->parsed()) return lyncupdate::app::simulate_command(simulate_options);
  if (check->parsed()) return lyncupdate::app::check_command(check_options);
  if (report->parsed()) return lyncupdate::app::report_command(report_options);
  if (verify->parsed()) return lyncupdate::app::verify_command(verify_options);
  if (plan->parsed()) return lyncupdate::app::plan_command(plan_options);
  if (importer->parsed()) return lyncupdate::app::import_command(import_options);
  if (exporter->parsed()) return lyncupdate::app::export_command(export_name);
  if (merge->parsed()) return lyncupdate::app::merge_command(merge_options);
  if (calibrate->parsed()) return lyncupdate::app::calibrate_command(calibrate_options);
  if (live->parsed()) return lyncupdate::app::live_command(live_options);
  if (generate->parsed()) return lyncupdate::app::generate_command(app, generate_options);
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
