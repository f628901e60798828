#include "lyncupdate/model/topology.hpp"

#include <algorithm>
#include <array>

namespace lyncupdate::model {
namespace {
using namespace std::string_view_literals;
constexpr std::array<std::string_view, role_count> role_names{
    "enterprise_backend"sv, "enterprise_backend_collocated"sv, "standard_edition"sv, "front_end"sv};
}  // namespace

std::string_view store_name(CollocatedStore store) {
  return store == CollocatedStore::archiving ? "archiving"sv : "monitoring"sv;
}

std::string_view role_name(Role role) { return role_names.at(static_cast<std::size_t>(role)); }

std::optional<Role> parse_role(std::string_view name) {
  const auto it = std::ranges::find(role_names, name);
  if (it == role_names.end()) return std::nullopt;
  return static_cast<Role>(it - role_names.begin());
}

std::vector<UpdateTarget> update_targets(const Topology& topology) {
  std::vector<UpdateTarget> targets;
  for (std::size_t i = 0; i < topology.pools.size(); ++i) {
    const EnterprisePool& pool = topology.pools[i];
    // DOMAIN.md section 1: collocated Archiving or Monitoring stores select the
    // -ExcludeCollocatedStores form of Install-CsDatabase.
    const Role role = pool.back_end.collocated_stores.empty() ? Role::enterprise_backend
                                                              : Role::enterprise_backend_collocated;
    targets.push_back({pool.back_end.fqdn, role, pool.back_end.fqdn, pool.users, i, pool.fqdn});
    targets.back().mirrored_principal = pool.back_end.mirror.has_value();
    targets.back().central_management_store = pool.central_management_store;
    if (pool.back_end.mirror) {
      targets.push_back(
          {*pool.back_end.mirror, role, *pool.back_end.mirror, pool.users, i, pool.fqdn});
      targets.back().mirror = true;
      targets.back().central_management_store = pool.central_management_store;
    }
  }
  for (std::size_t i = 0; i < topology.standard_edition_servers.size(); ++i) {
    const StandardEditionServer& server = topology.standard_edition_servers[i];
    targets.push_back(
        {server.fqdn, Role::standard_edition, server.fqdn, server.users, i, server.fqdn});
    targets.back().central_management_store = server.central_management_store;
  }
  // Front ends come last, so that adding them kept the indices of the other targets.
  for (std::size_t i = 0; i < topology.pools.size(); ++i) {
    const EnterprisePool& pool = topology.pools[i];
    for (std::size_t f = 0; f < pool.front_ends.size(); ++f) {
      UpdateTarget target{pool.front_ends[f], Role::front_end, pool.back_end.fqdn, pool.users, i,
                          pool.fqdn};
      target.front_end = f;
      for (std::size_t d = 0; d < pool.upgrade_domains.size(); ++d) {
        if (std::ranges::find(pool.upgrade_domains[d], pool.front_ends[f]) !=
            pool.upgrade_domains[d].end()) {
          target.upgrade_domain = d;
        }
      }
      targets.push_back(std::move(target));
    }
  }
  return targets;
}

}  // namespace lyncupdate::model
