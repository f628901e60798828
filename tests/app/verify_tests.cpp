// `lyncupdate verify` as an administrator runs it: the counterexample it saves replays in
// `simulate` with the same violation; bad options and unbounded steps are reported.

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "run_cli.hpp"

using lyncupdate::test::run_cli;
using lyncupdate::test::scratch_dir;
using lyncupdate::test::write_file;
using Json = nlohmann::ordered_json;

namespace {

// contoso with both servers in one stage and every step bounded: the installer and the
// database update take fixed times, so the worst case is known.
Json bounded_contoso() {
  Json s = lyncupdate::test::exported_scenario("contoso");
  Json& steps = s["timing"]["steps"];
  steps["install-update"] = Json{{"distribution", "fixed"}, {"minutes", 8}};
  steps["update-databases"] = Json{{"distribution", "fixed"}, {"minutes", 4}};
  s["timing"]["servers"] = Json::object();
  s["plan"]["stages"] = Json::array({Json::array({"sql01.contoso.com", "se01.contoso.com"})});
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(verify_cli)

BOOST_AUTO_TEST_CASE(two_operators_prove_the_plan_and_one_operator_breaks_it) {
  const auto dir = scratch_dir("verify-operators");
  write_file(dir / "plan.json", bounded_contoso().dump(2));
  const auto proved = run_cli({"verify", (dir / "plan.json").string(), "--json"});
  BOOST_TEST(proved.exit_code == 0);
  const auto doc = Json::parse(proved.out);
  BOOST_TEST(doc["schema"] == "lyncupdate/verify/1");
  BOOST_TEST(doc["status"] == "proved");
  BOOST_TEST(doc["operators"] == 2);
  BOOST_TEST(proved.err.find("states/s") != std::string::npos);

  // One operator may leave sql01 down while working on se01.
  const auto cex = dir / "cex.json";
  const auto violated = run_cli({"verify", (dir / "plan.json").string(), "--operators", "1",
                                 "--counterexample", cex.string()});
  BOOST_TEST(violated.exit_code == 1);
  BOOST_TEST(violated.out.find("VIOLATED backend-outage-limit") != std::string::npos);
  BOOST_TEST(violated.out.find("saved to " + cex.string()) != std::string::npos);

  // The saved scenario replays the violation in `simulate`, at the same time on the same
  // server.
  const auto json = run_cli({"verify", (dir / "plan.json").string(), "--operators", "1", "--json"});
  const auto found = Json::parse(json.out)["violation"];
  const auto replay = run_cli({"simulate", cex.string(), "--json"});
  BOOST_TEST(replay.exit_code == 1);
  bool same = false;
  const Json replayed = Json::parse(replay.out);
  for (const auto& v : replayed["violations"]) {
    same = same || (v["rule"] == found["rule"] && v["server"] == found["server"] &&
                    v["time"]["ms"] == found["time"]["ms"]);
  }
  BOOST_TEST(same, "simulate of the counterexample shows " << found.dump());
  // ... and `verify` of the replay finds its violation again.
  BOOST_TEST(run_cli({"verify", cex.string()}).exit_code == 1);
}

BOOST_AUTO_TEST_CASE(every_back_end_and_standard_edition_server_of_enterprise_is_proved) {
  // The whole plan of enterprise (three stages, eight servers) with two operators, every
  // lognormal bounded at 2.5 times its 95th percentile and limits wide enough that every
  // ordering is explored: proved well within the state bound, with the longest window the
  // longest orderings of the three stages one after another.
  const auto dir = scratch_dir("verify-enterprise");
  Json s = lyncupdate::test::exported_scenario("enterprise");
  const auto bound = [](Json& timing) {
    if (timing["distribution"] == "lognormal" && !timing.contains("max_min")) {
      timing["max_min"] = timing["p95_min"].get<double>() * 2.5;
    }
  };
  for (auto& [id, timing] : s["timing"]["steps"].items()) bound(timing);
  for (auto& [fqdn, steps] : s["timing"]["servers"].items()) {
    for (auto& [id, timing] : steps.items()) bound(timing);
  }
  s["limits"]["backend_outage_limit_min"] = 24 * 60;
  s["limits"]["window"]["length_min"] = 48 * 60;
  write_file(dir / "plan.json", s.dump(2));
  const auto result = run_cli({"verify", (dir / "plan.json").string(), "--operators", "2",
                               "--max-states", "1000000", "--json"});
  BOOST_TEST(result.exit_code == 0, result.out);
  const auto doc = Json::parse(result.out);
  BOOST_TEST(doc["status"] == "proved");
  BOOST_TEST(doc["states"].get<long>() < 1'000'000);
  // 2h25m00s + 3h46m00s + 1h27m30s: stage 1's mirror runs no Install-CsDatabase (bounded at
  // 22m30s), which its principal runs for the pair.
  BOOST_TEST(doc["longest_window_ms"].get<long>() == 7 * 3'600'000L + 38 * 60'000L + 30'000L);
}

BOOST_AUTO_TEST_CASE(a_shipped_scenario_with_unbounded_steps_is_not_proved) {
  const auto result = run_cli({"verify"});
  BOOST_TEST(result.exit_code == 1);
  BOOST_TEST(result.out.find("NOT PROVED: no worst case") != std::string::npos);
  BOOST_TEST(result.out.find("install-update on sql01.contoso.com") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(capped_tails_and_order_only_prove_what_the_order_decides) {
  // contoso's two servers one after the other: with the installer capped at 2.5 x its P95
  // (42m30s), sql01 can stay down past the limit; without the outage limit in the proof, the
  // rest is proved, and the worst-case window is the capped steps summed.
  const auto capped = run_cli({"verify", "--cap-factor", "2.5"});
  BOOST_TEST(capped.exit_code == 1);
  BOOST_TEST(capped.out.find("unbounded tails capped: every lognormal step without max_min takes "
                             "at most 2.5 x its P95\n") != std::string::npos);
  BOOST_TEST(capped.out.find("VIOLATED backend-outage-limit") != std::string::npos);

  const auto structural = run_cli({"verify", "--cap-factor", "2.5", "--order-only"});
  BOOST_TEST(structural.exit_code == 0);
  BOOST_TEST(structural.out.find("order only (--order-only): the 30m00s outage limit and the "
                                 "window are left out of the proof") != std::string::npos);
  BOOST_TEST(structural.out.find("PROVED: no allowed ordering breaks an invariant (pool quorum, "
                                 "readiness, mirror pairs, servers down)") != std::string::npos);

  const auto json = run_cli({"verify", "--cap-factor", "2.5", "--order-only", "--json"});
  const Json doc = Json::parse(json.out);
  BOOST_TEST(doc["status"] == "proved");
  BOOST_TEST(doc["timing_limits"] == false);
  BOOST_TEST(doc["cap_factor"] == 2.5);
  const auto plain = Json::parse(run_cli({"verify", "--json"}).out);
  BOOST_TEST(plain["timing_limits"] == true);
  BOOST_TEST(plain["cap_factor"].is_null());
}

BOOST_AUTO_TEST_CASE(every_shipped_scenario_proves_clean_in_what_its_order_decides) {
  // The shipped lognormals have no max_min: the plain proof is "unbounded". Capped as `plan`
  // caps them, every shipped plan keeps pool quorum, readiness, mirror pairs and servers down
  // in every ordering; their outage risk is the Monte Carlo's to judge.
  for (const std::string name : {"contoso", "enterprise", "enterprise-rollout"}) {
    const auto plain = run_cli({"verify", name});
    BOOST_TEST(plain.exit_code == 1, name);
    BOOST_TEST(plain.out.find("NOT PROVED: no worst case") != std::string::npos, name);
    const auto result =
        Json::parse(run_cli({"verify", name, "--cap-factor", "2.5", "--order-only", "--json"}).out);
    BOOST_TEST(result["status"] == "proved", name);
    BOOST_TEST(result["violation"].is_null(), name);
  }
}

BOOST_AUTO_TEST_CASE(bad_options_exit_2_and_write_nothing) {
  const auto dir = scratch_dir("verify-bad");
  write_file(dir / "plan.json", bounded_contoso().dump(2));
  const auto cex = dir / "cex.json";
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"verify", "--operators", "0"},
        std::vector<std::string>{"verify", "--operators", "-1"},
        std::vector<std::string>{"verify", "--max-down", "0"},
        std::vector<std::string>{"verify", "--cap-factor", "1"},
        std::vector<std::string>{"verify", "--cap-factor", "nan"},
        std::vector<std::string>{"verify", "nosuch", "--counterexample", cex.string()}}) {
    const auto result = run_cli(args);
    BOOST_TEST(result.exit_code == 2, args[1] << " " << args[2]);
  }
  BOOST_TEST(!std::filesystem::exists(cex));
}

BOOST_AUTO_TEST_CASE(a_schedule_that_breaks_runbook_order_is_refused_with_its_pointer) {
  const auto dir = scratch_dir("verify-schedule");
  Json s = bounded_contoso();
  s["plan"]["schedule"] =
      Json::array({Json{{"server", "sql01.contoso.com"}, {"step", "open-shell"}}});
  write_file(dir / "plan.json", s.dump(2));
  const auto result = run_cli({"simulate", (dir / "plan.json").string()});
  BOOST_TEST(result.exit_code == 2);
  BOOST_TEST(result.err.find("/plan/schedule/0: step \"open-shell\" of \"sql01.contoso.com\" "
                             "comes before \"log-on\" here") != std::string::npos,
             result.err);
}

BOOST_AUTO_TEST_SUITE_END()
