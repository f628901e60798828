#include "analysis_support.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>

#include "lyncupdate/checker/monitors.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/simulator/executor.hpp"

namespace lyncupdate::test {

Loaded load_text(std::string_view text, std::string_view name) {
  auto loaded = loader::load_scenario_text(text, name, std::filesystem::current_path());
  if (!loaded) {
    std::string problems;
    for (const auto& d : loaded.error()) problems += d.render() + "\n";
    BOOST_FAIL("the scenario does not load:\n" + problems);
  }
  Loaded out{std::make_unique<model::Scenario>(std::move(*loaded)), {}};
  auto plan = model::resolve_plan(*out.scenario);
  BOOST_REQUIRE(plan.has_value());
  out.plan = std::move(*plan);
  return out;
}

Json contoso_json() {
  auto text = loader::export_shipped_scenario("contoso");
  BOOST_REQUIRE(text.has_value());
  return Json::parse(*text);
}

std::vector<check::Finding> analyse(const Json& scenario, bool strict) {
  const auto loaded = load_text(scenario.dump());
  return check::analyse_plan(loaded.plan, {.strict = strict});
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string line(const check::Finding& finding) {
  return fmt::format("{}: {}: {}", finding.rule, finding.server, fmt::join(finding.steps, ", "));
}

Strings problem_lines(const std::vector<check::Finding>& findings) {
  Strings out;
  for (const auto& f : findings) {
    if (f.severity != check::Severity::info) out.push_back(line(f));
  }
  return out;
}

Strings note_lines(const std::vector<check::Finding>& findings) {
  Strings out;
  for (const auto& f : findings) {
    if (f.severity == check::Severity::info) out.push_back(line(f));
  }
  return out;
}

Strings violation_lines(const model::ResolvedPlan& plan) {
  check::Checker checker(plan);
  sim::simulate_run(plan, plan.scenario->seed, 0, checker.observers());
  Strings out;
  for (const auto& v : checker.violations()) {
    const bool server = v.server != sim::no_index;
    out.push_back(fmt::format(
        "{}: {}: {}", v.rule, server ? plan.servers[v.server].target.fqdn : "-",
        server && v.step != sim::no_index ? plan.servers[v.server].steps[v.step].definition->id
                                          : "-"));
  }
  return out;
}

}  // namespace lyncupdate::test
