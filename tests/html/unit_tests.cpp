// The HTML renderer on its own: escaping, the attempts it reads from a trace, the user-impact
// series and the empty-section messages.

#define BOOST_TEST_MODULE lyncupdate html renderer
#include <memory>
#include <string>
#include <string_view>

#include <boost/test/unit_test.hpp>

#include "lyncupdate/checker/monitors.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/reports/html.hpp"
#include "lyncupdate/simulator/executor.hpp"

namespace reports = lyncupdate::reports;
namespace sim = lyncupdate::sim;
using lyncupdate::Duration;
using lyncupdate::TimePoint;

namespace {

TimePoint at_minutes(int minutes) { return TimePoint{Duration(minutes * 60'000)}; }

sim::TraceEvent event(sim::TraceKind kind, int minute, std::uint16_t server, std::uint16_t step,
                      std::uint16_t attempt = 1) {
  sim::TraceEvent e;
  e.kind = kind;
  e.time = at_minutes(minute);
  e.server = server;
  e.step = step;
  e.attempt = attempt;
  return e;
}

std::size_t occurrences(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (auto i = text.find(what); i != std::string_view::npos; i = text.find(what, i + 1)) ++n;
  return n;
}

// contoso, rehearsed once with seed 1, for rendering.
struct Rehearsal {
  std::unique_ptr<lyncupdate::model::Scenario> scenario;
  lyncupdate::model::ResolvedPlan plan;
  sim::TraceRecorder recorder;
  reports::RunView view;

  Rehearsal() {
    auto loaded = lyncupdate::loader::load_shipped_scenario("contoso");
    BOOST_REQUIRE(loaded.has_value());
    scenario = std::make_unique<lyncupdate::model::Scenario>(std::move(*loaded));
    scenario->description = "<b>bold</b> & \"quoted\"";
    auto resolved = lyncupdate::model::resolve_plan(*scenario);
    BOOST_REQUIRE(resolved.has_value());
    plan = std::move(*resolved);
    lyncupdate::check::Checker checker(plan);
    std::vector<sim::TraceObserver*> observers(checker.observers().begin(),
                                               checker.observers().end());
    observers.push_back(&recorder);
    const sim::RunSummary summary = sim::simulate_run(plan, 1, 0, observers);
    view = reports::make_run_view(plan, 1, summary, recorder.events(), checker);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(html_renderer)

BOOST_AUTO_TEST_CASE(escaping_covers_the_five_characters_of_html) {
  BOOST_TEST(reports::html_escape("<script>alert('x') & \"y\"</script>") ==
             "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
  BOOST_TEST(reports::html_escape("sql01.contoso.com") == "sql01.contoso.com");
  BOOST_TEST(reports::html_escape("caf\xc3\xa9") == "caf\xc3\xa9");  // UTF-8 passes through
}

BOOST_AUTO_TEST_CASE(every_attempt_is_read_from_the_trace) {
  using K = sim::TraceKind;
  const std::vector<sim::TraceEvent> trace{
      event(K::step_started, 0, 0, 0),        event(K::step_finished, 2, 0, 0),
      event(K::step_started, 2, 0, 1),        event(K::step_failed, 5, 0, 1),
      event(K::step_started, 10, 0, 1, 2),    event(K::reboot_started, 20, 0, 1, 2),
      event(K::reboot_finished, 26, 0, 1, 2), event(K::step_finished, 26, 0, 1, 2),
      event(K::step_started, 3, 1, 0),        event(K::step_failed, 4, 1, 0),
      event(K::step_started, 26, 0, 2)};
  const auto attempts = reports::step_attempts(trace, at_minutes(30));
  BOOST_REQUIRE(attempts.size() == 5u);
  BOOST_TEST(attempts[1].step == 1);
  BOOST_TEST(attempts[1].attempt == 1);
  BOOST_TEST((attempts[1].outcome == reports::StepAttempt::Outcome::failed));
  BOOST_TEST(attempts[1].retried);
  BOOST_TEST(attempts[2].attempt == 2);
  BOOST_TEST(attempts[2].rebooted);
  BOOST_TEST((attempts[2].reboot_begin == at_minutes(20)));
  BOOST_TEST((attempts[2].end == at_minutes(26)));
  BOOST_TEST(attempts[3].server == 1);
  BOOST_TEST(!attempts[3].retried);  // failed, never tried again
  BOOST_TEST((attempts[4].outcome == reports::StepAttempt::Outcome::unfinished));
  BOOST_TEST((attempts[4].end == at_minutes(30)));
}

BOOST_AUTO_TEST_CASE(an_empty_user_series_is_said_so) {
  Rehearsal r;
  reports::HtmlReport report;
  report.run = &r.view;
  report.trace = r.recorder.events();
  const std::string html = reports::render_html_report(report);
  BOOST_TEST(html.find("<p class=\"empty\">no user sessions in this run</p>") != std::string::npos);
  BOOST_TEST(occurrences(html, "<svg class=\"chart users\"") == 0u);
  BOOST_TEST(html.find("&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;") != std::string::npos);
  BOOST_TEST(html.find("one rehearsal: run with --runs N") != std::string::npos);
  BOOST_TEST(html.find("not run: `check` and `report` analyse") != std::string::npos);
  BOOST_TEST(html == reports::render_html_report(report));  // deterministic
}

BOOST_AUTO_TEST_CASE(a_user_series_is_drawn_as_two_step_lines) {
  Rehearsal r;
  reports::HtmlReport report;
  report.run = &r.view;
  report.trace = r.recorder.events();
  report.users.samples = {
      {at_minutes(10), 0, 300}, {at_minutes(12), 300, 0}, {at_minutes(40), 0, 0}};
  const std::string html = reports::render_html_report(report);
  BOOST_TEST(occurrences(html, "<svg class=\"chart users\"") == 1u);
  BOOST_TEST(occurrences(html, "<polyline class=\"users-resiliency\"") == 1u);
  BOOST_TEST(occurrences(html, "<polyline class=\"users-disconnected\"") == 1u);
  BOOST_TEST(html.find("Peak in resiliency mode: 300 at 22:12:00; peak disconnected: 300 at "
                       "22:10:00.") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
