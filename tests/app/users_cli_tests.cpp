// The user impact from the command line: one run, Monte Carlo on any thread count, shards
// merged, and bad `users` sections.

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "run_cli.hpp"

using lyncupdate::test::run_cli;
using lyncupdate::test::scratch_dir;
using lyncupdate::test::write_file;
using Json = nlohmann::ordered_json;

BOOST_AUTO_TEST_SUITE(users_cli)

BOOST_AUTO_TEST_CASE(one_run_reports_the_user_impact) {
  const auto text = run_cli({"simulate", "enterprise"});
  BOOST_TEST(text.out.find("User impact (120000 users, ") != std::string::npos);
  BOOST_TEST(text.out.find("Outages per server: longest continuous, and total") !=
             std::string::npos);
  const auto json = run_cli({"simulate", "enterprise", "--json"});
  const Json doc = Json::parse(json.out);
  BOOST_TEST(doc["users"]["users"] == 120000);
  BOOST_TEST(doc["users"]["failed_operations"].size() == 8u);
  BOOST_TEST(doc["outage_totals"].size() == 8u);
  // Failures by type add up to the total.
  std::uint64_t sum = 0;
  for (const auto& [name, n] : doc["users"]["failed_operations"].items())
    sum += n.get<std::uint64_t>();
  BOOST_TEST(doc["users"]["failed_operations_total"] == sum);
}

BOOST_AUTO_TEST_CASE(monte_carlo_user_impact_is_the_same_on_one_and_two_threads) {
  const auto one = run_cli({"simulate", "enterprise", "--runs", "120", "--threads", "1"});
  const auto two = run_cli({"simulate", "enterprise", "--runs", "120", "--threads", "2"});
  BOOST_TEST(one.out == two.out);
  BOOST_TEST(one.err == "");  // standard error is not a terminal: no progress bar
  BOOST_TEST(one.out.find("User impact per run") != std::string::npos);
  const auto json1 =
      run_cli({"simulate", "enterprise", "--runs", "120", "--threads", "1", "--json"});
  const auto json2 =
      run_cli({"simulate", "enterprise", "--runs", "120", "--threads", "2", "--json"});
  BOOST_TEST(json1.out == json2.out);
  const Json doc = Json::parse(json1.out);
  for (const char* metric : {"users_affected", "resiliency_user_ms", "disconnected_user_ms",
                             "failed_operations", "conferences_ended", "users_moved"}) {
    BOOST_TEST_CONTEXT(metric) {
      BOOST_TEST(doc["user_impact"][metric].contains("mean"));
      BOOST_TEST(doc["user_impact"][metric]["p95"] <= doc["user_impact"][metric]["max"]);
    }
  }
  BOOST_TEST(doc["user_impact"]["users_affected"]["max"].get<std::int64_t>() > 0);
}

BOOST_AUTO_TEST_CASE(shards_merge_into_the_same_user_impact) {
  const auto dir = scratch_dir("users-shards");
  std::vector<std::string> args{"merge", "--json"};
  for (int k = 1; k <= 2; ++k) {
    const std::string file = (dir / ("part" + std::to_string(k) + ".json")).string();
    const auto r = run_cli({"simulate", "enterprise", "--runs", "90", "--seed", "5", "--shard",
                            std::to_string(k) + "/2", "--partial", file});
    BOOST_TEST(r.exit_code == 0);
    args.push_back(file);
  }
  const auto whole = run_cli({"simulate", "enterprise", "--runs", "90", "--seed", "5", "--json"});
  const auto merged = run_cli(args);
  BOOST_TEST(merged.err == "");
  BOOST_TEST(merged.out == whole.out);
  BOOST_TEST(Json::parse(merged.out).contains("user_impact"));
}

BOOST_AUTO_TEST_CASE(a_bad_users_section_exits_2_with_its_pointer) {
  Json scenario = lyncupdate::test::exported_scenario("contoso");
  scenario["users"] = {{"rates_per_hour", {{"im", -3}}}, {"profile", {0.5}}};
  const auto dir = scratch_dir("users-bad");
  write_file(dir / "scenario.json", scenario.dump(2));
  const auto r = run_cli({"simulate", (dir / "scenario.json").string()});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.out == "");
  BOOST_TEST(r.err.find("/users/rates_per_hour/im: expected a rate per signed-in user and hour") !=
             std::string::npos);
  BOOST_TEST(r.err.find("/users/profile: expected an array of 24 fractions") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_routing_groups_exit_2_with_their_pointer) {
  Json scenario = lyncupdate::test::exported_scenario("contoso");
  scenario["topology"]["enterprise_pools"][0]["routing_groups"] = 0;
  const auto dir = scratch_dir("routing-groups-bad");
  write_file(dir / "scenario.json", scenario.dump(2));
  const auto r = run_cli({"simulate", (dir / "scenario.json").string()});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.out == "");
  BOOST_TEST(r.err.find("/topology/enterprise_pools/0/routing_groups: expected an integer between "
                        "1 and 10000, got 0") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
