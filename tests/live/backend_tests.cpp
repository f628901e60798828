// The live backend with the simulation's executor, through the local transport, against the
// lab's cmdlet stand-ins (tests/live/lab/lab-powershell) as real child processes: what runs,
// what a resumed run skips or probes, the guard, interruption; and the parts it is built on:
// the wall clock, the outage guard's forecast and the operator's console.
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

#include <boost/test/unit_test.hpp>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "lyncupdate/live/console.hpp"
#include "lyncupdate/live/guard.hpp"
#include "lyncupdate/live/live_backend.hpp"
#include "lyncupdate/live/wall_clock.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/simulator/executor.hpp"
#include "lyncupdate/simulator/world.hpp"

namespace fs = std::filesystem;
using namespace lyncupdate;
using namespace std::chrono_literals;

namespace {

const fs::path source_dir = LYNCUPDATE_SOURCE_DIR;

nlohmann::json lab_scenario() {
  std::ifstream in(source_dir / "tests/live/data/lab.json");
  return nlohmann::json::parse(in);
}

// A scenario and its resolved plan (which points into it).
struct Loaded {
  std::unique_ptr<model::Scenario> scenario;
  model::ResolvedPlan plan;
};

Loaded load(const nlohmann::json& json) {
  auto scenario = loader::load_scenario_text(json.dump(), "test", {});
  if (!scenario) BOOST_FAIL(scenario.error().front().render());
  Loaded out;
  out.scenario = std::make_unique<model::Scenario>(std::move(*scenario));
  out.plan = model::resolve_plan(*out.scenario).value();
  return out;
}

// A fresh lab state folder, and `powershell.exe` on the PATH standing for the lab's stand-in,
// for the local transport.
struct LabFolder {
  fs::path dir;
  LabFolder() {
    static int counter = 0;
    dir = fs::temp_directory_path() /
          ("lyncupdate-backend-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir);
    fs::create_directories(dir / "bin");
    fs::create_symlink(source_dir / "tests/live/lab/lab-powershell", dir / "bin/powershell.exe");
    static const std::string original_path = std::getenv("PATH");
    ::setenv("PATH", (dir / "bin").string().append(":").append(original_path).c_str(), 1);
    ::setenv("LYNCUPDATE_LAB_DIR", dir.c_str(), 1);
  }
  ~LabFolder() { fs::remove_all(dir); }
  // The state-changing commands that ran on `fqdn`, in order.
  std::vector<std::string> executed(const std::string& fqdn) const {
    std::vector<std::string> out;
    std::ifstream in(dir / "state" / fqdn / "executed.log");
    for (std::string line; std::getline(in, line);) out.push_back(line.substr(line.find(' ') + 1));
    return out;
  }
};

// A journal in memory, seeded with what "earlier sessions" recorded.
class MemoryJournal final : public live::StepJournal {
 public:
  std::map<std::string, live::RecordedAttempt> earlier;
  std::vector<std::string> records;
  /// The journal fails (a full disk) on this record, 1-based, and writes nothing more.
  std::size_t fails_on = 0;

  static std::string key(std::string_view server, std::string_view step, int attempt) {
    return std::string(server) + " " + std::string(step) + " " + std::to_string(attempt);
  }
  live::RecordedAttempt recorded(std::string_view server, std::string_view step,
                                 int attempt) const override {
    const auto found = earlier.find(key(server, step, attempt));
    return found == earlier.end() ? live::RecordedAttempt{} : found->second;
  }
  void intent(std::string_view server, std::string_view step, int attempt, model::StepKind,
              std::string_view, const std::vector<std::string>&) override {
    write("intent " + key(server, step, attempt));
  }
  void outcome(std::string_view server, std::string_view step, int attempt,
               live::AttemptOutcome outcome, int, Duration, std::string_view) override {
    write(std::string(live::outcome_name(outcome)) + " " + key(server, step, attempt));
  }
  void probe(std::string_view server, std::string_view step, int attempt, bool done) override {
    write(std::string(done ? "probe-done " : "probe-not-done ") + key(server, step, attempt));
  }
  std::optional<std::string> broken() const override {
    if (!failed_) return std::nullopt;
    return "cannot write to journal memory: no space left on device";
  }

  // Earlier sessions finished `steps` of se01.lab.test, then `failed` failed (exit 1).
  void failed_at(std::initializer_list<const char*> steps, const char* failed) {
    for (const char* step : steps) {
      earlier[key("se01.lab.test", step, 1)] = {live::Recorded::finished,
                                                sim::StepOutcome::succeeded};
    }
    earlier[key("se01.lab.test", failed, 1)] = {live::Recorded::finished, sim::StepOutcome::failed};
  }

  // Earlier sessions finished `steps` of se01.lab.test, then started `started` and died.
  void crashed_during(std::initializer_list<const char*> steps, const char* started) {
    for (const char* step : steps) {
      earlier[key("se01.lab.test", step, 1)] = {live::Recorded::finished,
                                                sim::StepOutcome::succeeded};
    }
    earlier[key("se01.lab.test", started, 1)] = {live::Recorded::started,
                                                 sim::StepOutcome::succeeded};
  }

 private:
  void write(std::string record) {
    if (failed_) return;
    if (fails_on != 0 && records.size() + 1 == fails_on) {
      failed_ = true;
      return;
    }
    records.push_back(std::move(record));
  }
  bool failed_ = false;
};

class NoOperator final : public live::OperatorConsole {
 public:
  Answer confirm(const std::string&, std::chrono::seconds) override { return Answer::abort; }
};

// One live run of `plan` through the local transport, unattended.
struct LiveRun {
  bool stopped = false;
  std::string halt_reason;
  std::vector<std::string> log;
  std::vector<std::string> started;  // "fqdn step" of every step the executor started
};

class StartedSteps final : public sim::TraceObserver {
 public:
  explicit StartedSteps(const model::ResolvedPlan& plan, std::vector<std::string>& out)
      : plan_(&plan), out_(&out) {}
  void on_event(const sim::TraceEvent& event) override {
    if (event.kind != sim::TraceKind::step_started) return;
    const auto& server = plan_->servers[event.server];
    out_->push_back(server.target.fqdn + " " + server.steps[event.step].definition->id);
  }

 private:
  const model::ResolvedPlan* plan_;
  std::vector<std::string>* out_;
};

LiveRun run_live(const model::ResolvedPlan& plan, live::StepJournal& journal,
                 live::LiveSettings settings = {}, bool interrupted_from_start = false) {
  settings.unattended = true;
  LiveRun out;
  live::LocalTransport transport;
  live::WallClock clock;
  sim::Engine engine(clock);
  sim::Trace trace;
  live::OutageGuard guard(plan, 1);
  trace.subscribe(guard);
  StartedSteps started(plan, out.started);
  trace.subscribe(started);
  sim::World world(plan, trace);
  NoOperator console;
  std::atomic<bool> interrupted{interrupted_from_start};
  live::LiveBackend backend(plan, transport, journal, clock, console, guard, settings, interrupted,
                            [&](const std::string& line) { out.log.push_back(line); });
  sim::Executor executor(plan, backend, world, trace);
  executor.start(engine);
  engine.run();
  BOOST_TEST(executor.finished());
  out.stopped = executor.stopped();
  out.halt_reason = backend.halt_reason();
  return out;
}

nlohmann::json only_se01() {
  nlohmann::json json = lab_scenario();
  json["plan"]["stages"] = nlohmann::json::array({nlohmann::json::array({"se01.lab.test"})});
  return json;
}

const std::vector<std::string> se01_commands = {
    "Stop-CsWindowsService",  "net stop w3svc",  "LyncServerUpdateInstaller.exe /silentmode",
    "Stop-CsWindowsService",  "net start w3svc", "Install-CsDatabase -Update -LocalDatabases",
    "Start-CsWindowsService",
};

// Sets state fields of se01.lab.test in `lab` (`lab.py set`), e.g. "w3svc='\"Stopped\"'".
void set_se01(const LabFolder& lab, const std::string& fields) {
  const std::string lab_py = (source_dir / "tests/live/lab/lab.py").string();
  const std::string set = "python3 " + lab_py + " set " + lab.dir.string() + " se01.lab.test " +
                          fields + " > /dev/null";
  BOOST_REQUIRE_EQUAL(std::system(set.c_str()), 0);
}

// The `lync_services` field with every Lync service stopped.
std::string every_service_stopped() {
  std::string services;
  for (const char* name : {"REPLICA", "RTCASMCU", "RTCATS", "RTCAVMCU", "RTCCLSAGT", "RTCDATAMCU",
                           "RTCIMMCU", "RTCSRV"}) {
    services += std::string(services.empty() ? "" : ",") + "\"" + name + "\":\"Stopped\"";
  }
  return "lync_services='{" + services + "}'";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(live_backend)

BOOST_AUTO_TEST_CASE(runs_every_step_of_the_plan_once_through_the_local_transport) {
  const LabFolder lab;
  const Loaded loaded = load(only_se01());
  MemoryJournal journal;
  const LiveRun run = run_live(loaded.plan, journal);
  BOOST_TEST(!run.stopped);
  BOOST_TEST(lab.executed("se01.lab.test") == se01_commands, boost::test_tools::per_element());
  // Every step: its intent, then its outcome, in runbook order.
  BOOST_REQUIRE_EQUAL(journal.records.size(), 24u);
  BOOST_TEST(journal.records[0] == "intent se01.lab.test log-on 1");
  BOOST_TEST(journal.records[1] == "succeeded se01.lab.test log-on 1");
  BOOST_TEST(journal.records[23] == "succeeded se01.lab.test start-services 1");
}

BOOST_AUTO_TEST_CASE(a_resumed_run_never_reruns_a_finished_step_and_probes_an_unknown_one) {
  const LabFolder lab;
  const Loaded loaded = load(only_se01());
  // A first session ran the first four steps, started stop-w3svc and died with it finished
  // on the server but not in the journal.
  MemoryJournal journal;
  journal.crashed_during({"log-on", "extract-update", "open-shell", "stop-services"}, "stop-w3svc");
  // The server's state as stop-services and stop-w3svc left it, so that the probe finds W3SVC
  // stopped and the installer finds every service stopped.
  const std::string lab_py = (source_dir / "tests/live/lab/lab.py").string();
  std::string services;
  for (const char* name : {"REPLICA", "RTCASMCU", "RTCATS", "RTCAVMCU", "RTCCLSAGT", "RTCDATAMCU",
                           "RTCIMMCU", "RTCSRV"}) {
    services += std::string(services.empty() ? "" : ",") + "\"" + name + "\":\"Stopped\"";
  }
  const std::string set = "python3 " + lab_py + " set " + lab.dir.string() +
                          " se01.lab.test w3svc='\"Stopped\"' lync_services='{" + services +
                          "}' > /dev/null";
  BOOST_REQUIRE_EQUAL(std::system(set.c_str()), 0);
  const LiveRun run = run_live(loaded.plan, journal);
  BOOST_TEST(!run.stopped);
  // Neither the finished stop-services nor the probed stop-w3svc ran again.
  const std::vector<std::string> rest(se01_commands.begin() + 2, se01_commands.end());
  BOOST_TEST(lab.executed("se01.lab.test") == rest, boost::test_tools::per_element());
  BOOST_TEST(journal.records.front() == "probe-done se01.lab.test stop-w3svc 1");
}

BOOST_AUTO_TEST_CASE(a_probe_that_fails_runs_the_step_again) {
  const LabFolder lab;
  const Loaded loaded = load(only_se01());
  MemoryJournal journal;
  journal.crashed_during({"log-on", "extract-update", "open-shell"}, "stop-services");
  const LiveRun run = run_live(loaded.plan, journal);
  BOOST_TEST(!run.stopped);
  BOOST_TEST(lab.executed("se01.lab.test") == se01_commands, boost::test_tools::per_element());
  BOOST_TEST(journal.records.at(0) == "probe-not-done se01.lab.test stop-services 1");
  BOOST_TEST(journal.records.at(1) == "intent se01.lab.test stop-services 1");
}

BOOST_AUTO_TEST_CASE(a_command_of_unknown_outcome_without_a_probe_stops_the_plan) {
  const LabFolder lab;
  nlohmann::json json = only_se01();
  nlohmann::json runbook =
      nlohmann::json::parse(loader::self_contained_scenario("contoso", false).value())["runbook"];
  for (auto& step : runbook) step.erase("probe");
  json["runbook"] = runbook;
  const Loaded loaded = load(json);
  MemoryJournal journal;
  journal.crashed_during({"log-on", "extract-update", "open-shell"}, "stop-services");
  const LiveRun run = run_live(loaded.plan, journal);
  BOOST_TEST(run.stopped);
  BOOST_TEST(run.halt_reason.find("has no probe") != std::string::npos, run.halt_reason);
  BOOST_TEST(lab.executed("se01.lab.test").empty());
  BOOST_TEST(journal.records.empty());
}

BOOST_AUTO_TEST_CASE(a_command_whose_intent_cannot_be_written_never_starts) {
  const LabFolder lab;
  const Loaded loaded = load(only_se01());
  MemoryJournal journal;
  // Three manual steps (intent and outcome each), then the intent of stop-services fails.
  journal.fails_on = 7;
  const LiveRun run = run_live(loaded.plan, journal);
  BOOST_TEST(run.stopped);
  BOOST_TEST(run.halt_reason ==
             "the journal cannot be written: cannot write to journal memory: no space left on "
             "device");
  BOOST_TEST(run.log.back() ==
             "the journal cannot be written: cannot write to journal memory: no space left on "
             "device; se01.lab.test stop-services not started");
  BOOST_TEST(lab.executed("se01.lab.test").empty());
  BOOST_TEST(journal.records.size() == 6U);
}

BOOST_AUTO_TEST_CASE(a_resumed_run_probes_a_step_before_it_runs_it) {
  const LabFolder lab;
  const Loaded loaded = load(only_se01());
  MemoryJournal journal;
  // A first session ran the three manual steps and stopped there (interrupted).
  for (const char* step : {"log-on", "extract-update", "open-shell"}) {
    journal.earlier[MemoryJournal::key("se01.lab.test", step, 1)] = {live::Recorded::finished,
                                                                     sim::StepOutcome::succeeded};
  }
  // The operator stopped the services by hand after the first session ended.
  set_se01(lab, every_service_stopped());
  live::LiveSettings settings;
  settings.resumed = true;
  const LiveRun run = run_live(loaded.plan, journal, settings);
  BOOST_TEST(!run.stopped);
  BOOST_TEST(journal.records.at(0) == "probe-done se01.lab.test stop-services 1");
  BOOST_TEST(journal.records.at(1) == "probe-not-done se01.lab.test stop-w3svc 1");
  BOOST_TEST(journal.records.at(2) == "intent se01.lab.test stop-w3svc 1");
  // Stop-CsWindowsService ran once, as the second stop: the first was done by hand.
  const std::vector<std::string> rest(se01_commands.begin() + 1, se01_commands.end());
  BOOST_TEST(lab.executed("se01.lab.test") == rest, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(retry_failed_probes_the_failed_step_and_runs_it_again_only_if_not_done) {
  const LabFolder lab;
  const Loaded loaded = load(only_se01());
  const auto stopped_everything = [&](const LabFolder& folder) {
    set_se01(folder, "w3svc='\"Stopped\"' " + every_service_stopped());
  };
  const auto failed_install = [] {
    MemoryJournal journal;
    journal.failed_at(
        {"log-on", "extract-update", "open-shell", "stop-services", "stop-w3svc", "close-shells"},
        "install-update");
    return journal;
  };
  stopped_everything(lab);
  live::LiveSettings settings;
  settings.resumed = true;
  {
    // --resume alone replays the failure: nothing runs.
    MemoryJournal journal = failed_install();
    const LiveRun run = run_live(loaded.plan, journal, settings);
    BOOST_TEST(run.stopped);
    BOOST_TEST(lab.executed("se01.lab.test").empty());
    BOOST_TEST(journal.records.empty());
  }
  settings.retry_failed = true;
  {
    // --retry-failed: the probe finds the update missing, so the installer runs again, once,
    // and the plan goes on to its end.
    MemoryJournal journal = failed_install();
    const LiveRun run = run_live(loaded.plan, journal, settings);
    BOOST_TEST(!run.stopped);
    BOOST_TEST(journal.records.at(0) == "probe-not-done se01.lab.test install-update 1");
    BOOST_TEST(journal.records.at(1) == "intent se01.lab.test install-update 1");
    BOOST_TEST(journal.records.at(2) == "succeeded se01.lab.test install-update 1");
    const std::vector<std::string> rest(se01_commands.begin() + 2, se01_commands.end());
    BOOST_TEST(lab.executed("se01.lab.test") == rest, boost::test_tools::per_element());
  }
  {
    // The installer had done its work after all (the probe finds the update): not run again.
    const LabFolder updated;
    stopped_everything(updated);
    set_se01(updated, "version='\"5.0.8308.1001\"'");
    MemoryJournal journal = failed_install();
    const LiveRun run = run_live(loaded.plan, journal, settings);
    BOOST_TEST(!run.stopped);
    BOOST_TEST(journal.records.at(0) == "probe-done se01.lab.test install-update 1");
    // Nor is the second stop: no installer started the services again, so its probe finds
    // them stopped.
    BOOST_TEST(journal.records.at(1) == "intent se01.lab.test reopen-shell 1");
    BOOST_TEST(journal.records.at(3) == "probe-done se01.lab.test stop-services-again 1");
    const std::vector<std::string> rest(se01_commands.begin() + 4, se01_commands.end());
    BOOST_TEST(updated.executed("se01.lab.test") == rest, boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(the_guard_stops_before_an_outage_likely_to_reach_the_limit) {
  const LabFolder lab;
  nlohmann::json json = lab_scenario();
  json["plan"]["stages"] = nlohmann::json::array({nlohmann::json::array({"sql01.lab.test"})});
  // The model says the install takes 20 to 40 minutes: P(outage >= 30 min) is about 1/2.
  json["timing"]["steps"]["install-update"] = {
      {"distribution", "uniform"}, {"low_min", 20}, {"high_min", 40}};
  const Loaded loaded = load(json);
  {
    MemoryJournal journal;
    const LiveRun run = run_live(loaded.plan, journal);
    BOOST_TEST(run.stopped);
    BOOST_TEST(run.halt_reason.find("guard: starting sql01.lab.test install-update") == 0,
               run.halt_reason);
    BOOST_TEST(run.started.back() == "sql01.lab.test close-shells");
    // The back end was never taken down: only the steps before the install ran.
    BOOST_TEST(lab.executed("sql01.lab.test") ==
                   (std::vector<std::string>{"Stop-CsWindowsService", "net stop w3svc"}),
               boost::test_tools::per_element());
  }
  {
    // Policy warn: the same forecast is printed and the plan goes on.
    const LabFolder again;
    MemoryJournal journal;
    live::LiveSettings settings;
    settings.guard_policy = live::GuardPolicy::warn;
    const LiveRun run = run_live(loaded.plan, journal, settings);
    BOOST_TEST(!run.stopped);
    BOOST_TEST(again.executed("sql01.lab.test").size() == 7u);
  }
}

BOOST_AUTO_TEST_CASE(an_interrupted_run_starts_nothing) {
  const LabFolder lab;
  const Loaded loaded = load(only_se01());
  MemoryJournal journal;
  const LiveRun run = run_live(loaded.plan, journal, {}, true);
  BOOST_TEST(run.stopped);
  BOOST_TEST(run.halt_reason == "interrupted");
  BOOST_TEST(run.started.empty());
  BOOST_TEST(journal.records.empty());
}

BOOST_AUTO_TEST_CASE(command_timeouts_follow_the_step_bounds) {
  const Loaded loaded = load(lab_scenario());
  const auto& install = loaded.plan.servers[0].steps[6];
  BOOST_TEST(install.definition->id == "install-update");
  live::LiveSettings settings;
  // Upper bound 0.03 min = 1.8 s: at least that plus five minutes.
  BOOST_TEST(live::LiveBackend::command_timeout(install, settings).count() == 301'800);
  settings.step_timeout = 7s;
  BOOST_TEST(live::LiveBackend::command_timeout(install, settings).count() == 7'000);
}

BOOST_AUTO_TEST_SUITE_END()

// The shipped runbooks as live mode runs them on Lync Server 2013 servers.
BOOST_AUTO_TEST_SUITE(shipped_runbooks_on_lync_2013)

// A shipped scenario with the update's version set, as a live run needs it.
Loaded shipped_with_version(std::string_view name) {
  auto text = loader::export_shipped_scenario(name);
  if (!text) BOOST_FAIL(text.error().front().render());
  nlohmann::json json = nlohmann::json::parse(*text);
  json["live"] = {{"update_version", "5.0.8308.1001"}};
  return load(json);
}

// Get-CsPoolUpgradeReadinessState has no -PoolFqdn and runs only locally on a front end of the
// pool it checks (office-docs-powershell); its answer is PoolUpgradeState (OD
// lync-server-2013-upgrade-or-update-front-end-servers.md, step 1).
BOOST_AUTO_TEST_CASE(the_readiness_gate_names_no_pool_and_reads_pool_upgrade_state) {
  const Loaded loaded = shipped_with_version("enterprise-rollout");
  const live::Pipeline expected{{"Get-CsPoolUpgradeReadinessState"},
                                {"Select-Object", "-ExpandProperty", "PoolUpgradeState"}};
  std::size_t gates = 0;
  for (const model::ResolvedServer& server : loaded.plan.servers) {
    for (const model::ResolvedStep& step : server.steps) {
      if (!step.definition->gate) continue;
      ++gates;
      BOOST_TEST(step.definition->id == "fe-check-readiness");
      BOOST_TEST(live::command_pipeline(step) == expected, server.target.fqdn);
      BOOST_TEST(step.probe->pipeline == expected, server.target.fqdn);
      BOOST_TEST(step.probe->present == "Ready");
    }
  }
  BOOST_TEST(gates == 28U);  // one per front end
}

// Get-CsServerPatchVersion exists only from Skype for Business Server 2015; on Lync Server 2013
// the installed programs' entries tell the installed version (docs/domain-notes.md).
BOOST_AUTO_TEST_CASE(install_probes_read_the_installed_programs_entries) {
  const live::Pipeline expected{
      {"Get-ItemProperty", "-Path",
       "HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\*"},
      {"Where-Object", "-Property", "DisplayVersion", "-EQ", "-Value", "5.0.8308.1001"},
      {"Select-Object", "-ExpandProperty", "DisplayName"}};
  std::size_t installs = 0;
  const Loaded loaded = shipped_with_version("enterprise-rollout");
  for (const model::ResolvedServer& server : loaded.plan.servers) {
    for (const model::ResolvedStep& step : server.steps) {
      if (step.definition->kind != model::StepKind::install) continue;
      ++installs;
      BOOST_TEST(step.probe->pipeline == expected, server.target.fqdn);
      BOOST_TEST(step.probe->present == "Microsoft Lync Server 2013");
      BOOST_TEST(step.probe->absent.empty());
    }
  }
  // Every server: 28 front ends, 3 back ends (one with the mirrored runbook), a mirror, 4 SE.
  BOOST_TEST(installs == 36U);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(outage_guard)

BOOST_AUTO_TEST_CASE(forecasts_from_the_elapsed_outage_and_the_steps_left) {
  nlohmann::json json = lab_scenario();
  for (auto& [id, timing] : json["timing"]["steps"].items()) {
    timing = {{"distribution", "fixed"}, {"minutes", 1}};
  }
  json["timing"]["steps"]["install-update"] = {{"distribution", "fixed"}, {"minutes", 20}};
  const Loaded loaded = load(json);
  live::OutageGuard guard(loaded.plan, 1, 1000);
  // sql01 (a back end): install-update (step 6) starts the outage, update-databases (step 10)
  // ends it: 20 + 4 x 1 minutes, under 30.
  auto forecast = guard.forecast(0, 6, TimePoint{});
  BOOST_REQUIRE(forecast.has_value());
  BOOST_TEST(forecast->starts_outage);
  BOOST_TEST(forecast->steps_left == 5);
  BOOST_TEST(forecast->probability == 0.0);
  // Steps before the outage neither start nor extend one.
  BOOST_TEST(!guard.forecast(0, 5, TimePoint{}).has_value());
  // Seven minutes into the outage, the last four steps take four more: 31 >= 30.
  sim::TraceEvent down;
  down.kind = sim::TraceKind::state_changed;
  down.variable = model::StateVariable::backend;
  down.to = model::values::unavailable;
  down.server = 0;
  down.time = TimePoint{};
  guard.on_event(down);
  forecast = guard.forecast(0, 7, TimePoint{std::chrono::minutes(27)});
  BOOST_REQUIRE(forecast.has_value());
  BOOST_TEST(!forecast->starts_outage);
  BOOST_TEST(forecast->elapsed.count() == 27 * 60'000);
  BOOST_TEST(forecast->steps_left == 4);
  BOOST_TEST(forecast->probability == 1.0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(terminal_console)

namespace {

// A console reading from a pipe holding `input`.
live::OperatorConsole::Answer answer_to(const std::string& input, std::chrono::seconds timeout,
                                        bool close_input = true) {
  int fds[2];
  BOOST_REQUIRE_EQUAL(::pipe(fds), 0);
  BOOST_REQUIRE_EQUAL(::write(fds[1], input.data(), input.size()),
                      static_cast<ssize_t>(input.size()));
  if (close_input) ::close(fds[1]);
  const std::atomic<bool> interrupted{false};
  live::TerminalConsole console(fds[0], interrupted);
  const auto answer = console.confirm("sql01: log on", timeout);
  ::close(fds[0]);
  if (!close_input) ::close(fds[1]);
  return answer;
}

}  // namespace

BOOST_AUTO_TEST_CASE(reads_one_answer_a_line) {
  using Answer = live::OperatorConsole::Answer;
  BOOST_TEST((answer_to("done\n", 5s) == Answer::done));
  BOOST_TEST((answer_to("  Y \n", 5s) == Answer::done));
  BOOST_TEST((answer_to("maybe\nabort\n", 5s) == Answer::abort));
  BOOST_TEST((answer_to("done", 5s) == Answer::done));  // no newline at the end of input
  BOOST_TEST((answer_to("", 5s) == Answer::abort));     // nobody to answer
  BOOST_TEST((answer_to("", 1s, false) == Answer::timed_out));
}

BOOST_AUTO_TEST_CASE(stops_waiting_when_interrupted) {
  int fds[2];
  BOOST_REQUIRE_EQUAL(::pipe(fds), 0);
  std::atomic<bool> interrupted{false};
  live::TerminalConsole console(fds[0], interrupted);
  std::thread operator_away([&] {
    std::this_thread::sleep_for(300ms);
    interrupted.store(true);
  });
  BOOST_TEST((console.confirm("sql01: log on", 60s) == live::OperatorConsole::Answer::interrupted));
  operator_away.join();
  ::close(fds[0]);
  ::close(fds[1]);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(wall_clock)

BOOST_AUTO_TEST_CASE(delivers_work_finished_on_another_thread_on_the_engine_thread) {
  live::WallClock clock;
  sim::Engine engine(clock);
  std::vector<std::string> seen;
  clock.expect();
  const auto engine_thread = std::this_thread::get_id();
  std::thread worker([&] {
    std::this_thread::sleep_for(50ms);
    clock.post([&](TimePoint at, sim::Engine&) {
      BOOST_TEST((std::this_thread::get_id() == engine_thread));
      seen.push_back(at >= TimePoint{50ms} ? "late enough" : "too early");
    });
  });
  engine.run();  // returns once the expected delivery ran
  worker.join();
  BOOST_TEST(seen == (std::vector<std::string>{"late enough"}), boost::test_tools::per_element());
  BOOST_TEST(!clock.awaiting_external());
}

BOOST_AUTO_TEST_SUITE_END()
