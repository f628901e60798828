// The corpus of broken runbooks and plans (scenarios/broken/): each file is one mistake an
// administrator could make, and EXPECTED.json lists exactly what `check` must report for it.
// And the other way round: every shipped scenario proves clean.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <boost/test/unit_test.hpp>

#include "analysis_support.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/scenarios/shipped.hpp"

using namespace lyncupdate;
using lyncupdate::test::Json;
using lyncupdate::test::Strings;

namespace {

const std::filesystem::path broken_dir =
    std::filesystem::path(LYNCUPDATE_SOURCE_DIR) / "scenarios" / "broken";

Json expectations() { return Json::parse(test::read_text(broken_dir / "EXPECTED.json")); }

std::set<std::string> corpus_files() {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(broken_dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".json" && name != "EXPECTED.json") names.insert(name);
  }
  return names;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(corpus)

BOOST_AUTO_TEST_CASE(every_file_has_expectations_and_there_are_at_least_15_mistakes) {
  const Json expected = expectations();
  std::set<std::string> listed;
  for (const auto& [name, entry] : expected.items()) listed.insert(name);
  BOOST_TEST(listed == corpus_files(), boost::test_tools::per_element());
  BOOST_TEST(listed.size() >= 15U);
}

BOOST_AUTO_TEST_CASE(every_broken_case_gives_exactly_its_expected_findings) {
  const Json expected = expectations();
  for (const auto& [name, entry] : expected.items()) {
    BOOST_TEST_CONTEXT(name) {
      const auto loaded = test::load_text(test::read_text(broken_dir / name), name);
      const bool strict = entry.value("strict", false);
      const auto findings = check::analyse_plan(loaded.plan, {.strict = strict});
      Strings actual = test::problem_lines(findings);
      const Strings dynamic = test::violation_lines(loaded.plan);
      actual.insert(actual.end(), dynamic.begin(), dynamic.end());
      const Strings wanted = entry.at("expected").get<Strings>();
      BOOST_TEST(actual == wanted, boost::test_tools::per_element());
      // A case that lists its notes (findings of severity info) gets exactly those.
      if (entry.contains("notes")) {
        BOOST_TEST(test::note_lines(findings) == entry.at("notes").get<Strings>(),
                   boost::test_tools::per_element());
      }
      // A mistake is always caught: an error, a warning or a violation; or, for a form that
      // works but is not the article's, a note.
      BOOST_TEST((!wanted.empty() || !entry.value("notes", Strings{}).empty()));
      BOOST_TEST(!loaded.scenario->description.empty());
    }
  }
}

// Every shipped scenario validates clean: no finding of error or warning severity, its commands,
// probes and unattended checks included (the readiness check without -PoolFqdn, install probes
// that exist on Lync Server 2013).
BOOST_AUTO_TEST_CASE(every_shipped_scenario_proves_clean) {
  std::size_t scenarios = 0;
  for (const auto& file : scenarios::shipped_files()) {
    if (file.name.starts_with("runbooks/") || file.name.starts_with("catalogue/")) continue;
    ++scenarios;
    BOOST_TEST_CONTEXT(file.name) {
      auto loaded = loader::load_shipped_scenario(file.name);
      BOOST_REQUIRE(loaded.has_value());
      const auto plan = model::resolve_plan(*loaded);
      BOOST_REQUIRE(plan.has_value());
      const auto findings = check::analyse_plan(*plan);
      Strings lines;
      for (const auto& f : findings) {
        if (f.severity != check::Severity::info) lines.push_back(test::line(f));
      }
      BOOST_TEST(lines == Strings{}, boost::test_tools::per_element());
    }
  }
  BOOST_TEST(scenarios >= 1U);
}

BOOST_AUTO_TEST_SUITE_END()
