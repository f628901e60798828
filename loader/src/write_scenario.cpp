// Writing a scenario from values (loader.hpp, ScenarioDocument): the loader owns the format in
// both directions, so the keys written here are the ones read_topology.cpp and
// read_scenario.cpp read.

#include <algorithm>

#include <fmt/format.h>

#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/scenarios/shipped.hpp"
#include "problems.hpp"

namespace lyncupdate::loader {
namespace {

using detail::Json;

// Minutes as the format writes them: whole numbers without a fraction.
Json minutes_json(Duration duration) {
  const auto ms = duration.count();
  if (ms % 60'000 == 0) return Json(ms / 60'000);
  return Json(static_cast<double>(ms) / 60'000.0);
}

std::string clock_time(Duration since_midnight) {
  const auto total = since_midnight.count() / 60'000;
  return fmt::format("{:02}:{:02}", total / 60, total % 60);
}

Json back_end_json(const model::BackEnd& back_end) {
  Json out{{"fqdn", back_end.fqdn}};
  if (back_end.mirror) out["mirror"] = *back_end.mirror;
  if (back_end.witness) out["witness"] = *back_end.witness;
  if (back_end.mirrored_database_update) {
    out["mirrored_database_update"] = *back_end.mirrored_database_update;
  }
  if (!back_end.collocated_stores.empty()) {
    Json stores = Json::array();
    for (const model::CollocatedStore store : back_end.collocated_stores) {
      stores.push_back(model::store_name(store));
    }
    out["collocated_stores"] = std::move(stores);
  }
  return out;
}

Json pool_json(const model::EnterprisePool& pool) {
  Json out{{"fqdn", pool.fqdn}};
  if (pool.backup_pool) out["backup_pool"] = *pool.backup_pool;
  out["front_ends"] = pool.front_ends;
  out["upgrade_domains"] = pool.upgrade_domains;
  out["users"] = pool.users;
  if (pool.routing_groups != 0) out["routing_groups"] = pool.routing_groups;
  out["back_end"] = back_end_json(pool.back_end);
  if (pool.central_management_store) out["central_management_store"] = true;
  if (!pool.assumed.empty()) out["assumed"] = pool.assumed;
  return out;
}

Json standard_edition_json(const model::StandardEditionServer& server) {
  Json out{{"fqdn", server.fqdn}, {"users", server.users}};
  if (server.backup_pool) out["backup_pool"] = *server.backup_pool;
  if (server.central_management_store) out["central_management_store"] = true;
  if (!server.assumed.empty()) out["assumed"] = server.assumed;
  return out;
}

Json topology_json(const model::Topology& topology) {
  Json out = Json::object();
  if (!topology.pools.empty()) {
    Json pools = Json::array();
    for (const auto& pool : topology.pools) pools.push_back(pool_json(pool));
    out["enterprise_pools"] = std::move(pools);
  }
  if (!topology.standard_edition_servers.empty()) {
    Json servers = Json::array();
    for (const auto& server : topology.standard_edition_servers) {
      servers.push_back(standard_edition_json(server));
    }
    out["standard_edition_servers"] = std::move(servers);
  }
  return out;
}

Json limits_json(const model::Limits& limits) {
  Json out{{"backend_outage_limit_min", minutes_json(limits.backend_outage_limit)},
           {"window", Json{{"start", clock_time(limits.window_start)},
                           {"length_min", minutes_json(limits.window_length)}}}};
  if (limits.max_servers_down) out["max_servers_down"] = *limits.max_servers_down;
  return out;
}

}  // namespace

std::expected<std::string, std::vector<Diagnostic>> scenario_document_text(
    const ScenarioDocument& document) {
  const auto shipped = scenarios::shipped_file(document.timing_from);
  if (!shipped) {
    Diagnostic diagnostic;
    diagnostic.file = fmt::format("<shipped:{}>", document.timing_from);
    diagnostic.message = "no such shipped scenario to take the timing from";
    diagnostic.internal = true;
    return std::unexpected(std::vector<Diagnostic>{std::move(diagnostic)});
  }
  const Json source = Json::parse(*shipped);
  // Only the steps of the runbooks the document names: the loader refuses timing for others.
  std::vector<std::string> ids;
  for (const std::string* runbook :
       {&document.runbook, document.front_end_runbook ? &*document.front_end_runbook : nullptr,
        document.mirrored_backend_runbook ? &*document.mirrored_backend_runbook : nullptr,
        document.mirror_runbook ? &*document.mirror_runbook : nullptr}) {
    if (runbook == nullptr) continue;
    const auto text = scenarios::shipped_file("runbooks/" + *runbook);
    if (!text) continue;  // the loader reports an unknown runbook when it reads the document
    for (const Json& step : Json::parse(*text)) ids.push_back(step.at("id").get<std::string>());
  }
  Json timing = Json::object();
  if (source["timing"].contains("assumed")) timing["assumed"] = source["timing"]["assumed"];
  Json steps = Json::object();
  for (const auto& [id, step] : source["timing"]["steps"].items()) {
    if (std::ranges::find(ids, id) != ids.end()) steps[id] = step;
  }
  timing["steps"] = std::move(steps);

  Json out{{"name", document.name}, {"description", document.description}};
  out["seed"] = 1;
  out["topology"] = topology_json(document.topology);
  out["runbook"] = document.runbook;
  if (document.front_end_runbook) out["front_end_runbook"] = *document.front_end_runbook;
  if (document.mirrored_backend_runbook) {
    out["mirrored_backend_runbook"] = *document.mirrored_backend_runbook;
  }
  if (document.mirror_runbook) out["mirror_runbook"] = *document.mirror_runbook;
  out["timing"] = std::move(timing);
  Json plan{{"stages", document.plan.stages}};
  if (document.plan.operators) plan["operators"] = *document.plan.operators;
  out["plan"] = std::move(plan);
  out["limits"] = limits_json(document.limits);
  if (!document.live.update_version.empty()) {
    out["live"] = Json{{"update_version", document.live.update_version}};
  }
  return out.dump(2) + "\n";
}

}  // namespace lyncupdate::loader
