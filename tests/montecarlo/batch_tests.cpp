#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/montecarlo/batch.hpp"
#include "lyncupdate/montecarlo/partial.hpp"
#include "lyncupdate/montecarlo/summary.hpp"

using namespace lyncupdate;
using namespace lyncupdate::mc;

namespace {

// A scenario and its resolved plan, kept together because the plan points into it.
struct Loaded {
  std::unique_ptr<model::Scenario> scenario;
  model::ResolvedPlan plan;
};

Loaded shipped(std::string_view name) {
  auto loaded = loader::load_shipped_scenario(name);
  BOOST_REQUIRE(loaded.has_value());
  Loaded out{std::make_unique<model::Scenario>(std::move(*loaded)), {}};
  auto plan = model::resolve_plan(*out.scenario);
  BOOST_REQUIRE(plan.has_value());
  out.plan = std::move(*plan);
  return out;
}

// One Standard Edition server down for a uniform 20 to 40 minutes plus one fixed minute:
// the outage reaches 30 minutes exactly when the uniform step takes 29 or more, so
// P = 11 / 20 = 0.55.
constexpr std::string_view closed_form = R"({
  "name": "closed-form",
  "topology": {"standard_edition_servers": [{"fqdn": "se.example.com", "users": 10}]},
  "runbook": [
    {"id": "down", "title": "down", "kind": "manual", "article_step": 4,
     "on_start": {"backend": "unavailable"}},
    {"id": "up", "title": "up", "kind": "manual", "addition": "restores the server",
     "on_finish": {"backend": "available"}}
  ],
  "timing": {"steps": {"down": {"distribution": "uniform", "low_min": 20, "high_min": 40},
                       "up": {"distribution": "fixed", "minutes": 1}}},
  "plan": {"stages": [["se.example.com"]]}
})";

}  // namespace

BOOST_AUTO_TEST_SUITE(batch)

BOOST_AUTO_TEST_CASE(shards_are_contiguous_ordered_and_cover_every_run) {
  BOOST_TEST(shard_range(10, 1, 3).first == 0u);
  BOOST_TEST(shard_range(10, 1, 3).end == 3u);
  BOOST_TEST(shard_range(10, 2, 3).first == 3u);
  BOOST_TEST(shard_range(10, 2, 3).end == 6u);
  BOOST_TEST(shard_range(10, 3, 3).first == 6u);
  BOOST_TEST(shard_range(10, 3, 3).end == 10u);
  BOOST_TEST(shard_range(1'000'000, 8, 8).end == 1'000'000u);
}

BOOST_AUTO_TEST_CASE(results_do_not_depend_on_the_thread_count) {
  const Loaded c = shipped("contoso");
  const BatchResult one = run_batch(c.plan, 1, 300, {0, 300}, 1);
  const BatchResult three = run_batch(c.plan, 1, 300, {0, 300}, 3);
  const BatchResult eight = run_batch(c.plan, 1, 300, {0, 300}, 8);
  BOOST_TEST(partial_text(one) == partial_text(three));
  BOOST_TEST(partial_text(one) == partial_text(eight));
  BOOST_TEST(one.window_ms.size() == 300u);
}

BOOST_AUTO_TEST_CASE(merged_shards_equal_the_unsharded_batch) {
  const Loaded c = shipped("contoso");
  const BatchResult whole = run_batch(c.plan, 5, 100, {0, 100}, 2);
  std::vector<BatchResult> parts;
  // Out of order on purpose: merge sorts by range.
  for (const std::uint64_t k : {3u, 1u, 2u}) {
    parts.push_back(run_batch(c.plan, 5, 100, shard_range(100, k, 3), 1));
  }
  auto merged = merge_batches(std::move(parts), {"c.json", "a.json", "b.json"});
  BOOST_REQUIRE(merged.has_value());
  BOOST_TEST(partial_text(*merged) == partial_text(whole));
}

BOOST_AUTO_TEST_CASE(a_partial_result_survives_the_file_round_trip) {
  const Loaded c = shipped("contoso");
  const BatchResult part = run_batch(c.plan, 9, 50, shard_range(50, 2, 2), 2);
  const auto dir = std::filesystem::temp_directory_path() / "lyncupdate-mc-partial";
  std::filesystem::create_directories(dir);
  const auto file = dir / "part.json";
  BOOST_REQUIRE(write_partial(file, part).has_value());
  BOOST_TEST(!std::filesystem::exists(dir / "part.json.tmp"));
  auto read = read_partial(file);
  BOOST_REQUIRE(read.has_value());
  BOOST_TEST(partial_text(*read) == partial_text(part));
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(merge_refuses_other_scenarios_seeds_overlaps_and_gaps) {
  const Loaded c = shipped("contoso");
  const Loaded e = shipped("enterprise");
  const auto part = [&](const Loaded& l, std::uint64_t seed, RunRange r) {
    return run_batch(l.plan, seed, 10, r, 1);
  };
  auto other_scenario = merge_batches({part(c, 1, {0, 5}), part(e, 1, {5, 10})}, {"a", "b"});
  BOOST_REQUIRE(!other_scenario.has_value());
  BOOST_TEST(other_scenario.error().message.find("b is from scenario enterprise with hash") == 0u);
  auto other_seed = merge_batches({part(c, 1, {0, 5}), part(c, 2, {5, 10})}, {"a", "b"});
  BOOST_REQUIRE(!other_seed.has_value());
  BOOST_TEST(other_seed.error().message ==
             "b was run with seed 2, but a with seed 1; every shard of a batch must use the "
             "same seed");
  auto overlap = merge_batches({part(c, 1, {0, 6}), part(c, 1, {5, 10})}, {"a", "b"});
  BOOST_REQUIRE(!overlap.has_value());
  BOOST_TEST(overlap.error().message ==
             "b (runs 5 to 9) overlaps a (runs 0 to 5); each run must be merged once");
  auto gap = merge_batches({part(c, 1, {0, 4}), part(c, 1, {5, 10})}, {"a", "b"});
  BOOST_REQUIRE(!gap.has_value());
  BOOST_TEST(gap.error().message ==
             "runs 4 to 4 of the batch of 10 are missing: no partial result covers them");
  auto tail = merge_batches({part(c, 1, {0, 5})}, {"a"});
  BOOST_REQUIRE(!tail.has_value());
  BOOST_TEST(tail.error().message ==
             "runs 5 to 9 of the batch of 10 are missing: no partial result covers them");
}

BOOST_AUTO_TEST_CASE(the_estimate_of_a_closed_form_case_falls_in_its_interval) {
  auto loaded = loader::load_scenario_text(closed_form, "closed-form.json", {});
  BOOST_REQUIRE(loaded.has_value());
  auto plan = model::resolve_plan(*loaded);
  BOOST_REQUIRE(plan.has_value());
  const BatchResult b = run_batch(*plan, 1, 4000, {0, 4000}, 2);
  const BatchSummary s = summarize(b);
  BOOST_TEST(s.limit_interval.low <= 0.55);
  BOOST_TEST(s.limit_interval.high >= 0.55);
  // The uniform step spans 20 to 40 minutes; the outage adds one.
  BOOST_TEST(s.longest_outage[0].max <= 41 * 60'000);
  BOOST_TEST(s.longest_outage[0].p50 >= 21 * 60'000);
}

BOOST_AUTO_TEST_CASE(enterprise_loads_and_runs) {
  const Loaded e = shipped("enterprise");
  BOOST_TEST(e.scenario->topology.pools.size() == 3u);
  BOOST_TEST(e.scenario->topology.pools[0].front_ends.size() == 8u);
  BOOST_TEST(e.scenario->topology.pools[1].front_ends.size() == 8u);
  BOOST_TEST(e.scenario->topology.pools[2].front_ends.size() == 12u);
  BOOST_TEST(e.scenario->topology.standard_edition_servers.size() == 4u);
  std::int64_t users = 0;
  for (const auto& p : e.scenario->topology.pools) users += p.users;
  for (const auto& s : e.scenario->topology.standard_edition_servers) users += s.users;
  BOOST_TEST(users == 120'000);
  BOOST_TEST(e.plan.servers.size() == 8u);  // three back ends, the mirror, four SE servers
  const BatchResult b = run_batch(e.plan, 1, 100, {0, 100}, 2);
  BOOST_TEST(b.longest_outage_ms.size() == 8u);
  BOOST_TEST(summarize(b).window.p50 > 0);
}

BOOST_AUTO_TEST_SUITE_END()
