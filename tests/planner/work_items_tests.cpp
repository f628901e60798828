// Work items and their constraints, read from the topology.

#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/planner/work_items.hpp"

using namespace lyncupdate;
using planner::ItemKind;

namespace {

model::Scenario shipped(std::string_view name) {
  auto loaded = loader::load_shipped_scenario(name);
  BOOST_REQUIRE(loaded.has_value());
  return std::move(*loaded);
}

std::vector<std::string> item_names(const std::vector<planner::WorkItem>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(item.name);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(work_items)

BOOST_AUTO_TEST_CASE(enterprise_has_one_item_per_back_end_mirror_and_standard_edition_server) {
  const model::Scenario scenario = shipped("enterprise");
  const auto items = planner::work_items(scenario);
  BOOST_TEST(item_names(items) ==
             (std::vector<std::string>{"sql01.fabrikam.com", "sql02.fabrikam.com",
                                       "sql02-mirror.fabrikam.com", "sql03.fabrikam.com",
                                       "se01.fabrikam.com", "se02.fabrikam.com",
                                       "se03.fabrikam.com", "se04.fabrikam.com"}));
  BOOST_TEST((items[1].kind == ItemKind::back_end));
  BOOST_TEST((items[2].kind == ItemKind::mirror));
  BOOST_TEST((items[4].kind == ItemKind::standard_edition));
  BOOST_TEST(items[2].servers == (std::vector<std::string>{"sql02-mirror.fabrikam.com"}));
  BOOST_TEST(items[2].index == 1u);

  const planner::Constraints constraints = planner::constraints(scenario, items);
  BOOST_TEST((constraints.precedences ==
              (std::vector<planner::Precedence>{
                  {2, 1,
                   "DOMAIN.md section 4, community practice: update the mirror, then the "
                   "principal, which fails over to the updated mirror meanwhile"}})));
  BOOST_TEST(constraints.conflicts.empty());
  BOOST_TEST(!constraints.max_servers_per_stage.has_value());
  BOOST_TEST(constraints.operators == 0u);
}

BOOST_AUTO_TEST_CASE(limits_and_operators_become_constraints) {
  model::Scenario scenario = shipped("contoso");
  scenario.limits.max_servers_down = 3;
  scenario.plan.operators = 2;
  const auto constraints = planner::constraints(scenario, planner::work_items(scenario));
  BOOST_TEST((constraints.max_servers_per_stage == std::optional<std::size_t>(3)));
  BOOST_TEST(constraints.operators == 2u);
}

BOOST_AUTO_TEST_CASE(with_a_front_end_runbook_each_upgrade_domain_is_one_item) {
  model::Scenario scenario = shipped("contoso");
  // Without a front-end runbook the front ends cannot be planned, so they are no items.
  BOOST_TEST(planner::work_items(scenario).size() == 3u);

  scenario.front_end_runbook = scenario.runbook;
  model::EnterprisePool& pool = scenario.topology.pools.at(0);
  pool.front_ends = {"fe01.contoso.com", "fe02.contoso.com", "fe03.contoso.com"};
  // The second domain holds the first front end: domains are updated in the order the pool
  // lists them, not in the order their front ends come.
  pool.upgrade_domains = {{"fe03.contoso.com"}, {"fe01.contoso.com", "fe02.contoso.com"}};
  const auto items = planner::work_items(scenario);
  BOOST_TEST(item_names(items) ==
             (std::vector<std::string>{"sql01.contoso.com", "se01.contoso.com", "se02.contoso.com",
                                       "pool01.contoso.com upgrade domain 2",
                                       "pool01.contoso.com upgrade domain 1"}));
  BOOST_TEST((items[3].kind == ItemKind::upgrade_domain));
  BOOST_TEST(items[3].servers ==
             (std::vector<std::string>{"fe01.contoso.com", "fe02.contoso.com"}));
  BOOST_TEST(items[4].servers == (std::vector<std::string>{"fe03.contoso.com"}));
  BOOST_TEST(items[3].upgrade_domain == 1u);

  const auto constraints = planner::constraints(scenario, items);
  BOOST_REQUIRE(constraints.precedences.size() == 1u);
  BOOST_TEST(constraints.precedences[0].before == 4u);
  BOOST_TEST(constraints.precedences[0].after == 3u);
  BOOST_TEST(constraints.precedences[0].reason ==
             "DOMAIN.md section 3: a pool's upgrade domains are updated one at a time, in the "
             "order the topology lists them");
  BOOST_REQUIRE(constraints.conflicts.size() == 2u);
  BOOST_TEST(constraints.conflicts[0].first == 0u);
  BOOST_TEST(constraints.conflicts[0].second == 4u);
  BOOST_TEST(constraints.conflicts[1].second == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
