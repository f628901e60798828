#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lyncupdate/checker/monitors.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/simulator/executor.hpp"

using namespace lyncupdate;
using model::Condition;
using model::StateVariable;
using std::chrono::minutes;
namespace values = model::values;

namespace {

// A scenario with one back end (sql.example.com, pool of 2,000 users) and one Standard
// Edition server (se.example.com, 300 users); tests add steps with fixed durations.
struct Builder {
  model::Scenario scenario;

  Builder() {
    scenario.name = "monitors";
    // The database-variant monitor reads Install-CsDatabase against the catalogue.
    scenario.catalogue = &*loader::shipped_catalogue();
    model::EnterprisePool pool;
    pool.fqdn = "pool.example.com";
    pool.front_ends = {"fe1.example.com", "fe2.example.com"};
    pool.users = 2000;
    pool.back_end.fqdn = "sql.example.com";
    scenario.topology.pools.push_back(pool);
    scenario.topology.standard_edition_servers.push_back({"se.example.com", 300, std::nullopt, {}});
    scenario.plan.stages = {{"sql.example.com"}};
  }

  Builder& step(std::string id, int minutes_taken, model::Conditions requires_,
                model::Conditions on_start, model::Conditions on_finish, std::string command = "") {
    model::RunbookStep s;
    s.id = id;
    s.title = id;
    s.kind = command.empty() ? model::StepKind::manual : model::StepKind::command;
    s.command = std::move(command);
    s.article_step = 1;
    s.requires_ = std::move(requires_);
    s.on_start = std::move(on_start);
    s.on_finish = std::move(on_finish);
    scenario.runbook.steps.push_back(std::move(s));
    model::StepTiming timing;
    timing.duration.low = minutes(minutes_taken);
    scenario.timing.steps[id] = timing;
    return *this;
  }

  // Runs the plan once and returns "rule | message" for every violation.
  std::vector<std::string> violations() const {
    auto plan = model::resolve_plan(scenario);
    BOOST_REQUIRE(plan.has_value());
    check::Checker checker(*plan);
    sim::simulate_run(*plan, 1, 0, checker.observers());
    std::vector<std::string> out;
    for (const auto& v : checker.violations()) {
      out.push_back(std::string(v.rule) + " | " + v.message);
    }
    return out;
  }
};

const Condition unavailable{StateVariable::backend, values::unavailable};
const Condition available{StateVariable::backend, values::available};
const Condition services_stopped{StateVariable::lync_services, values::stopped};
const Condition services_running{StateVariable::lync_services, values::running};
const Condition w3svc_stopped{StateVariable::w3svc, values::stopped};
const Condition w3svc_running{StateVariable::w3svc, values::running};

using Strings = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_SUITE(monitors)

BOOST_AUTO_TEST_CASE(outage_below_the_limit_passes) {
  Builder b;
  b.step("install", 20, {}, {unavailable}, {}).step("databases", 9, {}, {}, {available});
  BOOST_TEST(b.violations() == Strings{}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(outage_of_exactly_the_limit_is_a_violation) {
  Builder b;
  b.step("log-on", 1, {}, {}, {})
      .step("install", 21, {}, {unavailable}, {})
      .step("databases", 9, {}, {}, {available});
  BOOST_TEST(b.violations() ==
                 Strings{"backend-outage-limit | back end sql.example.com was unavailable for "
                         "30m00s from 22:01:00 (step install) to 22:31:00 (step databases), "
                         "reaching the 30m00s limit: its 2,000 users may enter resiliency mode"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_outage_never_restored_is_judged_at_the_end) {
  Builder b;
  b.scenario.plan.stages = {{"se.example.com"}};
  b.step("stop", 2, {}, {unavailable}, {}).step("install", 40, {}, {}, {});
  BOOST_TEST(b.violations() ==
                 Strings{"backend-outage-limit | Standard Edition server se.example.com was "
                         "unavailable for 42m00s from 22:00:00 (step stop) until the run ended "
                         "at 22:42:00, never restored, reaching the 30m00s limit: its 300 users "
                         "may enter resiliency mode"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(precondition_established_by_an_earlier_step_passes) {
  Builder b;
  // IIS started again at the end: a W3SVC left stopped is services-left-stopped.
  b.step("stop-w3svc", 1, {}, {}, {w3svc_stopped})
      .step("install", 10, {w3svc_stopped}, {}, {})
      .step("start-w3svc", 1, {}, {}, {w3svc_running});
  BOOST_TEST(b.violations() == Strings{}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(step_started_before_its_precondition_holds) {
  Builder b;
  b.step("install", 10, {w3svc_stopped, services_stopped}, {}, {})
      .step("stop-w3svc", 1, {}, {}, {w3svc_stopped})
      .step("start-w3svc", 1, {}, {}, {w3svc_running});
  BOOST_TEST(
      b.violations() == Strings{"step-precondition | step install started on sql.example.com while "
                                "w3svc is running (needs stopped), lync_services is running (needs "
                                "stopped); an earlier step must establish it"},
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(database_variant_that_fits_the_role_passes) {
  Builder b;
  b.scenario.plan.stages = {{"sql.example.com", "se.example.com"}};
  b.step("databases", 5, {}, {}, {}, "");
  auto& step = b.scenario.runbook.steps.back();
  step.kind = model::StepKind::database;
  step.variants[0] = model::StepVariant{
      "Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn {sql_fqdn}", {}, {}, {}};
  step.variants[2] = model::StepVariant{"Install-CsDatabase -Update -LocalDatabases", {}, {}, {}};
  BOOST_TEST(b.violations() == Strings{}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(enterprise_database_command_on_a_standard_edition_server) {
  Builder b;
  b.scenario.plan.stages = {{"se.example.com"}};
  b.step("databases", 5, {}, {}, {},
         "Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn {sql_fqdn}");
  BOOST_TEST(b.violations() ==
                 Strings{"database-variant | step databases on se.example.com: the command is "
                         "the form for an Enterprise Edition back end without collocated "
                         "stores, but this server is a Standard Edition server; expected "
                         "\"Install-CsDatabase -Update -LocalDatabases\""},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(services_started_again_pass) {
  Builder b;
  b.step("stop", 2, {}, {}, {services_stopped}).step("start", 3, {}, {}, {services_running});
  BOOST_TEST(b.violations() == Strings{}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(services_left_stopped_at_the_end) {
  Builder b;
  b.step("stop", 2, {}, {}, {services_stopped}).step("install", 3, {}, {}, {});
  BOOST_TEST(
      b.violations() == Strings{"services-left-stopped | the Lync services on sql.example.com are "
                                "still stopped when the run ends (stopped by step stop); its users "
                                "stay without service until someone runs Start-CsWindowsService "
                                "(DOMAIN.md section 1)"},
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_plan_inside_the_window_passes) {
  Builder b;
  b.scenario.limits.window_length = minutes(12);
  b.step("install", 12, {}, {}, {});
  BOOST_TEST(b.violations() == Strings{}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_plan_past_the_window_overruns) {
  Builder b;
  b.scenario.limits.window_length = minutes(10);
  b.scenario.limits.window_start = minutes(23 * 60 + 55);
  b.step("install", 12, {}, {}, {});
  BOOST_TEST(
      b.violations() == Strings{"window-overrun | the plan ends at 00:07:00, 2m00s after the "
                                "maintenance window closed at 00:05:00"},
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(outages_are_recorded_for_reports) {
  Builder b;
  b.step("install", 20, {}, {unavailable}, {}).step("databases", 9, {}, {}, {available});
  auto plan = model::resolve_plan(b.scenario);
  check::Checker checker(*plan);
  sim::simulate_run(*plan, 1, 0, checker.observers());
  BOOST_REQUIRE(checker.outages().size() == 1u);
  const check::Outage& o = checker.outages()[0];
  BOOST_TEST(o.length().count() == 29 * 60'000);
  BOOST_TEST(o.restored);
  BOOST_TEST(o.begin_step == 0);
  BOOST_TEST(o.end_step == 1);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(services_and_mirror_failover)

const Condition principal_on_mirror{StateVariable::database_principal, values::on_mirror};

BOOST_AUTO_TEST_CASE(w3svc_started_again_passes) {
  Builder b;
  b.step("stop-w3svc", 1, {}, {}, {w3svc_stopped}).step("start-w3svc", 1, {}, {}, {w3svc_running});
  BOOST_TEST(b.violations() == Strings{}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(w3svc_left_stopped_at_the_end) {
  Builder b;
  b.step("stop-w3svc", 1, {}, {}, {w3svc_stopped}).step("install", 3, {}, {}, {});
  BOOST_TEST(b.violations() ==
                 Strings{"services-left-stopped | the World Wide Web service (W3SVC) on "
                         "sql.example.com is still stopped when the run ends (stopped by step "
                         "stop-w3svc); its IIS web services stay down until someone runs net "
                         "start w3svc (article step 10)"},
             boost::test_tools::per_element());
}

// The back end sql.example.com mirrored to sqlm.example.com: the mirror runs a 10-minute
// update, the principal's (mirrored) runbook fails over to it first.
Builder mirrored(std::vector<std::vector<std::string>> stages) {
  Builder b;
  b.scenario.topology.pools[0].back_end.mirror = "sqlm.example.com";
  b.step("install", 10, {}, {}, {});
  model::Runbook principal;
  principal.name = "mirrored";
  model::RunbookStep fail_over;
  fail_over.id = "fail-over";
  fail_over.title = "fail over";
  fail_over.kind = model::StepKind::command;
  fail_over.command =
      "Invoke-CsDatabaseFailover -PoolFqdn pool.example.com -DatabaseType User "
      "-NewPrincipal mirror";
  fail_over.addition = "test";
  fail_over.on_finish = {principal_on_mirror};
  principal.steps.push_back(fail_over);
  b.scenario.timing.steps["fail-over"].duration.low = minutes(1);
  b.scenario.mirrored_backend_runbook = principal;
  b.scenario.plan.stages = std::move(stages);
  return b;
}

BOOST_AUTO_TEST_CASE(failing_over_to_a_mirror_whose_update_runs_is_a_violation) {
  const Builder b = mirrored({{"sqlm.example.com", "sql.example.com"}});
  BOOST_TEST(b.violations() ==
                 Strings{"failover-to-unupdated-mirror | step fail-over on sql.example.com at "
                         "22:00:00 fails the databases of pool pool.example.com over to the "
                         "mirror sqlm.example.com, whose update has not finished: the pool would "
                         "run on a server without the update (DOMAIN.md section 4: update the "
                         "mirror first)"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(failing_over_to_a_mirror_the_plan_does_not_update_is_a_violation) {
  const Builder b = mirrored({{"sql.example.com"}});
  BOOST_TEST(b.violations() ==
                 Strings{"failover-to-unupdated-mirror | step fail-over on sql.example.com at "
                         "22:00:00 fails the databases of pool pool.example.com over to the "
                         "mirror sqlm.example.com, which the plan does not update: the pool would "
                         "run on a server without the update (DOMAIN.md section 4: update the "
                         "mirror first)"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(failing_over_to_an_updated_mirror_passes) {
  const Builder b = mirrored({{"sqlm.example.com"}, {"sql.example.com"}});
  BOOST_TEST(b.violations() == Strings{}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
