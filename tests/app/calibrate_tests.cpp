// `lyncupdate calibrate` as an administrator runs it: journals of live runs of the shipped
// `contoso` become a scenario that `simulate` runs with the measured durations; bad journals
// are refused with the file and line, and nothing is written.

#include <filesystem>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lyncupdate/version/version.hpp"
#include "run_cli.hpp"

using lyncupdate::test::read_file;
using lyncupdate::test::run_cli;
using lyncupdate::test::scratch_dir;
using lyncupdate::test::write_file;
using Json = nlohmann::ordered_json;

namespace {

std::string header(std::string_view tool = "lyncupdate 0.1.0") {
  return fmt::format(
             R"({{"journal":"lyncupdate/journal/1","scenario":"contoso","scenario_sha256":"{}",)"
             R"("tool":"{}","transport":"ssh","started_utc":"2026-11-26T09:30:00Z"}})",
             std::string(64, 'c'), tool) +
         "\n";
}

// An intent and its outcome, as `live` writes them around one attempt.
std::string attempt(std::string_view server, std::string_view step, int number,
                    std::string_view outcome, long duration_ms) {
  return fmt::format(
             R"({{"record":"intent","server":"{0}","step":"{1}","attempt":{2},"kind":"command",)"
             R"("host":"{0}","argv":["Do-It"],"at_ms":0}})",
             server, step, number) +
         "\n" +
         fmt::format(R"({{"record":"outcome","server":"{}","step":"{}","attempt":{},)"
                     R"("outcome":"{}","exit_code":0,"duration_ms":{},"at_ms":1,)"
                     R"("output_tail":""}})",
                     server, step, number, outcome, duration_ms) +
         "\n";
}

// Two runs of contoso: stop-services always 90 s, the installer 10 and 12 minutes, one
// failed database update before a 2-minute success on se01, and a crash's torn last line.
void write_journals(const std::filesystem::path& dir) {
  write_file(dir / "sql01.journal",
             header() + attempt("sql01.contoso.com", "stop-services", 1, "succeeded", 90'000) +
                 attempt("sql01.contoso.com", "install-update", 1, "succeeded", 600'000) +
                 R"({"record":"finished","at_ms":9})" + "\n");
  write_file(dir / "se01.journal",
             header() + attempt("se01.contoso.com", "stop-services", 1, "succeeded", 90'000) +
                 attempt("se01.contoso.com", "install-update", 1, "succeeded", 720'000) +
                 attempt("se01.contoso.com", "update-databases", 1, "failed", 30'000) +
                 attempt("se01.contoso.com", "update-databases", 2, "succeeded", 120'000) +
                 R"({"record":"stop","reas)");
}

// step id -> duration_ms of each planned server's step in `simulate --json`, plan order.
std::vector<long> simulated(const Json& run, const std::string& step) {
  std::vector<long> out;
  for (const auto& server : run["servers"]) {
    for (const auto& s : server["steps"]) {
      // A step left unrun after a failure has no duration.
      if (s["id"] == step)
        out.push_back(s.contains("duration_ms") ? s["duration_ms"].get<long>() : -1);
    }
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(calibrate_cli)

BOOST_AUTO_TEST_CASE(journals_of_contoso_give_a_scenario_that_simulates_with_their_durations) {
  const auto dir = scratch_dir("calibrate-contoso");
  write_journals(dir);
  const auto out = dir / "out.json";
  const auto calibrated =
      run_cli({"calibrate", (dir / "sql01.journal").string(), (dir / "se01.journal").string(),
               "--scenario", "contoso", "--per-server", "-o", out.string()});
  BOOST_TEST_REQUIRE(calibrated.exit_code == 0, calibrated.err);
  BOOST_TEST(calibrated.out.empty());
  BOOST_TEST(
      calibrated.err ==
      (dir / "se01.journal").string() +
          ":10: note: the last line is incomplete (no final newline), as a crash leaves "
          "it; it is ignored\n"
          R"(server             step              samples  fit             median          p95     max  failure rate
all                stop-services           2  fixed          1.5 min                       0/2 (0.0%)
all                install-update          2  lognormal  10.9545 min  13.5422 min  18 min  0/2 (0.0%)
all                update-databases        1  fixed            2 min                       1/2 (50.0%)
sql01.contoso.com  stop-services           1  fixed          1.5 min                       0/1 (0.0%)
sql01.contoso.com  install-update          1  fixed           10 min                       0/1 (0.0%)
se01.contoso.com   stop-services           1  fixed          1.5 min                       0/1 (0.0%)
se01.contoso.com   install-update          1  fixed           12 min                       0/1 (0.0%)
se01.contoso.com   update-databases        1  fixed            2 min                       1/2 (50.0%)
)");

  const Json scenario = Json::parse(read_file(out));
  const Json& steps = scenario["timing"]["steps"];
  BOOST_TEST(steps["stop-services"].dump() == R"({"distribution":"fixed","minutes":1.5})");
  BOOST_TEST(steps["install-update"].dump() ==
             R"({"distribution":"lognormal","median_min":10.9545,"p95_min":13.5422,)"
             R"("max_min":18.0})");
  BOOST_TEST(steps["update-databases"].dump() ==
             R"({"distribution":"fixed","minutes":2.0,"failure_probability":0.5})");
  // Everything else as the shipped scenario has it.
  Json expected = lyncupdate::test::exported_scenario("contoso");
  BOOST_TEST(scenario["topology"] == expected["topology"]);
  BOOST_TEST(scenario["plan"] == expected["plan"]);
  BOOST_TEST(steps["log-on"] == expected["timing"]["steps"]["log-on"]);
  BOOST_TEST(scenario["timing"]["servers"]["se01.contoso.com"]["update-databases"].dump() ==
             R"({"distribution":"fixed","minutes":2.0,"failure_probability":0.5})");

  // The database update fails half the time now; seed 3 draws no failure, so every step runs.
  const auto run = run_cli({"simulate", out.string(), "--seed", "3", "--json"});
  BOOST_TEST_REQUIRE(run.exit_code == 0, run.err);
  const Json doc = Json::parse(run.out);
  BOOST_TEST((simulated(doc, "stop-services") == std::vector<long>{90'000, 90'000}));
  // The per-server fits are fixed: sql01 took 10 minutes, se01 12.
  BOOST_TEST((simulated(doc, "install-update") == std::vector<long>{600'000, 720'000}));
  BOOST_TEST((simulated(doc, "update-databases") == std::vector<long>{120'000, 120'000}));
}

BOOST_AUTO_TEST_CASE(without_a_scenario_the_timing_object_is_printed) {
  const auto dir = scratch_dir("calibrate-timing");
  write_journals(dir);
  const auto result = run_cli({"calibrate", (dir / "sql01.journal").string()});
  BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
  BOOST_TEST(result.out == R"({
  "steps": {
    "stop-services": {
      "distribution": "fixed",
      "minutes": 1.5
    },
    "install-update": {
      "distribution": "fixed",
      "minutes": 10.0
    }
  }
}
)");
  const auto json = run_cli({"calibrate", (dir / "sql01.journal").string(), "--json"});
  BOOST_TEST_REQUIRE(json.exit_code == 0, json.err);
  const Json doc = Json::parse(json.out);
  BOOST_TEST(doc["schema"] == "lyncupdate/calibration/1");
  BOOST_TEST(doc["steps"][1]["durations_ms"].dump() == "[600000]");
  BOOST_TEST(doc["timing"]["steps"]["install-update"]["minutes"] == 10.0);
}

BOOST_AUTO_TEST_CASE(a_scenario_file_keeps_its_runbook_file_from_another_folder) {
  const auto dir = scratch_dir("calibrate-file");
  write_journals(dir);
  std::filesystem::create_directories(dir / "in" / "books");
  std::filesystem::create_directories(dir / "out");
  Json scenario = lyncupdate::test::exported_scenario("contoso");
  write_file(dir / "in" / "books" / "steps.json", scenario["runbook"].dump(2));
  scenario["runbook"] = "books/steps.json";
  write_file(dir / "in" / "mine.json", scenario.dump(2));
  const auto out = dir / "out" / "calibrated.json";
  const auto result = run_cli({"calibrate", (dir / "sql01.journal").string(), "--scenario",
                               (dir / "in" / "mine.json").string(), "-o", out.string()});
  BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
  const Json written = Json::parse(read_file(out));
  BOOST_TEST(written["runbook"] == "../in/books/steps.json");
  BOOST_TEST(written["name"] == "contoso");
  const auto run = run_cli({"simulate", out.string(), "--json"});
  BOOST_TEST_REQUIRE((run.exit_code == 0 || run.exit_code == 1), run.err);
  BOOST_TEST((simulated(Json::parse(run.out), "install-update")[0] == 600'000));
}

BOOST_AUTO_TEST_CASE(bad_journals_are_refused_with_file_and_line_and_nothing_is_written) {
  const auto dir = scratch_dir("calibrate-errors");
  write_journals(dir);
  const auto out = dir / "out.json";
  const auto refused = [&](const std::string& name, const std::string& text) {
    write_file(dir / name, text);
    const auto result =
        run_cli({"calibrate", (dir / name).string(), "--scenario", "contoso", "-o", out.string()});
    BOOST_TEST(result.exit_code == 2);
    BOOST_TEST(result.out.empty());
    BOOST_TEST(!std::filesystem::exists(out));
    return result.err;
  };
  const std::string file = (dir / "x").string();
  BOOST_TEST(refused("x", header() + "{nope\n" + R"({"record":"finished","at_ms":1})" + "\n") ==
             file +
                 ":2: error: expected one JSON object on the line, got text that does not "
                 "parse\nlyncupdate calibrate: 1 problem in the input; nothing was written\n");
  BOOST_TEST(refused("x", header("lyncupdate 0.0.9")) ==
             file +
                 ":1: error: the journal was written by \"lyncupdate 0.0.9\"; expected a "
                 "journal of a build of lyncupdate " +
                 std::string(lyncupdate::version::release()) +
                 "\nlyncupdate calibrate: 1 problem in the input; nothing was written\n");
  BOOST_TEST(
      refused("x", header() + attempt("sql01.contoso.com", "stop-services", 1, "failed", 1)) ==
      file +
          ": error: no succeeded attempt in the journal; expected at least one "
          "outcome \"succeeded\" to calibrate from\nlyncupdate calibrate: 1 problem "
          "in the input; nothing was written\n");
  const std::string unknown =
      refused("x", header() + attempt("sql01.contoso.com", "defrag-disk", 1, "succeeded", 1));
  BOOST_TEST(unknown.starts_with(file + ":2: error: step \"defrag-disk\" is not in the runbook "
                                        "of scenario \"contoso\"; expected one of: log-on, "));

  const auto missing =
      run_cli({"calibrate", (dir / "missing.journal").string(), "-o", out.string()});
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(missing.err == (dir / "missing.journal").string() +
                                ": error: cannot read file: no such file or directory\n"
                                "lyncupdate calibrate: 1 problem in the input; nothing was "
                                "written\n");
  BOOST_TEST(!std::filesystem::exists(out));

  const auto twice = run_cli({"calibrate", (dir / "sql01.journal").string(),
                              (dir / "sql01.journal").string(), "-o", out.string()});
  BOOST_TEST(twice.exit_code == 2);
  BOOST_TEST(twice.err.find("the journal is named twice") != std::string::npos);
  BOOST_TEST(!std::filesystem::exists(out));

  const auto unknown_scenario = run_cli({"calibrate", (dir / "sql01.journal").string(),
                                         "--scenario", "contosso", "-o", out.string()});
  BOOST_TEST(unknown_scenario.exit_code == 2);
  BOOST_TEST(unknown_scenario.err.find("unknown shipped scenario \"contosso\"") !=
             std::string::npos);
  BOOST_TEST(!std::filesystem::exists(out));

  const auto json_to_stdout =
      run_cli({"calibrate", (dir / "sql01.journal").string(), "--scenario", "contoso", "--json"});
  BOOST_TEST(json_to_stdout.exit_code == 2);
  BOOST_TEST(json_to_stdout.out.empty());
}

BOOST_AUTO_TEST_SUITE_END()
