#include <ostream>

#include <boost/test/unit_test.hpp>

#include "lyncupdate/model/fqdn.hpp"
#include "lyncupdate/model/resolve.hpp"

namespace lyncupdate::model {
// How Boost.Test prints model values in failure messages.
std::ostream& operator<<(std::ostream& out, StateVariable v) { return out << variable_name(v); }
std::ostream& operator<<(std::ostream& out, const ModelError& e) {
  return out << e.pointer << ": " << e.message;
}
}  // namespace lyncupdate::model

using namespace lyncupdate;
using namespace lyncupdate::model;
using std::chrono::minutes;
using std::chrono::seconds;

BOOST_AUTO_TEST_SUITE(fqdn)

BOOST_AUTO_TEST_CASE(accepts_dns_names) {
  for (const char* name : {"sql01.contoso.com", "SE-01.Contoso.COM", "a.b", "x1.y2.z3.example",
                           "pool01.corp.contoso.co.uk"}) {
    BOOST_TEST_CONTEXT(name) { BOOST_TEST(!fqdn_problem(name).has_value()); }
  }
}

BOOST_AUTO_TEST_CASE(rejects_hostile_and_malformed_names_with_the_reason) {
  BOOST_TEST(*fqdn_problem("a.b;rm -rf /") ==
             "';' is not allowed; use letters, digits, hyphens and dots");
  BOOST_TEST(*fqdn_problem("$(reboot)") ==
             "'$' is not allowed; use letters, digits, hyphens and dots");
  BOOST_TEST(*fqdn_problem("se01.contoso.com\n") ==
             "byte 0x0a is not allowed; use letters, digits, hyphens and dots");
  BOOST_TEST(*fqdn_problem("") == "it is empty");
  BOOST_TEST(*fqdn_problem("sql01") ==
             "it has a single label; expected a fully qualified name such as sql01.contoso.com");
  BOOST_TEST(*fqdn_problem("a..b") ==
             "it has an empty label (two dots in a row, or a leading dot)");
  BOOST_TEST(*fqdn_problem("-rf.example.com") == "label \"-rf\" starts or ends with a hyphen");
  BOOST_TEST(*fqdn_problem("10.0.0.1") == "the top-level label is all digits");
  BOOST_TEST(*fqdn_problem(std::string(64, 'a') + ".com") ==
             "label \"" + std::string(64, 'a') + "\" is longer than 63 characters");
  std::string long_name;
  for (int i = 0; i < 64; ++i) long_name += "abc.";
  long_name += "com";
  BOOST_TEST(*fqdn_problem(long_name) == "it has 259 characters, at most 253 allowed");
}

BOOST_AUTO_TEST_CASE(keys_ignore_case) {
  BOOST_TEST(fqdn_key("SQL01.Contoso.com") == "sql01.contoso.com");
}

BOOST_AUTO_TEST_CASE(a_trailing_dot_names_the_same_host) {
  BOOST_TEST(!fqdn_problem("sql01.contoso.com.").has_value());
  BOOST_TEST(fqdn_key("SQL01.contoso.com.") == fqdn_key("sql01.contoso.com"));
  BOOST_TEST(fqdn_canonical("sql01.contoso.com.") == "sql01.contoso.com");
  BOOST_TEST(fqdn_canonical("SQL01.contoso.com") == "SQL01.contoso.com");
  // One dot only, and not a name of dots.
  BOOST_TEST(*fqdn_problem("sql01.contoso.com..") ==
             "it has an empty label (two dots in a row, or a leading dot)");
  BOOST_TEST(*fqdn_problem(".") == "it has an empty label (two dots in a row, or a leading dot)");
  BOOST_TEST(*fqdn_problem("sql01.") ==
             "it has a single label; expected a fully qualified name such as sql01.contoso.com");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(time_format)

BOOST_AUTO_TEST_CASE(durations_read_as_people_write_them) {
  BOOST_TEST(format_duration(seconds(45)) == "45s");
  BOOST_TEST(format_duration(minutes(41) + seconds(12)) == "41m12s");
  BOOST_TEST(format_duration(minutes(65) + seconds(3)) == "1h05m03s");
  BOOST_TEST(format_duration(Duration(999)) == "0s");
  BOOST_TEST(minutes_to_duration(0.5).count() == 30'000);
  BOOST_TEST(minutes_to_duration(1.0 / 60'000).count() == 1);
}

BOOST_AUTO_TEST_CASE(clock_times_wrap_at_midnight) {
  const Duration start = minutes(22 * 60);
  BOOST_TEST(format_clock(TimePoint{}, start) == "22:00:00");
  BOOST_TEST(format_clock(TimePoint{minutes(125) + seconds(7)}, start) == "00:05:07");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(state)

BOOST_AUTO_TEST_CASE(names_round_trip) {
  for (const StateVariable v : all_state_variables()) {
    BOOST_TEST(parse_state_variable(variable_name(v)).value() == v);
    for (std::size_t i = 0; i < value_names(v).size(); ++i) {
      BOOST_TEST(*parse_state_value(v, value_names(v)[i]) == i);
    }
  }
  BOOST_TEST(!parse_state_variable("iis").has_value());
  BOOST_TEST(!parse_state_value(StateVariable::w3svc, "paused").has_value());
  BOOST_TEST(value_name(StateVariable::backend, values::unavailable) == "unavailable");
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

Scenario two_server_scenario() {
  Scenario s;
  EnterprisePool pool;
  pool.fqdn = "pool.example.com";
  pool.front_ends = {"fe.example.com"};
  pool.back_end.fqdn = "sql.example.com";
  pool.back_end.mirror = "sqlm.example.com";
  pool.back_end.collocated_stores = {CollocatedStore::monitoring};
  s.topology.pools.push_back(pool);
  s.topology.standard_edition_servers.push_back({"se.example.com", 5, std::nullopt, {}});
  RunbookStep db;
  db.id = "databases";
  db.title = "databases";
  db.kind = StepKind::database;
  db.article_step = 11;
  db.variants[static_cast<std::size_t>(Role::enterprise_backend_collocated)] = StepVariant{
      "Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn {sql_fqdn} "
      "-ExcludeCollocatedStores",
      {},
      {},
      {}};
  s.runbook.steps.push_back(db);
  s.timing.steps["databases"] = StepTiming{};
  s.plan.stages = {{"SQL.example.com"}};
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(resolve)

BOOST_AUTO_TEST_CASE(roles_and_placeholders) {
  const Scenario s = two_server_scenario();
  const auto targets = update_targets(s.topology);
  BOOST_REQUIRE(targets.size() == 4u);
  BOOST_TEST((targets[3].role == Role::front_end));
  BOOST_TEST(targets[3].fqdn == "fe.example.com");
  BOOST_TEST(targets[3].sql_server_fqdn == "sql.example.com");
  BOOST_TEST(targets[1].fqdn == "sqlm.example.com");
  BOOST_TEST(targets[1].sql_server_fqdn == "sqlm.example.com");
  BOOST_TEST((targets[2].role == Role::standard_edition));
  const auto plan = resolve_plan(s);
  BOOST_REQUIRE(plan.has_value());
  BOOST_TEST(plan->servers[0].steps[0].command ==
             "Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn sql.example.com "
             "-ExcludeCollocatedStores");
}

BOOST_AUTO_TEST_CASE(every_problem_at_once) {
  Scenario s = two_server_scenario();
  s.plan.stages = {{"sql.example.com", "nope.example.com"}, {"se.example.com", "sql.example.com"}};
  s.runbook.steps[0].variants[0] = StepVariant{"Install-CsDatabase {oops}", {}, {}, {}};
  const auto plan = resolve_plan(s);
  BOOST_REQUIRE(!plan.has_value());
  const std::vector<ModelError> expected{
      {"/plan/stages/0/1",
       "unknown server \"nope.example.com\"; expected one of the update targets in the "
       "topology: \"sql.example.com\", \"sqlm.example.com\", \"se.example.com\", or a front "
       "end of a pool"},
      {"/plan/stages/1/0",
       "server \"se.example.com\" has role standard_edition, but step \"databases\" has no "
       "command and no variant for that role; add \"variants\": {\"standard_edition\": "
       "{\"command\": ...}} to the step"},
      {"/plan/stages/1/1",
       "server \"sql.example.com\" is already planned at /plan/stages/0/0; a server is updated "
       "once per plan"},
  };
  BOOST_TEST(plan.error() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(missing_timing_is_reported_once_per_step) {
  Scenario s = two_server_scenario();
  s.timing.steps.clear();
  const auto plan = resolve_plan(s);
  BOOST_REQUIRE(!plan.has_value());
  BOOST_REQUIRE(plan.error().size() == 1u);
  BOOST_TEST(plan.error()[0].message ==
             "missing timing for step \"databases\"; every runbook step needs a duration "
             "distribution");
}

BOOST_AUTO_TEST_SUITE_END()
