// Monte Carlo from the command line: thread independence, shards and merge, faults in the
// reports, and the runbook's retry and reboot keys.

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "run_cli.hpp"

using lyncupdate::test::read_file;
using lyncupdate::test::run_cli;
using lyncupdate::test::scratch_dir;
using lyncupdate::test::write_file;
using Json = nlohmann::ordered_json;

namespace {

Json contoso() { return lyncupdate::test::exported_scenario("contoso"); }

Json& step(Json& scenario, const std::string& id) {
  for (Json& s : scenario["runbook"]) {
    if (s["id"] == id) return s;
  }
  BOOST_FAIL("no step " + id);
  return scenario;
}

std::string write_scenario(const Json& scenario, const std::string& name) {
  const auto dir = scratch_dir("mc-" + name);
  write_file(dir / "scenario.json", scenario.dump(2));
  return (dir / "scenario.json").string();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(montecarlo)

BOOST_AUTO_TEST_CASE(output_is_byte_identical_for_every_thread_count) {
  const auto one = run_cli({"simulate", "--runs", "300", "--threads", "1"});
  const auto three = run_cli({"simulate", "--runs", "300", "--threads", "3"});
  const auto eight = run_cli({"simulate", "--runs", "300", "--threads", "8"});
  BOOST_TEST(one.out == three.out);
  BOOST_TEST(one.out == eight.out);
  BOOST_TEST(one.err == "");  // no progress bar when stderr is not a terminal
  BOOST_TEST(one.out.find("300 runs (Monte Carlo)") != std::string::npos);
  BOOST_TEST(one.out.find("95% Wilson interval") != std::string::npos);
  const auto json1 = run_cli({"simulate", "--runs", "300", "--threads", "1", "--json"});
  const auto json8 = run_cli({"simulate", "--runs", "300", "--threads", "8", "--json"});
  BOOST_TEST(json1.out == json8.out);
  const Json doc = Json::parse(json1.out);
  BOOST_TEST(doc["schema"] == "lyncupdate/montecarlo/1");
  BOOST_TEST(doc["runs"] == 300);
  BOOST_TEST(doc["servers"].size() == 2u);
  // One entry per counted rule (mc::counted_rules), routing-group-quorum and
  // failover-to-unupdated-mirror included: 11.
  BOOST_TEST(doc["violations"].size() == 11u);
}

BOOST_AUTO_TEST_CASE(shards_merged_print_exactly_the_unsharded_batch) {
  const auto dir = scratch_dir("mc-shards");
  std::vector<std::string> files;
  for (int k = 1; k <= 3; ++k) {
    const std::string file = (dir / ("part" + std::to_string(k) + ".json")).string();
    const auto r = run_cli({"simulate", "enterprise", "--runs", "250", "--seed", "4", "--shard",
                            std::to_string(k) + "/3", "--partial", file});
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.out == "");
    files.push_back(file);
  }
  const auto whole = run_cli({"simulate", "enterprise", "--runs", "250", "--seed", "4"});
  const auto merged = run_cli({"merge", files[2], files[0], files[1]});
  BOOST_TEST(merged.err == "");
  BOOST_TEST(merged.out == whole.out);
  BOOST_TEST(merged.exit_code == whole.exit_code);
  const auto whole_json =
      run_cli({"simulate", "enterprise", "--runs", "250", "--seed", "4", "--json"});
  const auto merged_json = run_cli({"merge", "--json", files[0], files[1], files[2]});
  BOOST_TEST(merged_json.out == whole_json.out);
}

BOOST_AUTO_TEST_CASE(merge_refuses_mismatched_or_incomplete_partials_with_exit_2) {
  const auto dir = scratch_dir("mc-merge-errors");
  const auto partial = [&](const std::string& name, const std::vector<std::string>& extra) {
    std::vector<std::string> args{"simulate", "--runs", "20", "--partial", (dir / name).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    BOOST_REQUIRE(run_cli(args).exit_code == 0);
    return (dir / name).string();
  };
  const auto a = partial("a.json", {"--shard", "1/2"});
  const auto b = partial("b.json", {"--shard", "2/2"});
  const auto b_seed = partial("b-seed.json", {"--shard", "2/2", "--seed", "9"});
  const auto b_other = partial("b-other.json", {"enterprise", "--shard", "2/2"});

  const auto seed = run_cli({"merge", a, b_seed});
  BOOST_TEST(seed.exit_code == 2);
  BOOST_TEST(seed.out == "");
  BOOST_TEST(seed.err == "lyncupdate: error: " + b_seed + " was run with seed 9, but " + a +
                             " with seed 1; every shard of a batch must use the same seed\n"
                             "lyncupdate: nothing was merged\n");
  const auto other = run_cli({"merge", a, b_other});
  BOOST_TEST(other.exit_code == 2);
  BOOST_TEST(other.err.find("is from scenario enterprise with hash") != std::string::npos);
  const auto overlap = run_cli({"merge", a, a, b});
  BOOST_TEST(overlap.exit_code == 2);
  BOOST_TEST(overlap.err.find("overlaps") != std::string::npos);
  const auto missing = run_cli({"merge", a});
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(missing.err ==
             "lyncupdate: error: runs 10 to 19 of the batch of 20 are missing: no "
             "partial result covers them\nlyncupdate: nothing was merged\n");
  write_file(dir / "garbage.json", "{\"schema\": 3}");
  const auto garbage = run_cli({"merge", a, (dir / "garbage.json").string()});
  BOOST_TEST(garbage.exit_code == 2);
  BOOST_TEST(garbage.err.find("garbage.json: error: /schema: expected a string") !=
             std::string::npos);
  BOOST_TEST(run_cli({"merge"}).exit_code == 2);
}

BOOST_AUTO_TEST_CASE(monte_carlo_usage_errors_exit_2) {
  const auto no_runs = run_cli({"simulate", "--shard", "1/2"});
  BOOST_TEST(no_runs.exit_code == 2);
  BOOST_TEST(no_runs.err == "lyncupdate: error: --threads, --shard and --partial need --runs N\n");
  BOOST_TEST(run_cli({"simulate", "--threads", "2"}).exit_code == 2);
  BOOST_TEST(run_cli({"simulate", "--runs", "0"}).exit_code == 2);
  BOOST_TEST(run_cli({"simulate", "--runs", "10", "--shard", "3/2"}).exit_code == 2);
  BOOST_TEST(run_cli({"simulate", "--runs", "10", "--shard", "x"}).exit_code == 2);
  BOOST_TEST(run_cli({"simulate", "--runs", "2", "--shard", "1/3"}).exit_code == 2);
}

BOOST_AUTO_TEST_CASE(a_retried_failure_shows_in_the_timeline_json_and_counts) {
  Json s = contoso();
  step(s, "install-update")["retry"] = Json{{"attempts", 3}, {"delay_min", 5}};
  s["timing"]["steps"]["install-update"]["failure_probability"] = 1.0;
  const std::string file = write_scenario(s, "retry");
  const auto text = run_cli({"simulate", file});
  BOOST_TEST(text.exit_code == 1);
  BOOST_TEST(text.out.find("attempt 1 failed; retried after the runbook's delay") !=
             std::string::npos);
  BOOST_TEST(text.out.find("attempt 2 failed; retried after the runbook's delay") !=
             std::string::npos);
  BOOST_TEST(text.out.find("attempt 3 failed\n") != std::string::npos);
  BOOST_TEST(text.out.find("stopped by a failed step") != std::string::npos);
  const Json doc = Json::parse(run_cli({"simulate", file, "--json"}).out);
  BOOST_TEST(doc["faults"].size() == 3u);
  BOOST_TEST(doc["faults"][0]["kind"] == "attempt_failed");
  BOOST_TEST(doc["faults"][0]["retried"] == true);
  BOOST_TEST(doc["faults"][2]["attempt"] == 3);
  BOOST_TEST(doc["faults"][2]["retried"] == false);
  // Five minutes between the end of one attempt and the start of the next.
  BOOST_TEST(doc["faults"][1]["begin"]["ms"].get<std::int64_t>() -
                 doc["faults"][0]["end"]["ms"].get<std::int64_t>() ==
             5 * 60'000);
  const Json mc = Json::parse(run_cli({"simulate", file, "--runs", "10", "--json"}).out);
  BOOST_TEST(mc["faults"]["failed_attempts"] == 30);
  BOOST_TEST(mc["faults"]["retried_attempts"] == 20);
  BOOST_TEST(mc["stopped_runs"] == 10);
}

BOOST_AUTO_TEST_CASE(a_reboot_required_shows_in_the_timeline_json_and_counts) {
  Json s = contoso();
  step(s, "install-update")["reboot_required"] = Json{{"probability", 1.0}, {"reboot_min", 6}};
  const std::string file = write_scenario(s, "reboot");
  const auto text = run_cli({"simulate", file});
  BOOST_TEST(text.out.find("6m00s    reboot required by the installer (attempt 1)") !=
             std::string::npos);
  const Json doc = Json::parse(run_cli({"simulate", file, "--json"}).out);
  BOOST_TEST(doc["faults"].size() == 2u);  // both servers
  BOOST_TEST(doc["faults"][0]["kind"] == "reboot");
  BOOST_TEST(doc["faults"][0]["end"]["ms"].get<std::int64_t>() -
                 doc["faults"][0]["begin"]["ms"].get<std::int64_t>() ==
             6 * 60'000);
  const Json mc = Json::parse(run_cli({"simulate", file, "--runs", "10", "--json"}).out);
  BOOST_TEST(mc["faults"]["reboots"].get<int>() >= 18);  // unless a run stopped early
}

BOOST_AUTO_TEST_CASE(retry_and_reboot_keys_are_validated) {
  Json s = contoso();
  step(s, "install-update")["retry"] = Json{{"attempts", 0}, {"delay_min", 5}};
  step(s, "log-on")["reboot_required"] = Json{{"probability", 0.5}, {"reboot_min", 6}};
  step(s, "update-databases")["retry"] = Json{{"attempts", 2}};
  const auto r = run_cli({"check", write_scenario(s, "bad-faults")});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.find("/runbook/0/reboot_required: \"reboot_required\" applies to steps of kind "
                        "\"install\" only, got kind \"manual\"") != std::string::npos);
  BOOST_TEST(r.err.find("/runbook/6/retry/attempts:") != std::string::npos);
  BOOST_TEST(r.err.find("/runbook/10/retry: missing required key \"delay_min\"") !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
