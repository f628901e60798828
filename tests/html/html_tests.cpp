// The HTML report from the command line: what it draws for a known run, escaping, byte
// identity, atomic writing, and its size for a large batch.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "../app/run_cli.hpp"
#include "lyncupdate/version/version.hpp"

using lyncupdate::test::occurrences;
using lyncupdate::test::read_file;
using lyncupdate::test::run_cli;
using lyncupdate::test::scratch_dir;
using lyncupdate::test::write_file;
using Json = nlohmann::ordered_json;

namespace {

Json& step(Json& scenario, const std::string& id) {
  for (Json& s : scenario["runbook"]) {
    if (s["id"] == id) return s;
  }
  BOOST_FAIL("no step " + id);
  return scenario;
}

// contoso with every step lasting exactly two minutes and never failing.
Json fixed_contoso() {
  Json s = lyncupdate::test::exported_scenario("contoso");
  for (auto& [id, timing] : s["timing"]["steps"].items()) {
    timing = Json{{"distribution", "fixed"}, {"minutes", 2}};
  }
  s["timing"].erase("servers");
  return s;
}

std::string write_scenario(const Json& scenario, const std::string& name) {
  const auto dir = scratch_dir("html-" + name);
  write_file(dir / "scenario.json", scenario.dump(2));
  return (dir / "scenario.json").string();
}

std::string report(const std::vector<std::string>& args, const std::filesystem::path& out,
                   int expected_exit = 0) {
  std::vector<std::string> all{"report"};
  all.insert(all.end(), args.begin(), args.end());
  all.insert(all.end(), {"-o", out.string()});
  const auto r = run_cli(all);
  BOOST_TEST(r.exit_code == expected_exit, "exit " << r.exit_code << ": " << r.err);
  BOOST_TEST(r.out == "");
  return read_file(out);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(html_report)

BOOST_AUTO_TEST_CASE(a_fixed_timing_run_draws_one_bar_per_step_and_its_outages) {
  const auto file = write_scenario(fixed_contoso(), "fixed");
  const auto dir = scratch_dir("html-fixed-out");
  const std::string html = report({file}, dir / "r.html");
  BOOST_TEST(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
  BOOST_TEST(html.ends_with("</html>\n"));
  // Two servers, twelve steps each, one attempt each.
  BOOST_TEST(occurrences(html, "<rect class=\"bar ") == 24u);
  BOOST_TEST(occurrences(html, "<rect class=\"bar k-manual\"") == 10u);
  BOOST_TEST(occurrences(html, "<rect class=\"bar k-install\"") == 2u);
  BOOST_TEST(occurrences(html, "<rect class=\"bar k-database\"") == 2u);
  BOOST_TEST(occurrences(html, " failed\"") == 0u);
  // The back end is unavailable from the installer (7th step, 12 minutes in) until
  // Install-CsDatabase ends (11th, 22 minutes in); the Standard Edition server from its first
  // Stop-CsWindowsService until Start-CsWindowsService ends.
  BOOST_TEST(occurrences(html, "<rect class=\"outage-strip\"") == 2u);
  BOOST_TEST(html.find("unavailable 22:12:00 to 22:22:00 (10m00s)") != std::string::npos);
  BOOST_TEST(html.find("unavailable 22:30:00 to 22:48:00 (18m00s)") != std::string::npos);
  BOOST_TEST(occurrences(html, "<line class=\"limit-line\"") == 1u);
  BOOST_TEST(html.find(">limit 30m00s</text>") != std::string::npos);
  // Without --runs: no histogram.
  BOOST_TEST(occurrences(html, "class=\"chart histogram\"") == 0u);
  // se01's users lose service when its services stop (22:30), re-register on the backup pool
  // in resiliency mode after the registrar's failover timer (120 s).
  BOOST_TEST(occurrences(html, "<svg class=\"chart users\"") == 1u);
  const auto peaks = html.find("Peak in resiliency mode: ");
  BOOST_REQUIRE(peaks != std::string::npos);
  const std::string line = html.substr(peaks, html.find("</p>", peaks) - peaks);
  BOOST_TEST(line.find(" at 22:32:00; peak disconnected: ") != std::string::npos, line);
  // No front end is planned (the two servers are the pool's back end and se01): no routing
  // group's primary moves.
  BOOST_TEST(line.ends_with(" at 22:30:00. Users moved (they re-registered when their routing "
                            "group's primary moved to another front end, without losing "
                            "service): 0."),
             line);
  BOOST_TEST(html.find("Run 1 of seed 1: 24 step attempts on 2 servers in 2 stages, from "
                       "22:00:00 to 22:48:00") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(retries_failures_and_restarts_are_marked) {
  Json s = fixed_contoso();
  step(s, "install-update")["retry"] = Json{{"attempts", 3}, {"delay_min", 5}};
  s["timing"]["steps"]["install-update"]["failure_probability"] = 1.0;
  const auto dir = scratch_dir("html-retry-out");
  const std::string html = report({write_scenario(s, "retry")}, dir / "r.html", 1);
  // sql01: six steps, then three failed attempts of the installer; the plan stops there.
  BOOST_TEST(occurrences(html, "<rect class=\"bar ") == 9u);
  BOOST_TEST(occurrences(html, "<rect class=\"bar k-install failed\"") == 3u);
  BOOST_TEST(occurrences(html, "<text class=\"mark mark-failed\"") == 3u);
  BOOST_TEST(occurrences(html, "<text class=\"mark mark-retry\"") == 2u);
  BOOST_TEST(html.find("failed; tried again after the runbook&#39;s delay") != std::string::npos);
  BOOST_TEST(occurrences(html, "<text class=\"not-run\"") == 1u);  // se01

  Json r = fixed_contoso();
  step(r, "install-update")["reboot_required"] = Json{{"probability", 1.0}, {"reboot_min", 6}};
  const std::string rebooted = report({write_scenario(r, "reboot")}, dir / "b.html");
  BOOST_TEST(occurrences(rebooted, "<rect class=\"bar ") == 24u);
  BOOST_TEST(occurrences(rebooted, "<rect class=\"reboot-seg\"") == 2u);
  BOOST_TEST(rebooted.find("the installer asked for a restart: 22:14:00 to 22:20:00") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(monte_carlo_adds_one_binned_histogram_per_metric) {
  const auto dir = scratch_dir("html-mc");
  const std::string html = report({"--runs", "50"}, dir / "r.html", 1);  // some runs breach
  // The window length, each of contoso's two servers, and the users affected per run.
  BOOST_TEST(occurrences(html, "class=\"chart histogram\"") == 4u);
  BOOST_TEST(occurrences(html, "<rect class=\"hist-bin\"") == 4u * 40u);
  BOOST_TEST(occurrences(html, "<line class=\"pct-line\"") == 4u * 4u);
  // The outage chart of the rehearsal, and the two outage histograms.
  BOOST_TEST(occurrences(html, "<line class=\"limit-line\"") == 3u);
  BOOST_TEST(html.find("95% Wilson interval") != std::string::npos);
  BOOST_TEST(html.find(">Monte Carlo: 50 rehearsals</h2>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(monte_carlo_user_impact_gives_the_figures_of_simulate_json) {
  const auto dir = scratch_dir("html-mc-users");
  const std::vector<std::string> batch{"enterprise", "--runs", "200", "--seed", "3"};
  const std::string html = report(batch, dir / "r.html", 1);
  std::vector<std::string> simulate{"simulate"};
  simulate.insert(simulate.end(), batch.begin(), batch.end());
  simulate.push_back("--json");
  const auto json = run_cli(simulate);
  BOOST_TEST_REQUIRE(json.exit_code == 1, json.err);
  const Json users = Json::parse(json.out)["user_impact"];

  BOOST_TEST(html.find("<h2>User impact over 200 rehearsals</h2>") != std::string::npos);
  // Counts as they are; user-milliseconds as user-minutes with one decimal.
  const std::vector<std::pair<std::string, std::string>> rows{
      {"users_affected", "users affected"},
      {"resiliency_user_ms", "user-minutes in resiliency mode"},
      {"disconnected_user_ms", "user-minutes disconnected"},
      {"failed_operations", "failed operations"},
      {"conferences_ended", "conferences ended"},
      {"users_moved", "users moved"}};
  for (const auto& [metric, label] : rows) {
    const Json& u = users[metric];
    const bool user_ms = metric.ends_with("_user_ms");
    const auto figure = [&](const Json& value) {
      return user_ms ? fmt::format("{:.1f}", value.get<double>() / 60'000)
                     : fmt::format("{}", value.get<std::int64_t>());
    };
    const std::string mean =
        user_ms ? figure(u["mean"]) : fmt::format("{:.1f}", u["mean"].get<double>());
    const std::string row = fmt::format(
        "<tr data-metric=\"{}\"><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "</tr>",
        metric, label, mean, figure(u["p50"]), figure(u["p95"]), figure(u["p99"]),
        figure(u["max"]));
    BOOST_TEST(occurrences(html, row) == 1u, row);
  }
  // enterprise's pools lose users in most runs: the histogram has something to show.
  BOOST_TEST(users["users_affected"]["max"].get<std::int64_t>() > 0);
  BOOST_TEST(users["users_affected"]["mean"].get<double>() > 0.0);

  // The histogram of the users affected: 40 bins holding the 200 runs, P50 marked.
  const auto begin = html.find("aria-label=\"histogram: users affected per run, 200 runs\"");
  BOOST_REQUIRE(begin != std::string::npos);
  const std::string svg = html.substr(begin, html.find("</svg>", begin) - begin);
  BOOST_TEST(occurrences(svg, "<rect class=\"hist-bin\"") == 40u);
  std::uint64_t runs = 0;
  for (auto at = svg.find("data-count=\""); at != std::string::npos;
       at = svg.find("data-count=\"", at + 1)) {
    runs += std::stoull(svg.substr(at + 12));
  }
  BOOST_TEST(runs == 200u);
  BOOST_TEST(
      svg.find(fmt::format(">P50 {}</text>", users["users_affected"]["p50"].get<std::int64_t>())) !=
      std::string::npos);
  BOOST_TEST(occurrences(svg, "<line class=\"limit-line\"") == 0u);
}

BOOST_AUTO_TEST_CASE(strings_from_the_scenario_are_escaped) {
  Json s = lyncupdate::test::exported_scenario("contoso");
  s["description"] = "<script>alert(1)</script> & \"quotes\" 'too'";
  step(s, "log-on")["title"] = "<img src=x onerror=alert(2)>";
  const auto dir = scratch_dir("html-hostile");
  const std::string html = report({write_scenario(s, "hostile")}, dir / "r.html");
  BOOST_TEST(html.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; "
                       "&#39;too&#39;") != std::string::npos);
  BOOST_TEST(html.find("&lt;img src=x onerror=alert(2)&gt;") != std::string::npos);
  BOOST_TEST(html.find("<script>alert") == std::string::npos);
  BOOST_TEST(html.find("<img") == std::string::npos);
  BOOST_TEST(occurrences(html, "<script") == 1u);  // the report's own render check
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_bytes_on_any_thread_count) {
  const auto dir = scratch_dir("html-identical");
  const std::string one =
      report({"enterprise", "--runs", "100", "--threads", "1", "--seed", "7"}, dir / "1.html", 1);
  const std::string two =
      report({"enterprise", "--runs", "100", "--threads", "2", "--seed", "7"}, dir / "2.html", 1);
  BOOST_TEST(one.size() > 10'000u);
  BOOST_TEST((one == two));
  const std::string again =
      report({"enterprise", "--runs", "100", "--threads", "2", "--seed", "7"}, dir / "2.html", 1);
  BOOST_TEST((one == again));
  const std::string other =
      report({"enterprise", "--runs", "100", "--threads", "2", "--seed", "8"}, dir / "3.html", 1);
  BOOST_TEST((one != other));
}

BOOST_AUTO_TEST_CASE(bad_input_leaves_no_file_and_exits_2) {
  const auto dir = scratch_dir("html-bad");
  const auto out = dir / "r.html";
  auto r = run_cli({"report", "no-such-scenario", "-o", out.string()});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.find("unknown shipped scenario \"no-such-scenario\"") != std::string::npos);
  BOOST_TEST(!std::filesystem::exists(out));
  BOOST_TEST(!std::filesystem::exists(dir / "r.html.tmp"));

  write_file(dir / "broken.json", "{\"name\": ");
  write_file(out, "old report");
  r = run_cli({"report", (dir / "broken.json").string(), "-o", out.string()});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(read_file(out) == "old report");  // untouched

  BOOST_TEST(run_cli({"report"}).exit_code == 2);  // -o is required
  BOOST_TEST(run_cli({"report", "--runs", "0", "-o", out.string()}).exit_code == 2);
  BOOST_TEST(run_cli({"report", "--runs", "-1", "-o", out.string()}).exit_code == 2);
  BOOST_TEST(read_file(out) == "old report");

  // A folder that does not exist: a usage error before anything runs, nothing written.
  r = run_cli({"report", "-o", (dir / "missing" / "r.html").string()});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.find("does not exist; expected a file in an existing folder") !=
             std::string::npos);
  BOOST_TEST(!std::filesystem::exists(dir / "missing"));
}

BOOST_AUTO_TEST_CASE(simulate_and_check_write_the_report_beside_their_output) {
  const auto dir = scratch_dir("html-options");
  const auto plain = run_cli({"simulate"});
  const auto with_html = run_cli({"simulate", "--html", (dir / "s.html").string()});
  BOOST_TEST(with_html.exit_code == plain.exit_code);
  BOOST_TEST(with_html.out == plain.out);
  const std::string html = read_file(dir / "s.html");
  BOOST_TEST(html.find(std::string(lyncupdate::version::tool()) + " (simulate)") !=
             std::string::npos);
  BOOST_TEST(occurrences(html, "<rect class=\"bar ") == 24u);

  const auto mc = run_cli({"simulate", "--runs", "20", "--html", (dir / "m.html").string()});
  BOOST_TEST(mc.out == run_cli({"simulate", "--runs", "20"}).out);
  BOOST_TEST(occurrences(read_file(dir / "m.html"), "class=\"chart histogram\"") == 4u);

  const std::string broken =
      std::string(LYNCUPDATE_SOURCE_DIR) + "/scenarios/broken/missing-second-stop.json";
  const auto checked = run_cli({"check", broken, "--html", (dir / "c.html").string()});
  BOOST_TEST(checked.exit_code == 1);
  BOOST_TEST(checked.out == run_cli({"check", broken}).out);
  const std::string check_html = read_file(dir / "c.html");
  BOOST_TEST(check_html.find("<td class=\"sev-error\">error</td><td>missing-second-stop</td>") !=
             std::string::npos);

  const auto refused = run_cli({"simulate", "--runs", "10", "--shard", "1/2", "--partial",
                                (dir / "p.json").string(), "--html", (dir / "x.html").string()});
  BOOST_TEST(refused.exit_code == 2);
  BOOST_TEST(!std::filesystem::exists(dir / "x.html"));
  BOOST_TEST(!std::filesystem::exists(dir / "p.json"));
}

BOOST_AUTO_TEST_CASE(verify_writes_the_report_with_the_verdict_and_the_counterexample) {
  // One operator for both servers: the worst order keeps se01 down past the limit.
  Json violated = fixed_contoso();
  violated["timing"]["steps"]["install-update"] = Json{{"distribution", "fixed"}, {"minutes", 25}};
  const std::string path = write_scenario(violated, "verify");
  const auto dir = scratch_dir("html-verify-reports");
  const auto json = run_cli({"verify", path, "--operators", "1", "--json"});
  const auto with_html =
      run_cli({"verify", path, "--operators", "1", "--html", (dir / "v.html").string()});
  BOOST_TEST(with_html.exit_code == 1);
  BOOST_TEST(with_html.out == run_cli({"verify", path, "--operators", "1"}).out);
  const Json found = Json::parse(json.out);
  BOOST_REQUIRE(found["status"] == "violated");
  const std::string html = read_file(dir / "v.html");
  BOOST_TEST(html.find(std::string(lyncupdate::version::tool()) + " (verify)") !=
             std::string::npos);
  BOOST_TEST(html.find("<p class=\"verdict bad\">Violated:") != std::string::npos);
  BOOST_TEST(occurrences(html, "<tr class=\"counterexample-event\">") ==
             found["counterexample"].size());
  BOOST_TEST(html.find(fmt::format("<tr><th>states</th><td>{}</td></tr>",
                                   found["states"].get<std::uint64_t>())) != std::string::npos);

  // Proved: the verdict, the longest window, no counterexample.
  const std::string fixed = write_scenario(fixed_contoso(), "verify-proved");
  const auto proved = run_cli({"verify", fixed, "--html", (dir / "p.html").string()});
  BOOST_TEST(proved.exit_code == 0, proved.err);
  const std::string proved_html = read_file(dir / "p.html");
  BOOST_TEST(proved_html.find("<p class=\"verdict good\">Proved:") != std::string::npos);
  BOOST_TEST(proved_html.find("<th>longest window</th>") != std::string::npos);
  BOOST_TEST(occurrences(proved_html, "counterexample-event") == 0u);
}

BOOST_AUTO_TEST_CASE(the_enterprise_report_of_1000_runs_stays_under_2_mb) {
  const auto dir = scratch_dir("html-size");
  const std::string html = report({"enterprise", "--runs", "1000"}, dir / "r.html", 1);
  BOOST_TEST(html.size() < 2'000'000u, "the report is " << html.size() << " bytes");
  // The window, 8 servers and the users affected.
  BOOST_TEST(occurrences(html, "class=\"chart histogram\"") == 10u);
  // Self-contained: no reference to anything outside the file.
  BOOST_TEST(html.find("http://") == std::string::npos);
  BOOST_TEST(html.find("https://") == std::string::npos);
  BOOST_TEST(html.find(" src=") == std::string::npos);
  BOOST_TEST(html.find("<link") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
