// Calibration: the fit of known samples (fixed, lognormal, failure probability, rounding),
// the observations gathered from journals, and the scenario text edited in place.

#include <cmath>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "lyncupdate/live/calibrate.hpp"
#include "lyncupdate/loader/loader.hpp"

namespace live = lyncupdate::live;
namespace tt = boost::test_tools;
using lyncupdate::Duration;
using Kind = lyncupdate::model::Distribution::Kind;
using Json = nlohmann::ordered_json;

namespace {

std::vector<Duration> minutes(std::initializer_list<double> values) {
  std::vector<Duration> out;
  for (const double m : values) out.push_back(Duration(std::llround(m * 60'000)));
  return out;
}

live::Outcome outcome(std::string server, std::string step, std::uint32_t attempt,
                      live::AttemptOutcome result, std::int64_t ms) {
  return live::Outcome{std::move(server), std::move(step), attempt, result, 0,
                       Duration(ms),      Duration(0),     ""};
}

live::Intent intent(std::string server, std::string step, std::uint32_t attempt = 1) {
  live::Intent r;
  r.server = std::move(server);
  r.step = std::move(step);
  r.attempt = attempt;
  return r;
}

// A journal as read from disk, its records on lines 2, 3, ...
live::Journal journal(std::string path, std::vector<live::Record> records) {
  live::Journal j;
  j.path = std::move(path);
  j.header = {"contoso", std::string(64, '0'), "lyncupdate 0.1.0", "local", "2026-11-26T09:30:00Z"};
  for (std::size_t i = 0; i < records.size(); ++i) j.lines.push_back(i + 2);
  j.records = std::move(records);
  return j;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(calibrate)

BOOST_AUTO_TEST_CASE(one_sample_or_equal_samples_give_a_fixed_time) {
  const auto one = live::fit_timing(minutes({2.5}), 1, 0);
  BOOST_TEST_REQUIRE(one.has_value());
  BOOST_TEST((one->kind == Kind::fixed));
  BOOST_TEST(one->minutes == 2.5);
  BOOST_TEST(one->failure_probability == 0.0);

  const auto equal = live::fit_timing(minutes({1.25, 1.25, 1.25}), 4, 1);
  BOOST_TEST_REQUIRE(equal.has_value());
  BOOST_TEST((equal->kind == Kind::fixed));
  BOOST_TEST(equal->minutes == 1.25);
  BOOST_TEST(equal->failure_probability == 0.25);
  BOOST_TEST(equal->to_model().duration.low.count() == 75'000);

  // 7 ms is 0.0001167 minutes: 4 decimals, and never 0.
  const auto tiny = live::fit_timing(std::vector{Duration(1)}, 1, 0);
  BOOST_TEST(tiny->minutes == 0.0001);
  BOOST_TEST(live::fit_timing(std::vector{Duration(7)}, 1, 0)->minutes == 0.0001);
  BOOST_TEST(live::fit_timing(std::vector{Duration(700)}, 1, 0)->minutes == 0.0117);
}

BOOST_AUTO_TEST_CASE(spread_samples_give_a_bounded_lognormal) {
  // ln 10..14: mean 2.477876, sample sd 0.131588.
  const auto fit = live::fit_timing(minutes({10, 11, 12, 13, 14}), 5, 0);
  BOOST_TEST_REQUIRE(fit.has_value());
  BOOST_TEST((fit->kind == Kind::lognormal));
  BOOST_TEST(fit->median_min == 11.916);
  BOOST_TEST(fit->p95_min == 14.8295);
  BOOST_TEST(fit->max_min == 21.0);  // 1.5 x the longest
  BOOST_TEST(fit->failure_probability == 0.0);
  const auto model = fit->to_model();
  BOOST_TEST(model.duration.median.count() == 714'960);
  BOOST_TEST(model.duration.p95.count() == 889'770);
  BOOST_TEST(model.duration.cap->count() == 1'260'000);

  // 1, 2, 4 minutes: median exactly 2, p95 = 2 exp(1.6449 ln 2) = 6.2545, above the longest,
  // so the bound is 1.5 x p95.
  const auto wide = live::fit_timing(minutes({1, 2, 4}), 6, 3);
  BOOST_TEST_REQUIRE(wide.has_value());
  BOOST_TEST(wide->median_min == 2.0);
  BOOST_TEST(wide->p95_min == 2.0 * std::exp(1.6449 * std::log(2.0)), tt::tolerance(1e-5));
  BOOST_TEST(wide->p95_min == 6.2545);
  BOOST_TEST(wide->max_min == 9.3818, tt::tolerance(1e-9));
  BOOST_TEST(wide->failure_probability == 0.5);
}

BOOST_AUTO_TEST_CASE(rounding_keeps_the_lognormal_strictly_increasing) {
  // 1 ms and 2 ms: every value rounds to 0.0001 minutes; p95 and the bound step above.
  const auto fit = live::fit_timing(std::vector{Duration(1), Duration(2)}, 2, 0);
  BOOST_TEST_REQUIRE(fit.has_value());
  BOOST_TEST((fit->kind == Kind::lognormal));
  BOOST_TEST(fit->median_min == 0.0001);
  BOOST_TEST(fit->p95_min == 0.0002);
  BOOST_TEST(fit->max_min == 0.0003);
  const auto model = fit->to_model();
  BOOST_TEST(model.duration.median < model.duration.p95);
  BOOST_TEST(model.duration.p95 < *model.duration.cap);
}

BOOST_AUTO_TEST_CASE(a_fit_longer_than_a_week_is_refused) {
  const auto fit = live::fit_timing(std::vector{Duration(700'000'000)}, 1, 0);
  BOOST_TEST_REQUIRE(!fit.has_value());
  BOOST_TEST(fit.error() ==
             "11666.6667 minutes is longer than the format allows (10080 minutes, one week)");
}

BOOST_AUTO_TEST_CASE(journals_give_samples_attempts_and_failures_per_step) {
  using O = live::AttemptOutcome;
  const std::vector<live::Journal> journals{
      journal("a.journal",
              {intent("sql01.contoso.com", "stop-services"),
               outcome("sql01.contoso.com", "stop-services", 1, O::succeeded, 60'000),
               intent("sql01.contoso.com", "install-update"),
               outcome("sql01.contoso.com", "install-update", 1, O::failed, 5'000),
               intent("sql01.contoso.com", "install-update", 2),
               outcome("sql01.contoso.com", "install-update", 2, O::succeeded, 600'000),
               // Started and never seen to end: neither an attempt nor a sample.
               intent("sql01.contoso.com", "update-databases"),
               live::Stop{"interrupted", Duration(1)}}),
      journal("b.journal",
              {intent("se01.contoso.com", "stop-services"),
               outcome("se01.contoso.com", "stop-services", 1, O::succeeded, 120'000),
               intent("se01.contoso.com", "install-update"),
               outcome("se01.contoso.com", "install-update", 1, O::timed_out, 900'000),
               intent("se01.contoso.com", "install-update", 2),
               outcome("se01.contoso.com", "install-update", 2, O::reboot_required, 700'000),
               live::Finished{}}),
  };
  const auto calibration = live::calibrate(journals, {.per_server = true});
  BOOST_TEST_REQUIRE(calibration.has_value(), calibration.error());
  BOOST_TEST(calibration->samples() == 3U);
  BOOST_TEST_REQUIRE(calibration->steps.size() == 3U);
  const auto& stop = calibration->steps[0];
  BOOST_TEST(stop.observed.step == "stop-services");
  BOOST_TEST(stop.observed.server == "");
  BOOST_TEST(stop.observed.durations.size() == 2U);
  BOOST_TEST(stop.observed.first_seen == "a.journal:2");
  BOOST_TEST((stop.timing->kind == Kind::lognormal));
  BOOST_TEST(stop.timing->median_min == std::sqrt(2.0), tt::tolerance(1e-4));
  const auto& install = calibration->steps[1];
  BOOST_TEST(install.observed.attempts == 4U);
  BOOST_TEST(install.observed.failed == 2U);
  BOOST_TEST((install.timing->kind == Kind::fixed));
  BOOST_TEST(install.timing->minutes == 10.0);
  BOOST_TEST(install.timing->failure_probability == 0.5);
  const auto& databases = calibration->steps[2];
  BOOST_TEST(databases.observed.attempts == 0U);
  BOOST_TEST(!databases.timing.has_value());

  // Per server: sql01's steps, then se01's.
  BOOST_TEST_REQUIRE(calibration->servers.size() == 5U);
  BOOST_TEST(calibration->servers[0].observed.server == "sql01.contoso.com");
  BOOST_TEST(calibration->servers[0].timing->minutes == 1.0);
  BOOST_TEST(calibration->servers[1].timing->failure_probability == 0.5);
  BOOST_TEST(calibration->servers[3].observed.server == "se01.contoso.com");
  BOOST_TEST(calibration->servers[3].timing->minutes == 2.0);
  BOOST_TEST(!calibration->servers[4].timing.has_value());  // no success on se01

  BOOST_TEST(live::render_timing(*calibration) == R"({
  "steps": {
    "stop-services": {
      "distribution": "lognormal",
      "median_min": 1.4142,
      "p95_min": 3.167,
      "max_min": 4.7505
    },
    "install-update": {
      "distribution": "fixed",
      "minutes": 10.0,
      "failure_probability": 0.5
    }
  },
  "servers": {
    "sql01.contoso.com": {
      "stop-services": {
        "distribution": "fixed",
        "minutes": 1.0
      },
      "install-update": {
        "distribution": "fixed",
        "minutes": 10.0,
        "failure_probability": 0.5
      }
    },
    "se01.contoso.com": {
      "stop-services": {
        "distribution": "fixed",
        "minutes": 2.0
      }
    }
  }
}
)");
}

BOOST_AUTO_TEST_CASE(journals_without_a_success_are_an_error) {
  const std::vector<live::Journal> journals{
      journal("a.journal",
              {intent("sql01.contoso.com", "stop-services"),
               outcome("sql01.contoso.com", "stop-services", 1, live::AttemptOutcome::failed, 1)})};
  const auto calibration = live::calibrate(journals, {});
  BOOST_TEST_REQUIRE(!calibration.has_value());
  BOOST_TEST(calibration.error() ==
             "a.journal: error: no succeeded attempt in the journal; expected at least one "
             "outcome \"succeeded\" to calibrate from");
}

BOOST_AUTO_TEST_CASE(unknown_steps_and_servers_are_named_with_their_line) {
  const std::vector<live::Journal> journals{journal(
      "a.journal",
      {intent("sql01.contoso.com", "stop-services"),
       outcome("sql01.contoso.com", "stop-services", 1, live::AttemptOutcome::succeeded, 1000),
       intent("fe09.contoso.com", "reboot-twice"),
       outcome("fe09.contoso.com", "reboot-twice", 1, live::AttemptOutcome::succeeded, 1000)})};
  const auto calibration = live::calibrate(journals, {.per_server = true});
  BOOST_TEST_REQUIRE(calibration.has_value());
  const auto scenario = lyncupdate::loader::load_shipped_scenario("contoso");
  BOOST_TEST_REQUIRE(scenario.has_value());
  const auto problems = live::calibration_problems(*calibration, *scenario);
  BOOST_TEST_REQUIRE(problems.size() == 2U);
  BOOST_TEST(problems[0].starts_with(
      "a.journal:4: error: step \"reboot-twice\" is not in the runbook of scenario \"contoso\"; "
      "expected one of: log-on, extract-update,"));
  BOOST_TEST(problems[1] ==
             "a.journal:4: error: server \"fe09.contoso.com\" is not updated by scenario "
             "\"contoso\"; expected one of: sql01.contoso.com, se01.contoso.com, se02.contoso.com, "
             "fe01.contoso.com, fe02.contoso.com, fe03.contoso.com, fe04.contoso.com");
}

BOOST_AUTO_TEST_CASE(the_scenario_text_keeps_everything_but_the_calibrated_timing) {
  const std::vector<live::Journal> journals{
      journal("a.journal", {intent("SE01.contoso.com", "update-databases"),
                            outcome("SE01.contoso.com", "update-databases", 1,
                                    live::AttemptOutcome::succeeded, 90'000)})};
  const auto calibration = live::calibrate(journals, {.per_server = true});
  BOOST_TEST_REQUIRE(calibration.has_value());
  const std::string text = R"({"name": "x", "zeta": 1, "timing": {"steps": {"log-on": 1,
    "update-databases": {"distribution": "fixed", "minutes": 9}},
    "servers": {"se01.contoso.com": {"update-databases": 2}}}, "alpha": [1]})";
  const auto edited = live::apply_calibration(text, *calibration);
  BOOST_TEST_REQUIRE(edited.has_value(), edited.error());
  const Json json = Json::parse(*edited);
  BOOST_TEST(json.dump() ==
             R"({"name":"x","zeta":1,"timing":{"steps":{"log-on":1,"update-databases":)"
             R"({"distribution":"fixed","minutes":1.5}},"servers":{"se01.contoso.com":)"
             R"({"update-databases":{"distribution":"fixed","minutes":1.5}}}},"alpha":[1]})");
  BOOST_TEST(!live::apply_calibration("[1]", *calibration).has_value());
}

BOOST_AUTO_TEST_CASE(the_json_document_lists_every_fit) {
  const std::vector<live::Journal> journals{journal(
      "a.journal",
      {intent("sql01.contoso.com", "stop-services"),
       outcome("sql01.contoso.com", "stop-services", 1, live::AttemptOutcome::succeeded, 1000)})};
  const auto calibration = live::calibrate(journals, {});
  BOOST_TEST_REQUIRE(calibration.has_value());
  const std::vector<std::string> files{"a.journal"};
  const Json doc = Json::parse(live::render_calibration_json(*calibration, files, "0.1.0"));
  BOOST_TEST(doc.dump() ==
             R"({"schema":"lyncupdate/calibration/1","tool_version":"0.1.0",)"
             R"("journals":["a.journal"],"steps":[{"step":"stop-services","server":null,)"
             R"("samples":1,"attempts":1,"failed":0,"durations_ms":[1000],"timing":)"
             R"({"distribution":"fixed","minutes":0.0167}}],"timing":{"steps":)"
             R"({"stop-services":{"distribution":"fixed","minutes":0.0167}}}})");
}

BOOST_AUTO_TEST_SUITE_END()
