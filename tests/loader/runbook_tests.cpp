// Runbook steps: ids, kinds, the article-or-addition rule, conditions and role variants.
// Steps are found by id, so that the tests survive steps added to the shipped runbook.
#include <boost/test/unit_test.hpp>

#include "loader_test_support.hpp"
#include "lyncupdate/model/state.hpp"

namespace lyncupdate::loader::testing {
namespace {

using Lines = std::vector<std::string>;

Json& step(Json& scenario, std::string_view id) {
  return scenario["runbook"][step_index(scenario, id)];
}

// "bad.json: error: /runbook/N<rest>: <message>" for the step called `id`.
std::string at_step(const Json& scenario, std::string_view id, std::string_view rest,
                    std::string_view message) {
  return "bad.json: error: " + step_pointer(scenario, id) + std::string(rest) + ": " +
         std::string(message);
}

BOOST_AUTO_TEST_SUITE(runbook)

BOOST_AUTO_TEST_CASE(an_unknown_kind_lists_the_kinds) {
  Json scenario = contoso_inline();
  step(scenario, "install-update")["kind"] = "instal";
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{at_step(scenario, "install-update", "/kind",
                           "unknown step kind \"instal\"; expected one of \"manual\", \"command\", "
                           "\"install\", \"database\", \"wait\", \"reboot\" (did you mean "
                           "\"install\"?)")});
}

BOOST_AUTO_TEST_CASE(a_duplicate_step_id_points_at_the_first) {
  Json scenario = contoso_inline();
  step(scenario, "stop-w3svc")["id"] = "stop-services";
  const auto diags = rendered(load(scenario));
  BOOST_TEST_REQUIRE(diags.size() == 2u);
  BOOST_TEST(diags[0] == "bad.json: error: " + step_pointer(contoso_inline(), "stop-w3svc") +
                             "/id: duplicate step id \"stop-services\" (already at " +
                             step_pointer(scenario, "stop-services") + ")");
  // The timing of the step that no longer exists is reported too.
  BOOST_TEST(diags[1].starts_with(
      "bad.json: error: /timing/steps/stop-w3svc: unknown step \"stop-w3svc\"; the runbook's steps "
      "are: \"log-on\", "));
}

BOOST_AUTO_TEST_CASE(a_step_id_is_lower_case_letters_digits_and_hyphens) {
  Json scenario = contoso_inline();
  const std::string pointer = step_pointer(scenario, "stop-services");
  step(scenario, "stop-services")["id"] = "Stop_Services";
  BOOST_TEST(
      rendered(load(scenario)) ==
      Lines{"bad.json: error: " + pointer +
            "/id: expected a step id of lower-case letters, digits and hyphens, not starting "
            "with a hyphen, got \"Stop_Services\""});
}

BOOST_AUTO_TEST_CASE(a_step_is_either_in_the_article_or_an_addition) {
  Json scenario = contoso_inline();
  step(scenario, "stop-services").erase("article_step");
  step(scenario, "start-services")["article_step"] = 11;
  step(scenario, "start-services")["addition"] = "Not in the article.";
  BOOST_TEST(rendered(load(scenario)) ==
             (Lines{at_step(scenario, "stop-services", "",
                            "expected exactly one of \"article_step\" and \"addition\", got "
                            "neither"),
                    at_step(scenario, "start-services", "",
                            "expected exactly one of \"article_step\" and \"addition\", got "
                            "both")}));
}

BOOST_AUTO_TEST_CASE(the_article_has_eleven_steps) {
  Json scenario = contoso_inline();
  step(scenario, "stop-services")["article_step"] = 12;
  step(scenario, "stop-w3svc")["addition"] = "";
  step(scenario, "stop-w3svc").erase("article_step");
  BOOST_TEST(rendered(load(scenario)) ==
             (Lines{at_step(scenario, "stop-services", "/article_step",
                            "expected an integer between 1 and 11, got 12"),
                    at_step(scenario, "stop-w3svc", "/addition",
                            "expected a non-empty string, got string \"\"")}));
}

BOOST_AUTO_TEST_CASE(conditions_name_known_variables_and_values) {
  Json scenario = contoso_inline();
  step(scenario, "stop-w3svc")["on_finish"] = {{"w3scv", "stopped"}};
  step(scenario, "install-update")["requires"] = {{"lync_services", "stoped"}};
  step(scenario, "install-update")["on_start"] = {{"backend", false}};
  BOOST_TEST(rendered(load(scenario)) ==
             (Lines{at_step(scenario, "stop-w3svc", "/on_finish/w3scv",
                            "unknown state variable \"w3scv\"; the variables are: \"session\", "
                            "\"update_package\", \"management_shell\", \"lync_services\", "
                            "\"w3svc\", \"binaries\", \"assemblies\", \"database_schema\", "
                            "\"backend\", \"upgrade_readiness\", \"database_principal\" (did you "
                            "mean \"w3svc\"?)"),
                    at_step(scenario, "install-update", "/requires/lync_services",
                            "unknown value \"stoped\" of \"lync_services\"; its values are: "
                            "\"running\", \"stopped\" (did you mean \"stopped\"?)"),
                    at_step(scenario, "install-update", "/on_start/backend",
                            "expected one of \"backend\" (\"available\", \"unavailable\"), got "
                            "boolean false")}));
}

BOOST_AUTO_TEST_CASE(variants_name_known_roles_and_keys) {
  Json scenario = contoso_inline();
  auto& variants = step(scenario, "update-databases")["variants"];
  variants = {{"enterprise_backend", {{"comand", "x"}}},
              {"standard_editon", {{"command", "Install-CsDatabase -Update -LocalDatabases"}}}};
  BOOST_TEST(rendered(load(scenario)) ==
             (Lines{at_step(scenario, "update-databases", "/variants/enterprise_backend/comand",
                            "unknown key \"comand\"; allowed keys: \"command\", \"on_finish\", "
                            "\"on_start\", \"requires\" (did you mean \"command\"?)"),
                    at_step(scenario, "update-databases", "/variants/standard_editon",
                            "unknown role \"standard_editon\"; the roles are: "
                            "\"enterprise_backend\", \"enterprise_backend_collocated\", "
                            "\"standard_edition\", \"front_end\" (did you mean "
                            "\"standard_edition\"?)")}));
}

BOOST_AUTO_TEST_CASE(a_planned_role_without_a_variant_is_reported_by_resolution) {
  Json scenario = contoso_inline();
  step(scenario, "update-databases").erase("command");
  step(scenario, "update-databases")["variants"].erase("standard_edition");
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /plan/stages/1/0: server \"se01.contoso.com\" has role "
                   "standard_edition, but step \"update-databases\" has no command and no variant "
                   "for that role; add \"variants\": {\"standard_edition\": {\"command\": ...}} to "
                   "the step"});
}

BOOST_AUTO_TEST_CASE(a_runbook_is_a_non_empty_array_or_a_name) {
  Json scenario = contoso();
  scenario["runbook"] = Json::array();
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /runbook: expected a non-empty array of steps, got an empty "
                   "array"});
  scenario["runbook"] = 3;
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /runbook: expected an array of steps, the name of a shipped "
                   "runbook or a runbook file name ending in \".json\", got number 3"});
}

BOOST_AUTO_TEST_CASE(an_unknown_shipped_runbook_lists_the_shipped_ones) {
  Json scenario = contoso();
  scenario["runbook"] = "backend-updates";
  BOOST_TEST(
      rendered(load(scenario)) ==
      Lines{"bad.json: error: /runbook: unknown shipped runbook \"backend-updates\"; the "
            "shipped runbooks are: \"backend-update\", \"frontend-update\", "
            "\"mirrored-backend-update\", \"mirror-update\" (did you mean \"backend-update\"?)"});
}

BOOST_AUTO_TEST_CASE(steps_keep_their_fields_conditions_in_file_order_and_variants_by_role) {
  Json scenario = contoso_inline();
  Json& install = step(scenario, "install-update");
  install["requires"] = {{"w3svc", "stopped"}, {"session", "logged_on"}};
  install["variants"] = {{"standard_edition", {{"command", "setup.exe /quiet"}}}};
  Json& start = step(scenario, "start-services");
  start.erase("article_step");
  start["addition"] = "Not in the article.";
  const auto result = load(scenario);
  BOOST_TEST_REQUIRE(rendered(result) == Lines{});
  BOOST_TEST(result->runbook.name == "inline");
  const model::RunbookStep& read = result->runbook.steps[step_index(scenario, "install-update")];
  BOOST_TEST(read.id == "install-update");
  BOOST_TEST(read.title == install["title"].get<std::string>());
  BOOST_TEST(model::kind_name(read.kind) == install["kind"].get<std::string>());
  BOOST_TEST(read.article_step.value_or(0) == install["article_step"].get<int>());
  BOOST_TEST_REQUIRE(read.requires_.size() == 2u);
  BOOST_TEST(
      (read.requires_[0] == model::Condition{model::StateVariable::w3svc, model::values::stopped}));
  BOOST_TEST((read.requires_[1] ==
              model::Condition{model::StateVariable::session, model::values::logged_on}));
  const auto& se = read.variants[static_cast<std::size_t>(model::Role::standard_edition)];
  BOOST_TEST_REQUIRE(se.has_value());
  BOOST_TEST(se->command.value_or("") == "setup.exe /quiet");
  BOOST_TEST(!se->requires_.has_value());
  BOOST_TEST(!read.variants[static_cast<std::size_t>(model::Role::enterprise_backend)].has_value());
  const model::RunbookStep& added = result->runbook.steps[step_index(scenario, "start-services")];
  BOOST_TEST(!added.article_step.has_value());
  BOOST_TEST(added.addition == "Not in the article.");
}

BOOST_AUTO_TEST_CASE(an_unknown_scope_lists_the_scopes) {
  Json scenario = contoso_inline();
  step(scenario, "start-w3svc")["only_on"] = "cms";
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{at_step(scenario, "start-w3svc", "/only_on",
                           "unknown scope \"cms\"; expected one of \"central_management_store\"")});
}

BOOST_AUTO_TEST_CASE(a_scoped_step_needs_timing_only_where_it_runs) {
  Json scenario = contoso_inline();
  Json extra = step(scenario, "start-w3svc");
  extra["id"] = "store-only";
  extra["only_on"] = "central_management_store";
  scenario["runbook"].push_back(extra);
  // No server holds the store: the step runs nowhere and needs no timing.
  BOOST_TEST(load(scenario).has_value());
  scenario["topology"]["standard_edition_servers"][0]["central_management_store"] = true;
  BOOST_TEST(rendered(load(scenario)) ==
             Lines{"bad.json: error: /timing/steps: missing timing for step \"store-only\", "
                   "which runs on \"se01.contoso.com\" (\"only_on\": "
                   "\"central_management_store\"); every step that runs needs a duration "
                   "distribution"});
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace lyncupdate::loader::testing
