// "Rehearsal against reality": `report --journal` on a hand-written journal of a live run of
// the shipped contoso scenario, resumed once after a crash.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "../app/run_cli.hpp"
#include "lyncupdate/live/sha256.hpp"

using lyncupdate::test::occurrences;
using lyncupdate::test::read_file;
using lyncupdate::test::run_cli;
using lyncupdate::test::scratch_dir;
using lyncupdate::test::write_file;
using Json = nlohmann::ordered_json;

namespace {

bool contains(std::string_view text, std::string_view what) {
  return text.find(what) != std::string_view::npos;
}

// Writes the records of one live run, step after step, in the journal's format.
class JournalText {
 public:
  explicit JournalText(const std::string& sha256) {
    line(Json{{"journal", "lyncupdate/journal/1"},
              {"scenario", "contoso"},
              {"scenario_sha256", sha256},
              {"tool", "lyncupdate 0.1.0"},
              {"transport", "ssh"},
              {"started_utc", "2026-11-26T22:00:00Z"}});
  }
  void intent(const std::string& server, const std::string& step, std::int64_t at,
              int attempt = 1) {
    line(Json{{"record", "intent"},
              {"server", server},
              {"step", step},
              {"attempt", attempt},
              {"kind", "command"},
              {"host", server},
              {"argv", Json::array()},
              {"at_ms", at}});
  }
  void outcome(const std::string& server, const std::string& step, std::int64_t at,
               std::int64_t duration, const std::string& outcome = "succeeded", int attempt = 1) {
    line(Json{{"record", "outcome"},
              {"server", server},
              {"step", step},
              {"attempt", attempt},
              {"outcome", outcome},
              {"exit_code", outcome == "succeeded" ? 0 : 1},
              {"duration_ms", duration},
              {"at_ms", at},
              {"output_tail", "<done> & \"ok\""}});
  }
  // An attempt that starts at `at` and succeeds after `duration` ms; returns its end.
  std::int64_t step(const std::string& server, const std::string& id, std::int64_t at,
                    std::int64_t duration) {
    intent(server, id, at);
    outcome(server, id, at + duration, duration);
    return at + duration;
  }
  void record(Json json) { line(std::move(json)); }
  const std::string& text() const { return text_; }

 private:
  void line(const Json& json) { text_ += json.dump() + "\n"; }
  std::string text_;
};

constexpr std::int64_t s = 1000, m = 60 * s;
const std::string sql = "sql01.contoso.com", se = "se01.contoso.com";

// contoso run live: the back end sql01 up to update-databases, a crash while it ran; a second
// session, started 30 minutes after the first, probes it (done) and finishes the plan, with
// se01's extract-update slower than the rehearsed P95.
std::string contoso_journal(const std::string& sha256) {
  JournalText j(sha256);
  std::int64_t t = 0;
  t = j.step(sql, "log-on", t, 1 * m);
  t = j.step(sql, "extract-update", t, 5 * m);
  t = j.step(sql, "open-shell", t, 30 * s);
  t = j.step(sql, "stop-services", t, 1 * m);
  t = j.step(sql, "stop-w3svc", t, 30 * s);
  t = j.step(sql, "close-shells", t, 30 * s);
  t = j.step(sql, "install-update", t, 14 * m);  // 8m30s to 22m30s: the outage starts
  t = j.step(sql, "reopen-shell", t, 30 * s);
  t = j.step(sql, "stop-services-again", t, 1 * m);
  t = j.step(sql, "start-w3svc", t, 30 * s);
  j.intent(sql, "update-databases", t);  // 24m30s: the crash

  j.record(Json{{"record", "resume"}, {"started_utc", "2026-11-26T22:30:00Z"}, {"at_ms", 5}});
  j.record(Json{{"record", "probe"},
                {"server", sql},
                {"step", "update-databases"},
                {"attempt", 1},
                {"done", true},
                {"at_ms", 20 * s}});  // 30m20s: available
  t = j.step(sql, "start-services", 30 * s, 2 * m);
  t = j.step(se, "log-on", t, 1 * m);
  t = j.step(se, "extract-update", t, 9 * m);  // above the uniform's P95 of 7m45s
  t = j.step(se, "open-shell", t, 30 * s);
  t = j.step(se, "stop-services", t, 1 * m);
  t = j.step(se, "stop-w3svc", t, 30 * s);
  t = j.step(se, "close-shells", t, 30 * s);
  t = j.step(se, "install-update", t, 11 * m);
  t = j.step(se, "reopen-shell", t, 30 * s);
  t = j.step(se, "stop-services-again", t, 1 * m);
  t = j.step(se, "start-w3svc", t, 30 * s);
  t = j.step(se, "update-databases", t, 4 * m);
  t = j.step(se, "start-services", t, 2 * m);
  j.record(Json{{"record", "finished"}, {"at_ms", t + 1}});
  return j.text();
}

// The SHA-256 `live` records for contoso: that of the self-contained text `export` prints.
std::string contoso_sha256() {
  const auto exported = run_cli({"export", "contoso"});
  BOOST_REQUIRE(exported.exit_code == 0);
  return lyncupdate::live::sha256_hex(exported.out);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rehearsal_against_reality)

BOOST_AUTO_TEST_CASE(a_resumed_live_run_is_overlaid_and_compared_step_by_step) {
  const auto dir = scratch_dir("html-reality");
  write_file(dir / "contoso.journal", contoso_journal(contoso_sha256()));
  const auto out = dir / "r.html";
  const auto r = run_cli({"report", "contoso", "--journal", (dir / "contoso.journal").string(),
                          "--runs", "200", "-o", out.string()});
  // 1: some of the 200 rehearsals break a rule, as in `report contoso --runs 200`.
  BOOST_TEST(r.exit_code == 1, r.err);
  BOOST_TEST(r.out == "");
  const std::string html = read_file(out);

  // The rehearsal's 24 bars, and under them one thin bar per live attempt: 11 + 1 on sql01
  // (update-databases without outcome), 12 on se01.
  BOOST_TEST(occurrences(html, "<rect class=\"bar ") == 24u);
  BOOST_TEST(occurrences(html, "<rect class=\"actual-bar ") == 24u);
  BOOST_TEST(occurrences(html, "<rect class=\"actual-bar k-database unfinished\"") == 1u);
  BOOST_TEST(occurrences(html, "<text class=\"mark mark-unknown\"") == 1u);
  BOOST_TEST(occurrences(html, "<text class=\"mark mark-probe\"") == 1u);
  // The second session starts at its recorded start, 30 minutes after the first.
  BOOST_TEST(occurrences(html, "<line class=\"session-line\"") == 1u);
  BOOST_TEST(
      contains(html,
               "<tr class=\"actual-session\"><td class=\"num\">2</td><td>2026-11-26T22:30:00Z"
               "</td><td class=\"num\">+30m00s</td><td>at its recorded start</td>"
               "<td class=\"num\">+1h04m00s</td></tr>"));

  // Real durations against the rehearsed distributions (contoso's timing).
  BOOST_TEST(contains(
      html,
      "<tr class=\"actual-step\"><td>sql01.contoso.com</td><td title=\"Install the update\">"
      "install-update</td><td class=\"num\">1</td>"
      "<td>succeeded</td><td class=\"num\">14m00s</td><td class=\"num\">11m00s</td>"
      "<td class=\"num\">17m00s</td><td class=\"num\">81.9%</td><td></td></tr>"));
  BOOST_TEST(contains(
      html,
      "<tr class=\"actual-step bad\"><td>se01.contoso.com</td><td title=\"Download "
      "the update and extract it to a local disk\">extract-update</td><td class=\"num\">1</td>"
      "<td>succeeded</td><td class=\"num\">9m00s</td><td class=\"num\">5m30s</td>"
      "<td class=\"num\">7m45s</td><td class=\"num\">100.0%</td>"
      "<td>above P95</td></tr>"));
  BOOST_TEST(contains(
      html,
      "<td>sql01.contoso.com</td><td title=\"Apply the installer&#39;s changes to the SQL Server "
      "databases\">update-databases</td><td class=\"num\">1</td><td>finished (probe)</td>"
      "<td class=\"num\">-</td><td class=\"num\">5m00s</td><td class=\"num\">9m00s</td>"
      "<td class=\"num\">-</td><td></td></tr>"));
  BOOST_TEST(occurrences(html, "<tr class=\"actual-step") == 24u);
  BOOST_TEST(occurrences(html, "<td>above P95</td>") == 1u);
  BOOST_TEST(contains(html, "1 attempt was above the rehearsed P95."));

  // sql01's back end is unavailable from install-update's start (8m30s) to the probe of
  // update-databases (30m20s); the Standard Edition server se01 from the start of its
  // stop-services (43m00s) to the end of its start-services (1h04m00s), as the plan declares.
  BOOST_TEST(contains(html,
                      "<tr class=\"actual-outage\"><th>longest outage, sql01.contoso.com</th>"
                      "<td class=\"num\">21m50s</td><td class=\"num\">+8m30s</td>"
                      "<td class=\"num\">+30m20s</td><td class=\"num\">72.8%</td>"));
  BOOST_TEST(contains(html,
                      "<tr class=\"actual-outage\"><th>longest outage, se01.contoso.com</th>"
                      "<td class=\"num\">21m00s</td><td class=\"num\">+43m00s</td>"
                      "<td class=\"num\">+1h04m00s</td><td class=\"num\">70.0%</td>"));
  BOOST_TEST(occurrences(html, "<rect class=\"outage-strip actual\"") == 2u);
  BOOST_TEST(occurrences(html, "<rect class=\"outage-bar actual") == 2u);
  BOOST_TEST(contains(html,
                      "<tr class=\"actual-window\"><th>window (plan end)</th>"
                      "<td class=\"num\">1h04m00s</td>"));
  BOOST_TEST(contains(html, "The last column is the share of the 200 rehearsals"));
  // The output tail is escaped like every other string.
  BOOST_TEST(contains(html, "&lt;done&gt; &amp; &quot;ok&quot;"));
  BOOST_TEST(!contains(html, "<done>"));

  // The same journal gives the same bytes.
  const auto again = dir / "again.html";
  BOOST_TEST(run_cli({"report", "contoso", "--journal", (dir / "contoso.journal").string(),
                      "--runs", "200", "--threads", "1", "-o", again.string()})
                 .exit_code == 1);
  BOOST_TEST(read_file(again) == html);
}

BOOST_AUTO_TEST_CASE(a_retried_failure_and_a_step_probed_before_it_ran_are_settled_by_probe) {
  const auto dir = scratch_dir("html-reality-retry");
  JournalText j(contoso_sha256());
  std::int64_t t = 0;
  for (const char* id :
       {"log-on", "extract-update", "open-shell", "stop-services", "stop-w3svc", "close-shells"}) {
    t = j.step(sql, id, t, 1 * m);
  }
  j.intent(sql, "install-update", t);
  j.outcome(sql, "install-update", t + 2 * m, 2 * m, "failed");
  j.record(Json{{"record", "stop"}, {"reason", "failed"}, {"at_ms", t + 2 * m}});
  const auto probe = [&](const char* id, bool done, std::int64_t at) {
    j.record(Json{{"record", "probe"},
                  {"server", sql},
                  {"step", id},
                  {"attempt", 1},
                  {"done", done},
                  {"at_ms", at}});
  };
  // --resume --retry-failed: the installer had done its work after all; the second stop was
  // done by hand meanwhile; W3SVC was not started yet.
  j.record(Json{{"record", "resume"}, {"started_utc", "2026-11-26T23:00:00Z"}, {"at_ms", 0}});
  probe("install-update", true, 10 * s);
  t = j.step(sql, "reopen-shell", 20 * s, 30 * s);
  probe("stop-services-again", true, t + 10 * s);
  probe("start-w3svc", false, t + 20 * s);
  t = j.step(sql, "start-w3svc", t + 30 * s, 30 * s);
  t = j.step(sql, "update-databases", t, 4 * m);
  t = j.step(sql, "start-services", t, 2 * m);
  j.record(Json{{"record", "stop"}, {"reason", "interrupted"}, {"at_ms", t + 1}});
  write_file(dir / "retry.journal", j.text());
  const auto out = dir / "r.html";
  const auto r = run_cli(
      {"report", "contoso", "--journal", (dir / "retry.journal").string(), "-o", out.string()});
  BOOST_TEST(r.exit_code == 0, r.err);
  const std::string html = read_file(out);
  // One row per step of sql01: the probe that found start-w3svc not done adds none.
  BOOST_TEST(occurrences(html, "<tr class=\"actual-step") == 12u);
  BOOST_TEST(occurrences(html, "<td>finished (probe)</td>") == 2u);
  BOOST_TEST(contains(html, "install-update</td><td class=\"num\">1</td><td>finished (probe)"));
  BOOST_TEST(
      contains(html, "stop-services-again</td><td class=\"num\">1</td><td>finished (probe)"));
}

BOOST_AUTO_TEST_CASE(a_journal_of_another_scenario_text_is_refused_and_nothing_is_written) {
  const auto dir = scratch_dir("html-reality-hash");
  const std::string wrong(64, 'a');
  write_file(dir / "other.journal", contoso_journal(wrong));
  const auto out = dir / "r.html";
  const auto r = run_cli(
      {"report", "contoso", "--journal", (dir / "other.journal").string(), "-o", out.string()});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.out == "");
  BOOST_TEST(
      contains(r.err, fmt::format("{}: the journal was written for another scenario text "
                                  "(sha256 {}, scenario contoso), not for contoso as it "
                                  "reads now (sha256 {})",
                                  (dir / "other.journal").string(), wrong, contoso_sha256())),
      r.err);
  BOOST_TEST(!std::filesystem::exists(out));
  BOOST_TEST(!std::filesystem::exists(dir / "r.html.tmp"));

  // A journal that does not read is bad input too.
  const auto missing = run_cli(
      {"report", "contoso", "--journal", (dir / "none.journal").string(), "-o", out.string()});
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(!std::filesystem::exists(out));
}

BOOST_AUTO_TEST_SUITE_END()
