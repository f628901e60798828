#include <cstdio>
#include <regex>
#include <string>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "lyncupdate/version/version.hpp"
#include "run_cli.hpp"

using lyncupdate::test::matches_golden;
using lyncupdate::test::run_cli;
using lyncupdate::test::scratch_dir;
using lyncupdate::test::write_file;

BOOST_AUTO_TEST_SUITE(cli)

BOOST_AUTO_TEST_CASE(simulate_seed_1_on_the_default_scenario_is_golden) {
  const auto result = run_cli({"simulate", "--seed", "1"});
  BOOST_TEST(result.err == "");
  BOOST_TEST(matches_golden("simulate-contoso-seed1.txt", result.out));
  BOOST_TEST(result.exit_code == 0);
}

BOOST_AUTO_TEST_CASE(simulate_json_seed_1_is_golden) {
  const auto result = run_cli({"simulate", "contoso", "--seed", "1", "--json"});
  BOOST_TEST(result.exit_code == 0);
  BOOST_TEST(matches_golden("simulate-contoso-seed1.json", result.out));
  const auto doc = nlohmann::json::parse(result.out);
  BOOST_TEST(doc["schema"] == "lyncupdate/run/1");
  BOOST_TEST(doc["servers"].size() == 2u);
  BOOST_TEST(doc["servers"][0]["steps"].size() == 12u);
}

BOOST_AUTO_TEST_CASE(same_seed_gives_identical_bytes_and_another_seed_other_timings) {
  const auto first = run_cli({"simulate", "--seed", "7"});
  const auto second = run_cli({"simulate", "--seed", "7"});
  const auto other = run_cli({"simulate", "--seed", "8"});
  BOOST_TEST(first.out == second.out);
  BOOST_TEST(first.out != other.out);
  BOOST_TEST(first.out.find("seed 7") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(check_on_the_default_scenario_is_clean) {
  const auto result = run_cli({"check"});
  BOOST_TEST(result.exit_code == 0);
  BOOST_TEST(result.out.find("Violations: none") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
  BOOST_TEST(run_cli({}).exit_code == 2);
  BOOST_TEST(run_cli({"frobnicate"}).exit_code == 2);
  BOOST_TEST(run_cli({"simulate", "--seed", "minus-one"}).exit_code == 2);
  BOOST_TEST(run_cli({"simulate", "--no-such-flag"}).exit_code == 2);
  // Numbers CLI11 would wrap or clamp into an unsigned option are refused.
  const auto negative = run_cli({"simulate", "--runs", "-1"});
  BOOST_TEST(negative.exit_code == 2);
  BOOST_TEST(negative.err.starts_with(
      "--runs: expected a whole number from 0 to 18446744073709551615, got \"-1\""));
  BOOST_TEST(run_cli({"simulate", "--seed", "18446744073709551616"}).exit_code == 2);
  BOOST_TEST(run_cli({"simulate", "--seed", "-3"}).exit_code == 2);
  BOOST_TEST(run_cli({"simulate", "--seed", "18446744073709551615"}).exit_code == 0);
  const auto too_many = run_cli({"simulate", "--runs", "100000000000000"});
  BOOST_TEST(too_many.exit_code == 2);
  BOOST_TEST(too_many.err.find("split them with --shard K/N") != std::string::npos);
  BOOST_TEST(run_cli({"--help"}).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(version_is_the_release_with_the_git_description) {
  const std::string out = run_cli({"--version"}).out;
  BOOST_TEST(out == std::string(lyncupdate::version::tool()) + "\n");
  // 0.1.0 outside a clone or on its tag; 0.1.0+g1a2b3c4, 0.1.0+3.g1a2b3c4, .dirty in a clone.
  const std::regex form(R"(lyncupdate [0-9]+\.[0-9]+\.[0-9]+(\+[0-9A-Za-z.]+)?\n)");
  BOOST_TEST(std::regex_match(out, form), out);
  BOOST_TEST(out.starts_with("lyncupdate " + std::string(lyncupdate::version::release())));
}

BOOST_AUTO_TEST_CASE(an_unknown_shipped_scenario_exits_2) {
  const auto result = run_cli({"simulate", "fabrikam"});
  BOOST_TEST(result.exit_code == 2);
  BOOST_TEST(result.out == "");
  BOOST_TEST(result.err.find("fabrikam") != std::string::npos);
  BOOST_TEST(result.err.find("contoso") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_files_exit_2_and_print_nothing_on_stdout) {
  const auto dir = scratch_dir("bad-files");
  write_file(dir / "empty.json", "");
  write_file(dir / "broken.json", "{\n  \"name\": \"x\",\n  \"topology\": [\n}\n");
  write_file(dir / "binary.json", std::string("\x7f"
                                              "ELF\x02\x01\x01\0\0\0",
                                              10));
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  write_file(dir / "deep.json", deep);
  for (const char* name :
       {"empty.json", "broken.json", "binary.json", "deep.json", "missing.json", "."}) {
    const auto result = run_cli({"check", (dir / name).string()});
    BOOST_TEST_CONTEXT(name) {
      BOOST_TEST(result.exit_code == 2);
      BOOST_TEST(result.out == "");
      BOOST_TEST(result.err.find("error:") != std::string::npos);
      BOOST_TEST(result.err.find("nothing was run") != std::string::npos);
    }
  }
  const auto broken = run_cli({"check", (dir / "broken.json").string()});
  BOOST_TEST(broken.err.starts_with((dir / "broken.json").string() + ":4:1: error: "));
}

BOOST_AUTO_TEST_CASE(export_prints_a_scenario_that_loads_back) {
  const auto exported = run_cli({"export", "contoso"});
  BOOST_TEST(exported.exit_code == 0);
  const auto dir = scratch_dir("export");
  write_file(dir / "copy.json", exported.out);
  const auto from_copy = run_cli({"simulate", (dir / "copy.json").string(), "--seed", "3"});
  const auto shipped = run_cli({"simulate", "--seed", "3"});
  BOOST_TEST(from_copy.exit_code == 0);
  BOOST_TEST(from_copy.out == shipped.out);
}

BOOST_AUTO_TEST_CASE(check_prints_the_static_analysis_and_strict_requires_proofs) {
  const auto text = run_cli({"check"});
  BOOST_TEST(text.out.find("Static analysis (0 errors, 0 warnings, 2 notes):") !=
             std::string::npos);
  const auto json = run_cli({"check", "--json"});
  const auto doc = nlohmann::json::parse(json.out);
  BOOST_TEST(doc["findings"].size() == 2U);
  BOOST_TEST(doc["findings"][0]["rule"] == "worst-case-outage");
  BOOST_TEST(doc["findings"][0]["severity"] == "info");
  BOOST_TEST(doc["findings"][0]["server"] == "all servers");
  BOOST_TEST(!nlohmann::json::parse(run_cli({"simulate", "--json"}).out).contains("findings"));
  BOOST_TEST(run_cli({"check", "--strict"}).exit_code == 1);
}

BOOST_AUTO_TEST_CASE(check_exits_1_on_a_static_error_that_the_rehearsal_does_not_see) {
  const std::string broken =
      std::string(LYNCUPDATE_SOURCE_DIR) + "/scenarios/broken/sfb2015-failover-cmdlet.json";
  const auto result = run_cli({"check", broken});
  BOOST_TEST(result.exit_code == 1);
  BOOST_TEST(result.out.find("not-in-product") != std::string::npos);
  BOOST_TEST(result.out.find("Violations: none") != std::string::npos);
}

// The violation table's columns fit the longest rule and server it shows.
BOOST_AUTO_TEST_CASE(violation_columns_fit_the_longest_rule) {
  const std::string broken =
      std::string(LYNCUPDATE_SOURCE_DIR) + "/scenarios/broken/failover-before-mirror-updated.json";
  const auto result = run_cli({"check", broken});
  BOOST_TEST(result.exit_code == 1);
  BOOST_TEST(result.out.find("  22:04:00  failover-to-unupdated-mirror sql01.contoso.com    "
                             "fail-over-to-mirror\n") != std::string::npos,
             result.out);
  BOOST_TEST(result.out.find("  22:06:00  mirror-pair-down             sql01m.contoso.com   "
                             "install-update\n") != std::string::npos,
             result.out);
}

// `check` judges the plan: at seed 60 a step of enterprise-rollout's rehearsal fails by chance
// late in the night (simulate shows it), leaving sql02's services stopped; the plan itself is
// sound, so check passes unless asked to draw failures.
BOOST_AUTO_TEST_CASE(check_rehearses_without_chance_failures_unless_asked) {
  const auto simulated = run_cli({"simulate", "enterprise-rollout", "--seed", "60"});
  BOOST_TEST(simulated.exit_code == 1);
  BOOST_TEST(simulated.out.find("The plan stopped by a failed step at 04:06:42") !=
             std::string::npos);
  const auto checked = run_cli({"check", "enterprise-rollout", "--seed", "60"});
  BOOST_TEST(checked.exit_code == 0, checked.out);
  BOOST_TEST(checked.out.find("Rehearsal without chance failures (--draw-failures draws them; "
                              "montecarlo says how often one stops the plan)") !=
             std::string::npos);
  BOOST_TEST(checked.out.find("Violations: none") != std::string::npos);
  const auto json = run_cli({"check", "enterprise-rollout", "--seed", "60", "--json"});
  BOOST_TEST(nlohmann::json::parse(json.out)["chance_failures"] == false);
  const auto drawn = run_cli({"check", "enterprise-rollout", "--seed", "60", "--draw-failures"});
  BOOST_TEST(drawn.exit_code == 1);
  BOOST_TEST(drawn.out.find("Rehearsal without chance failures") == std::string::npos);
  BOOST_TEST(drawn.out.find("services-left-stopped  sql02.fabrikam.com") != std::string::npos);
  BOOST_TEST(drawn.out.find("The plan stopped by a failed step at 04:06:42") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(terminal)

// `script` (util-linux) gives the command a pseudo-terminal, as a user's shell would.
std::string on_a_terminal(const std::string& environment) {
  const std::string command =
      "script -qec '" + environment + " " LYNCUPDATE_BINARY " check' /dev/null </dev/null";
  std::string out;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    ::pclose(pipe);
  }
  return out;
}

BOOST_AUTO_TEST_CASE(colour_on_a_terminal_and_none_with_no_color) {
  BOOST_TEST(on_a_terminal("env").find("\x1b[32mViolations: none\x1b[0m") != std::string::npos);
  const std::string plain = on_a_terminal("env NO_COLOR=1");
  BOOST_TEST(plain.find("Violations: none") != std::string::npos);
  BOOST_TEST(plain.find('\x1b') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(no_colour_in_a_pipe) {
  BOOST_TEST(run_cli({"check"}).out.find('\x1b') == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
