#pragma once
// Loading scenarios and running the analysis (and, for dynamic findings, one rehearsal) the
// way `lyncupdate check` does, with results as "rule: server: steps" lines.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "lyncupdate/checker/runbook_analysis.hpp"
#include "lyncupdate/model/resolve.hpp"

namespace lyncupdate::test {

using Json = nlohmann::ordered_json;
using Strings = std::vector<std::string>;

/// A loaded scenario with its resolved plan, which points into it.
struct Loaded {
  std::unique_ptr<model::Scenario> scenario;
  model::ResolvedPlan plan;
};

/// Loads scenario text (fails the test on any problem).
Loaded load_text(std::string_view text, std::string_view name = "test.json");

/// The shipped contoso scenario with its runbook inlined, as JSON to edit.
Json contoso_json();

/// The static analysis of `scenario` (loaded as test.json), with `strict` as `check --strict`.
std::vector<check::Finding> analyse(const Json& scenario, bool strict = false);

/// The bytes of `path`.
std::string read_text(const std::filesystem::path& path);

/// "rule: server: step, step" for a finding.
std::string line(const check::Finding& finding);

/// The analysis' findings of error and warning severity, as lines.
Strings problem_lines(const std::vector<check::Finding>& findings);

/// The analysis' findings of info severity (notes), as lines.
Strings note_lines(const std::vector<check::Finding>& findings);

/// The violations of one rehearsal with the scenario's seed, as "rule: server: step" lines.
Strings violation_lines(const model::ResolvedPlan& plan);

}  // namespace lyncupdate::test
