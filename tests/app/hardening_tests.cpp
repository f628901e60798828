// A valid scenario never exhausts the machine and a flag never switches a check off: the
// bounds of the command line, of the scenario, of merge's input, of the files written and of
// the text printed.
#include <filesystem>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "run_cli.hpp"

namespace {

using lyncupdate::test::CliResult;
using lyncupdate::test::exported_scenario;
using lyncupdate::test::occurrences;
using lyncupdate::test::read_file;
using lyncupdate::test::run_cli;
using lyncupdate::test::scratch_dir;
using lyncupdate::test::write_file;
using Json = nlohmann::ordered_json;

// Writes `scenario` to a fresh folder and returns the file's path.
std::string scenario_file(const std::string& folder, const Json& scenario) {
  const auto dir = scratch_dir(folder);
  write_file(dir / "scenario.json", scenario.dump(2));
  return (dir / "scenario.json").string();
}

void expect_usage_error(const std::vector<std::string>& args, const std::string& message) {
  const CliResult result = run_cli(args);
  std::string joined;
  for (const auto& arg : args) joined += arg + " ";
  BOOST_TEST(result.exit_code == 2, joined << result.err);
  BOOST_TEST(result.out.empty(), joined);
  BOOST_TEST(result.err.find(message) != std::string::npos, joined << "\n" << result.err);
}

BOOST_AUTO_TEST_SUITE(hardening_cli)

BOOST_AUTO_TEST_CASE(no_floating_point_flag_takes_nan_infinity_or_a_value_out_of_range) {
  for (const std::string bad : {"nan", "inf", "-inf", "1e999", "-0.5", "1.5", "0x1p-3", ""}) {
    expect_usage_error({"live", "contoso", "--dry-run", "--max-risk", bad},
                       "--max-risk: expected a finite number above 0 and at most 1, got \"" + bad);
    expect_usage_error({"live", "contoso", "--dry-run", "--guard-threshold", bad},
                       "--guard-threshold: expected a finite number from 0 and at most 1");
    expect_usage_error({"plan", "contoso", "--max-risk", bad},
                       "--max-risk: expected a finite number above 0 and at most 1");
  }
  for (const std::string bad : {"nan", "inf", "1", "100.5", "1e999"}) {
    expect_usage_error(
        {"plan", "contoso", "--cap-factor", bad},
        "--cap-factor: expected a finite number above 1 and at most 100, got \"" + bad + "\"");
    expect_usage_error({"verify", "contoso", "--cap-factor", bad},
                       "--cap-factor: expected a finite number above 1 and at most 100");
  }
  expect_usage_error({"live", "contoso", "--dry-run", "--max-risk", "0"},
                     "--max-risk: expected a finite number above 0 and at most 1, got \"0\"");
}

BOOST_AUTO_TEST_CASE(the_gate_cannot_be_switched_off_by_its_runs_or_its_timeouts) {
  expect_usage_error({"live", "contoso", "--dry-run", "--gate-runs", "0"},
                     "--gate-runs: expected a whole number from 1 to 10000000, got \"0\"");
  expect_usage_error({"live", "contoso", "--dry-run", "--gate-runs", "10000001"},
                     "--gate-runs: expected a whole number from 1 to 10000000");
  expect_usage_error({"live", "contoso", "--dry-run", "--gate-runs", "18446744073709551615"},
                     "--gate-runs: expected a whole number from 1 to 10000000");
  // Too few runs can never show the ceiling: refused, with the least that can.
  expect_usage_error({"live", "contoso", "--dry-run", "--gate-runs", "380"},
                     "lyncupdate live: --gate-runs 380 cannot show a risk below --max-risk 0.01: "
                     "the upper end of the 95% interval stays at or above it even when no run "
                     "reaches the outage limit; use at least 381 runs; nothing was run\n");
  expect_usage_error({"live", "contoso", "--dry-run", "--gate-runs", "20", "--max-risk", "0.1"},
                     "use at least 35 runs");
  expect_usage_error({"live", "contoso", "--dry-run", "--step-timeout", "0"},
                     "--step-timeout: expected a whole number from 1 to 604800, got \"0\"");
  expect_usage_error({"live", "contoso", "--dry-run", "--step-timeout", "18446744073709551615"},
                     "--step-timeout: expected a whole number from 1 to 604800");
  expect_usage_error({"live", "contoso", "--dry-run", "--confirm-timeout", "0"},
                     "--confirm-timeout: expected a whole number from 1 to 604800");
}

BOOST_AUTO_TEST_CASE(the_gate_judges_the_upper_end_of_the_interval_and_says_so) {
  Json scenario = exported_scenario("contoso");
  scenario["live"] = {{"update_version", "5.0.8308.1001"}};
  const std::string file = scenario_file("gate-interval", scenario);
  const auto dry_run = [&](const std::string& max_risk) {
    return run_cli({"live", file, "--dry-run", "--transport", "local", "--gate-runs", "381",
                    "--threads", "1", "--max-risk", max_risk});
  };
  // 5.51% of the runs reach the limit: below a ceiling of 7%, but the interval reaches 8.28%.
  const CliResult refused = dry_run("0.07");
  BOOST_TEST(refused.out.find("  risk: 21 of 381 runs (5.51%, 95% CI 3.63-8.28%) reach the "
                              "30m00s outage limit; the upper end of the interval must be below "
                              "the ceiling of 7.00%\n") != std::string::npos,
             refused.out);
  BOOST_TEST(refused.out.find("  risk: the upper end of the 95% interval, 8.28%, is not below the "
                              "ceiling of 7.00% (5.51% of rehearsals reach the outage limit)\n") !=
                 std::string::npos,
             refused.out);
  // A ceiling above the interval: the risk is no reason to refuse (verify still is one).
  const CliResult cleared = dry_run("0.09");
  BOOST_TEST(cleared.out.find("ceiling of 9.00%\n") != std::string::npos, cleared.out);
  BOOST_TEST(cleared.out.find("  risk: the upper end") == std::string::npos, cleared.out);
  // Too few runs for the ceiling are refused before the gate runs.
  const CliResult few = dry_run("0.0099");
  BOOST_TEST(few.exit_code == 2, few.err);
  BOOST_TEST(few.err.find("use at least 385 runs") != std::string::npos, few.err);
}

BOOST_AUTO_TEST_CASE(more_servers_than_the_engine_numbers_are_refused_at_load) {
  Json scenario = exported_scenario("contoso");
  Json& servers = scenario["topology"]["standard_edition_servers"];
  // Contoso has 7 servers: 4 front ends, a back end and 2 Standard Edition servers.
  for (int i = 0; servers.size() < 65'535 - 5; ++i) {
    servers.push_back({{"fqdn", "se" + std::to_string(i) + ".big.contoso.com"}, {"users", 0}});
  }
  const std::string file = scenario_file("too-many-servers", scenario);
  expect_usage_error({"simulate", file},
                     file +
                         ": error: /topology: the topology has 65,535 servers; at most 65,534 "
                         "are allowed (the engine numbers servers with 16 bits); split the "
                         "deployment into several scenarios\n");
}

BOOST_AUTO_TEST_CASE(users_beyond_the_model_are_an_error_never_clamped) {
  Json scenario = exported_scenario("contoso");
  scenario["topology"]["enterprise_pools"][0]["users"] = 4'294'967'296LL;
  const std::string file = scenario_file("users-beyond", scenario);
  expect_usage_error({"simulate", file},
                     "/topology/enterprise_pools/0/users: expected an integer between 0 and "
                     "4294967295, got 4294967296");
}

BOOST_AUTO_TEST_CASE(a_user_model_beyond_the_budget_is_refused_naming_the_field) {
  Json scenario = exported_scenario("contoso");
  scenario["topology"]["enterprise_pools"][0]["users"] = 25'000'000;
  expect_usage_error({"simulate", scenario_file("users-budget", scenario)},
                     "/topology/enterprise_pools/0/users: the deployment homes 25,003,000 users, "
                     "more than the 20,000,000 the user model simulates (about 572 MiB per "
                     "thread; README, \"Limits and budgets\"): lower the users");
  scenario["topology"]["enterprise_pools"][0]["users"] = 8'000;
  scenario["topology"]["standard_edition_servers"][1]["users"] = 19'000'000;
  scenario["users"] = {{"session_min", 1}};
  expect_usage_error({"check", scenario_file("sessions-budget", scenario)},
                     "/topology/standard_edition_servers/1/users: the user model would simulate "
                     "about ");
  expect_usage_error({"check", scenario_file("sessions-budget", scenario)},
                     "more than the budget of 200,000,000 (README, \"Limits and budgets\"): lower "
                     "the users, or lengthen users.session_min");
}

BOOST_AUTO_TEST_CASE(a_simulated_span_beyond_the_budget_is_refused_naming_the_step) {
  Json scenario = exported_scenario("enterprise-rollout");
  std::string drained;
  for (auto& [id, timing] : scenario["timing"]["steps"].items()) {
    if (timing.contains("drain_per_1000_users_min")) {
      timing["drain_per_1000_users_min"] = 10'080;
      drained = id;
    }
  }
  BOOST_TEST_REQUIRE(!drained.empty());
  scenario["topology"]["enterprise_pools"][0]["users"] = 1'000'000;
  const CliResult result = run_cli({"simulate", scenario_file("span-budget", scenario)});
  BOOST_TEST(result.exit_code == 2);
  BOOST_TEST(
      result.err.find("/timing/steps/" + drained +
                      "/drain_per_1000_users_min: the plan would take about ") != std::string::npos,
      result.err);
  BOOST_TEST(result.err.find("of simulated time, more than the budget of 2160h00m00s") !=
                 std::string::npos,
             result.err);
  BOOST_TEST(result.err.find("most of it the drain of its users: shorten it") != std::string::npos,
             result.err);
}

BOOST_AUTO_TEST_CASE(verify_says_the_memory_it_may_use_and_stops_cleanly_at_max_memory) {
  // 200,363 states to prove; 8 MiB hold two blocks of 16,384.
  const std::vector<std::string> args{
      "verify", "enterprise", "--cap-factor", "2.5", "--order-only", "--operators", "2"};
  std::vector<std::string> bounded = args;
  bounded.insert(bounded.end(), {"--max-memory", "8"});
  const CliResult stopped = run_cli(bounded);
  BOOST_TEST(stopped.exit_code == 1, stopped.err);
  BOOST_TEST(stopped.err.starts_with("verify: up to 5,000,000 states of at most 204 bytes: 972 MiB "
                                     "at most; the search stops at --max-memory 8 MiB\n"),
             stopped.err);
  BOOST_TEST(
      stopped.out.find("NOT PROVED: the search stopped early, the memory bound of 8 MiB "
                       "was reached after 32,768 states; nothing is proved") != std::string::npos,
      stopped.out);
  const CliResult proved = run_cli(args);
  BOOST_TEST(proved.exit_code == 0, proved.err);
  BOOST_TEST(proved.err.starts_with(
                 "verify: up to 5,000,000 states of at most 204 bytes: 972 MiB at most\n"),
             proved.err);
  expect_usage_error({"verify", "contoso", "--max-memory", "0"},
                     "--max-memory: expected a whole number from 1 to 1048576, got \"0\"");
}

BOOST_AUTO_TEST_CASE(merge_checks_the_numbers_not_just_the_ranges) {
  const auto dir = scratch_dir("merge-numbers");
  const auto partial = dir / "part.json";
  const CliResult written = run_cli(
      {"simulate", "contoso", "--runs", "20", "--shard", "1/1", "--partial", partial.string()});
  BOOST_TEST_REQUIRE(written.exit_code == 0, written.err);
  const Json good = Json::parse(read_file(partial));
  // The batch has violations (exit 1): it merges.
  BOOST_TEST(run_cli({"merge", partial.string()}).exit_code == 1);
  const auto refused = [&](const Json& doc, const std::string& message) {
    const auto file = dir / "bad.json";
    write_file(file, doc.dump());
    expect_usage_error({"merge", file.string()}, file.string() + ": error: " + message);
  };
  Json bad = good;
  bad["counts"]["runs_stopped"] = 21;
  refused(bad, "/counts/runs_stopped: expected at most 20 (the runs of this file), got 21");
  bad = good;
  bad["counts"]["violations"]["no-such-rule"] = {{"runs", 0}, {"count", 0}};
  refused(bad, "/counts/violations: unknown rule \"no-such-rule\"; expected only ");
  bad = good;
  bad["counts"]["runs_reaching_limit"] = good["counts"]["runs_reaching_limit"].get<int>() + 1;
  refused(bad, "/counts/runs_reaching_limit: expected ");
  bad = good;
  bad["counts"]["violations"]["backend-outage-limit"] = {{"runs", 3}, {"count", 1}};
  bad["counts"]["runs_with_violations"] = 3;
  refused(bad,
          "/counts/violations/backend-outage-limit/count: expected at least 3 (one per run "
          "with the rule), got 1");
  // A file larger than any partial result is refused before it is read (a sparse file).
  const auto huge = dir / "huge.json";
  write_file(huge, "{");
  std::filesystem::resize_file(huge, (std::uintmax_t{1} << 30) + 1);
  expect_usage_error({"merge", huge.string()},
                     huge.string() +
                         ": error: the file is larger than 1024 MiB, the most a "
                         "partial result may be; split the runs into more shards");
}

BOOST_AUTO_TEST_CASE(a_symlink_at_the_old_temporary_name_never_redirects_a_report) {
  const auto dir = scratch_dir("symlink-report");
  write_file(dir / "victim.txt", "precious\n");
  std::filesystem::create_symlink(dir / "victim.txt", dir / "r.html.tmp");
  const CliResult result = run_cli({"report", "contoso", "-o", (dir / "r.html").string()});
  BOOST_TEST(result.exit_code == 0, result.err);
  BOOST_TEST(read_file(dir / "victim.txt") == "precious\n");
  BOOST_TEST(read_file(dir / "r.html").starts_with("<!DOCTYPE html>"));
}

BOOST_AUTO_TEST_CASE(output_paths_that_are_folders_or_in_missing_folders_are_usage_errors) {
  const auto dir = scratch_dir("output-paths");
  const std::string folder = dir.string();
  const std::string missing = (dir / "missing" / "out").string();
  const std::string is_folder = "\"" + folder + "\" is a folder; expected a file to write";
  const std::string no_folder = "the folder of \"" + missing + "\" does not exist";
  const std::vector<std::vector<std::string>> commands{
      {"simulate", "--html"},
      {"simulate", "--runs", "5", "--partial"},
      {"check", "--html"},
      {"report", "-o"},
      {"verify", "--counterexample"},
      {"verify", "--html"},
      {"plan", "-o"},
      {"calibrate", "x.journal", "-o"},
      {"live", "contoso", "--dry-run", "--journal"},
      {"live", "contoso", "--dry-run", "--html"},
  };
  for (const auto& command : commands) {
    for (const auto& [path, message] : {std::pair{folder, is_folder}, {missing, no_folder}}) {
      std::vector<std::string> args = command;
      args.push_back(path);
      expect_usage_error(args, message);
    }
  }
}

BOOST_AUTO_TEST_CASE(control_characters_from_a_scenario_never_reach_the_terminal) {
  Json scenario = exported_scenario("contoso");
  scenario["name"] = "evil\ngate: passed\x1b[2J\r\xc2\x9b";
  scenario["live"] = {{"update_version", "5.0.8308.1001"}};
  for (auto& step : scenario["runbook"]) {
    if (step["kind"] == "manual") step["title"] = "log on\x1b]0;owned\x07\nnow";
  }
  const std::string file = scenario_file("control-characters", scenario);
  const std::string escaped = "evil\\x0agate: passed\\x1b[2J\\x0d\\u{009b}";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"simulate", file}, std::vector<std::string>{"check", file},
        std::vector<std::string>{"verify", file, "--order-only"},
        std::vector<std::string>{"live", file, "--dry-run", "--transport", "local", "--gate-runs",
                                 "400", "--threads", "1"}}) {
    const CliResult result = run_cli(args);
    BOOST_TEST(result.out.find(escaped) != std::string::npos, args[0] << "\n" << result.out);
    for (const char c : result.out + result.err) {
      const auto byte = static_cast<unsigned char>(c);
      BOOST_TEST((byte >= 0x20 || c == '\n'), args[0] << ": control character " << int(byte));
    }
    BOOST_TEST(result.out.find("\xc2\x9b") == std::string::npos, args[0]);
    BOOST_TEST(occurrences(result.out, "\ngate: passed") <= 1U, args[0]);
  }
  const CliResult dry = run_cli(
      {"live", file, "--dry-run", "--transport", "local", "--gate-runs", "400", "--threads", "1"});
  BOOST_TEST(
      dry.out.find("ask the operator: log on\\x1b]0;owned\\x07\\x0anow\n") != std::string::npos,
      dry.out);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
