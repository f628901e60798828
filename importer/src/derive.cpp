// Deriving pools from the published topology (DOMAIN.md section 8). A Front End pool is a
// cluster with the UserServices and Registrar services; a single-machine one
// (IsSingleMachineOnly) is a Standard Edition server. The pool's back end is the SQL instance
// its user store (the UserStore service its UserServices depends on) is installed on; the
// monitoring and archiving stores on that same instance are collocated.

#include "lyncupdate/importer/derive.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "lyncupdate/model/fqdn.hpp"

namespace lyncupdate::importer {
namespace {

using namespace std::string_view_literals;

// DOMAIN.md section 3: the quorum table of a Front End pool ends at twelve servers.
constexpr std::size_t max_front_ends = 12;

// What people call a cluster by the first of its roles found in this order.
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kinds{{
    {"EdgeServer", "Edge"},
    {"MediationServer", "Mediation"},
    {"PersistentChatService", "Persistent Chat"},
    {"PersistentChatServer", "Persistent Chat"},
    {"WacService", "Office Web Apps"},
    {"FileStore", "file store"},
    {"Registrar", "Director"},
    {"ApplicationServer", "application server"},
    {"PstnGateway", "PSTN gateway"},
}};

class Deriver {
 public:
  Deriver(const PublishedTopology& published, const ImportProfile& profile, std::string_view file)
      : in_(published), profile_(profile), file_(file) {}

  std::expected<DerivedTopology, std::vector<loader::Diagnostic>> run() {
    index();
    check_always_on();
    for (std::size_t c = 0; c < in_.clusters.size(); ++c) {
      if (has_role_on(c, "UserServices")) derive_pool(c);
    }
    if (pool_clusters_.empty() && problems_.empty()) {
      report({1, 1},
             "the topology has no Front End pool or Standard Edition server (no cluster "
             "runs the UserServices service); expected at least one");
    }
    pair_backup_registrars();
    list_others();
    if (!problems_.empty()) return std::unexpected(std::move(problems_));
    return std::move(out_);
  }

 private:
  // Where a UniqueId points.
  struct Target {
    enum class Kind { cluster, sql_instance, service } kind;
    std::size_t index;
  };

  // A pool or Standard Edition server being derived, by cluster.
  struct PoolPlace {
    bool standard_edition = false;
    std::size_t index = 0;                 // into pools or standard_edition_servers
    std::optional<std::size_t> registrar;  // its Registrar service
    std::optional<std::size_t> backup;     // the cluster its backup registrar is on
    Position backup_at;
  };

  void index() {
    for (std::size_t i = 0; i < in_.clusters.size(); ++i) {
      ids_.emplace(in_.clusters[i].unique_id, Target{Target::Kind::cluster, i});
    }
    for (std::size_t i = 0; i < in_.sql_instances.size(); ++i) {
      ids_.emplace(in_.sql_instances[i].unique_id, Target{Target::Kind::sql_instance, i});
    }
    for (std::size_t i = 0; i < in_.services.size(); ++i) {
      ids_.emplace(in_.services[i].unique_id, Target{Target::Kind::service, i});
    }
    on_cluster_.resize(in_.clusters.size());
    on_instance_.resize(in_.sql_instances.size());
    for (std::size_t s = 0; s < in_.services.size(); ++s) {
      const PublishedService& service = in_.services[s];
      const auto target = find(service.installed_on);
      if (!target || target->kind == Target::Kind::service) {
        report(service.at,
               fmt::format("service \"{}\" ({}) is installed on \"{}\", which is no cluster or SQL "
                           "instance of the topology; expected the UniqueId of one",
                           service.unique_id, service.role, service.installed_on));
      } else if (target->kind == Target::Kind::cluster) {
        on_cluster_[target->index].push_back(s);
      } else {
        on_instance_[target->index].push_back(s);
      }
      for (const PublishedDependency& dependency : service.dependencies) {
        const auto named = find(dependency.service);
        if (!named || named->kind != Target::Kind::service) {
          report(dependency.at, fmt::format("service \"{}\" ({}) depends on \"{}\", which is no "
                                            "service of the topology; expected the UniqueId of one",
                                            service.unique_id, service.role, dependency.service));
        }
      }
      check_instance(service, service.mirror_on, "MirrorInstalledOn");
      check_instance(service, service.witness_on, "WitnessInstalledOn");
    }
  }

  void check_instance(const PublishedService& service, const std::string& id,
                      std::string_view attribute) {
    if (id.empty()) return;
    const auto target = find(id);
    if (!target || target->kind != Target::Kind::sql_instance) {
      report(service.at, fmt::format("service \"{}\" ({}) has {} \"{}\", which is no SQL instance "
                                     "of the topology; expected the UniqueId of one",
                                     service.unique_id, service.role, attribute, id));
    }
  }

  std::optional<Target> find(const std::string& id) const {
    const auto it = ids_.find(id);
    if (it == ids_.end()) return std::nullopt;
    return it->second;
  }

  // DOMAIN.md section 7: AlwaysOn availability groups are back ends only from Skype for
  // Business Server 2015.
  void check_always_on() {
    if (profile_.always_on) return;
    for (const PublishedSqlInstance& instance : in_.sql_instances) {
      if (instance.always_on_primary.empty()) continue;
      report(instance.at,
             fmt::format("unsupported layout: SQL instance \"{}\" on {} is an AlwaysOn "
                         "availability group (primary node {}); {} has no AlwaysOn back end "
                         "(DOMAIN.md section 7); expected a standalone or mirrored SQL Server",
                         instance.unique_id, cluster_fqdn(instance.cluster),
                         instance.always_on_primary, model::product_title(profile_.product)));
    }
  }

  bool has_role_on(std::size_t cluster, std::string_view role) const {
    return service_on(cluster, role).has_value();
  }

  std::optional<std::size_t> service_on(std::size_t cluster, std::string_view role) const {
    for (const std::size_t s : on_cluster_[cluster]) {
      if (in_.services[s].role == role) return s;
    }
    return std::nullopt;
  }

  // The FQDN a cluster is known by: its own, else its only machine's.
  std::string cluster_fqdn(std::size_t c) const {
    const PublishedCluster& cluster = in_.clusters[c];
    if (!cluster.fqdn.empty()) return cluster.fqdn;
    if (cluster.machines.size() == 1) return cluster.machines.front().fqdn;
    return {};
  }

  void derive_pool(std::size_t c) {
    const PublishedCluster& cluster = in_.clusters[c];
    const std::size_t before = problems_.size();
    PoolPlace place;
    place.registrar = service_on(c, "Registrar");
    const std::size_t user_services = *service_on(c, "UserServices");
    const std::string name = cluster_fqdn(c);
    if (name.empty()) {
      report(cluster.at, "a cluster running UserServices has no Fqdn; expected the pool's FQDN");
      return;
    }
    if (!place.registrar) {
      report(cluster.at, fmt::format("unsupported layout: {} runs UserServices without a "
                                     "Registrar; expected both on a Front End pool or Standard "
                                     "Edition server",
                                     name));
    }
    const auto store = user_store(user_services, name);
    if (cluster.single_machine) {
      place.standard_edition = true;
      if (cluster.machines.size() != 1) {
        report(cluster.at, fmt::format("Standard Edition server {} (IsSingleMachineOnly) has {} "
                                       "machines; expected exactly one",
                                       name, cluster.machines.size()));
      }
      declare(name, cluster.at);
      if (problems_.size() != before) return;
      place.index = out_.topology.standard_edition_servers.size();
      model::StandardEditionServer server;
      server.fqdn = model::fqdn_canonical(name);
      // The Central Management store on the server's own SQL Server Express instance.
      for (std::size_t i = 0; i < in_.sql_instances.size(); ++i) {
        if (in_.sql_instances[i].cluster != c) continue;
        for (const std::size_t s : on_instance_[i]) {
          if (in_.services[s].role == "CentralMgmtStore") server.central_management_store = true;
        }
      }
      out_.topology.standard_edition_servers.push_back(std::move(server));
      out_.standard_edition_sites.push_back(cluster.site);
    } else {
      model::EnterprisePool pool;
      pool.fqdn = model::fqdn_canonical(name);
      declare(name, cluster.at);
      read_front_ends(cluster, pool);
      if (store) read_back_end(*store, c, pool);
      if (problems_.size() != before) return;
      place.index = out_.topology.pools.size();
      out_.topology.pools.push_back(std::move(pool));
      out_.pool_sites.push_back(cluster.site);
    }
    read_backup(place);
    pool_clusters_.emplace(c, place);
  }

  // The UserStore service that `user_services` depends on.
  std::optional<std::size_t> user_store(std::size_t user_services, const std::string& pool) {
    const PublishedService& service = in_.services[user_services];
    for (const PublishedDependency& dependency : service.dependencies) {
      const auto target = find(dependency.service);
      if (target && target->kind == Target::Kind::service &&
          in_.services[target->index].role == "UserStore") {
        return target->index;
      }
    }
    report(service.at, fmt::format("the UserServices of {} depend on no UserStore service; "
                                   "expected a Dependency naming the pool's user store",
                                   pool));
    return std::nullopt;
  }

  void read_front_ends(const PublishedCluster& cluster, model::EnterprisePool& pool) {
    if (cluster.machines.empty()) {
      report(cluster.at,
             fmt::format("Enterprise pool {} has no Machine; expected its front ends", pool.fqdn));
      return;
    }
    if (cluster.machines.size() > max_front_ends) {
      report(cluster.at, fmt::format("Enterprise pool {} has {} front ends; a pool has at most {} "
                                     "(DOMAIN.md section 3)",
                                     pool.fqdn, cluster.machines.size(), max_front_ends));
    }
    std::vector<std::string> domain_names;
    for (std::size_t m = 0; m < cluster.machines.size(); ++m) {
      const PublishedMachine& machine = cluster.machines[m];
      if (machine.fqdn.empty()) {
        report(machine.at, fmt::format("machine {} of Enterprise pool {} has no Fqdn; every "
                                       "front end of a pool carries its own (only a "
                                       "single-machine cluster's machine may leave it empty)",
                                       m + 1, pool.fqdn));
        continue;
      }
      if (!declare(machine.fqdn, machine.at)) continue;
      pool.front_ends.push_back(model::fqdn_canonical(machine.fqdn));
      // Topology Builder assigns every machine an upgrade domain; one without stands alone.
      const std::string& domain =
          machine.upgrade_domain.empty() ? machine.fqdn : machine.upgrade_domain;
      const auto found = std::ranges::find(domain_names, domain);
      if (found == domain_names.end()) {
        domain_names.push_back(domain);
        pool.upgrade_domains.push_back({pool.front_ends.back()});
      } else {
        pool.upgrade_domains[static_cast<std::size_t>(found - domain_names.begin())].push_back(
            pool.front_ends.back());
      }
    }
  }

  void read_back_end(std::size_t store, std::size_t pool_cluster, model::EnterprisePool& pool) {
    const PublishedService& service = in_.services[store];
    const auto target = find(service.installed_on);
    if (!target || target->kind != Target::Kind::sql_instance) {
      if (target) {
        report(service.at, fmt::format("the user store of {} is installed on a cluster, not a SQL "
                                       "instance; expected the UniqueId of the back end's "
                                       "SqlInstance",
                                       pool.fqdn));
      }
      return;
    }
    const PublishedSqlInstance& instance = in_.sql_instances[target->index];
    if (instance.cluster == pool_cluster) {
      report(service.at, fmt::format("unsupported layout: the user store of Enterprise pool {} "
                                     "is on the pool's own cluster; expected a SQL Server back "
                                     "end",
                                     pool.fqdn));
      return;
    }
    const std::string back_end = cluster_fqdn(instance.cluster);
    const auto [it, fresh] = back_end_owner_.emplace(target->index, pool.fqdn);
    if (!fresh) {
      report(service.at, fmt::format("unsupported layout: {} and {} share the back end {}; the "
                                     "scenario format models one back end per pool",
                                     it->second, pool.fqdn, back_end));
      return;
    }
    if (!declare(back_end, in_.clusters[instance.cluster].at)) return;
    back_end_clusters_.push_back(instance.cluster);
    pool.back_end.fqdn = model::fqdn_canonical(back_end);
    if (!instance.name.empty()) {
      out_.notes.push_back(fmt::format("the back end of {} is the named SQL instance {}\\{}",
                                       pool.fqdn, pool.back_end.fqdn, instance.name));
    }
    for (const std::size_t s : on_instance_[target->index]) {
      const std::string& role = in_.services[s].role;
      const auto add = [&](model::CollocatedStore collocated) {
        if (std::ranges::find(pool.back_end.collocated_stores, collocated) ==
            pool.back_end.collocated_stores.end()) {
          pool.back_end.collocated_stores.push_back(collocated);
        }
      };
      if (role == "MonitoringStore") add(model::CollocatedStore::monitoring);
      if (role == "ArchivingStore") add(model::CollocatedStore::archiving);
      // The Central Management store on the pool's back end (scenario-format.md).
      if (role == "CentralMgmtStore") pool.central_management_store = true;
    }
    std::ranges::sort(pool.back_end.collocated_stores);
    if (!service.mirror_on.empty()) {
      pool.back_end.mirror = instance_server(service.mirror_on, true);
      // DOMAIN.md section 4: the scenario must say which it assumes; written as the shipped
      // enterprise-rollout does, and the pool's `assumed` says so.
      pool.back_end.mirrored_database_update = true;
    }
    if (!service.witness_on.empty()) {
      if (service.mirror_on.empty()) {
        report(service.at, fmt::format("the user store of {} has a witness but no mirror; "
                                       "expected MirrorInstalledOn as well",
                                       pool.fqdn));
      } else {
        pool.back_end.witness = instance_server(service.witness_on, false);
      }
    }
  }

  // The server of a SQL instance named by a store (a mirror is an update target: declared).
  std::optional<std::string> instance_server(const std::string& id, bool declared) {
    const auto target = find(id);
    if (!target || target->kind != Target::Kind::sql_instance) return std::nullopt;
    const std::size_t cluster = in_.sql_instances[target->index].cluster;
    back_end_clusters_.push_back(cluster);
    const std::string fqdn = cluster_fqdn(cluster);
    if (declared ? !declare(fqdn, in_.clusters[cluster].at)
                 : !valid(fqdn, in_.clusters[cluster].at)) {
      return std::nullopt;
    }
    return model::fqdn_canonical(fqdn);
  }

  void read_backup(PoolPlace& place) {
    if (!place.registrar) return;
    const PublishedService& registrar = in_.services[*place.registrar];
    for (const PublishedDependency& dependency : registrar.dependencies) {
      if (dependency.usage != "BackupRegistrar") continue;
      const auto target = find(dependency.service);
      if (!target || target->kind != Target::Kind::service) continue;  // reported in index()
      const PublishedService& backup = in_.services[target->index];
      const auto on = find(backup.installed_on);
      if (backup.role != "Registrar" || !on || on->kind != Target::Kind::cluster) {
        report(dependency.at, fmt::format("the backup registrar \"{}\" is a {} service; expected "
                                          "the Registrar of another pool",
                                          backup.unique_id, backup.role));
        continue;
      }
      if (place.backup) {
        report(dependency.at,
               "a second backup registrar; backup relationships are 1:1 and "
               "reciprocal (Lync Server 2013, \"Backup Registrar relationships\")");
        continue;
      }
      place.backup = on->index;
      place.backup_at = dependency.at;
    }
  }

  // DOMAIN.md section 7, "Pairing": one edition, 1:1 and reciprocal, as the loader requires.
  void pair_backup_registrars() {
    for (auto& [cluster, place] : pool_clusters_) {
      if (!place.backup) continue;
      const std::string owner = cluster_fqdn(cluster);
      const std::string backup = cluster_fqdn(*place.backup);
      const auto other = pool_clusters_.find(*place.backup);
      if (*place.backup == cluster) {
        report(place.backup_at, fmt::format("{} names itself as its backup registrar; expected "
                                            "another pool",
                                            owner));
        continue;
      }
      if (other == pool_clusters_.end()) {
        report(place.backup_at,
               fmt::format("{} has the backup registrar {}, which is no Front End pool or "
                           "Standard Edition server (a Director?); lyncupdate pairs pools only, "
                           "as Lync Server 2013 supports (\"Supported pool pairing options\")",
                           owner, backup));
        continue;
      }
      if (other->second.standard_edition != place.standard_edition) {
        report(place.backup_at,
               fmt::format("{} ({}) and its backup registrar {} ({}) are of different editions, "
                           "an unsupported pairing: Enterprise Edition pairs only with Enterprise "
                           "Edition, Standard Edition only with Standard Edition (Lync Server "
                           "2013, \"Supported pool pairing options and best practices\"); pair "
                           "them in Topology Builder or remove the pairing",
                           owner, edition(place), backup, edition(other->second)));
        continue;
      }
      if (other->second.backup != cluster) {
        report(place.backup_at,
               fmt::format("{} has the backup registrar {}, but {} {}; backup relationships are "
                           "1:1 and reciprocal (Lync Server 2013, \"Backup Registrar "
                           "relationships\"): expected {} to back up {}",
                           owner, backup, backup,
                           other->second.backup ? fmt::format("is backed up by {}",
                                                              cluster_fqdn(*other->second.backup))
                                                : std::string("has none"),
                           owner, backup));
        continue;
      }
      const std::string canonical = model::fqdn_canonical(backup);
      if (place.standard_edition) {
        out_.topology.standard_edition_servers[place.index].backup_pool = canonical;
      } else {
        out_.topology.pools[place.index].backup_pool = canonical;
      }
    }
  }

  static std::string_view edition(const PoolPlace& place) {
    return place.standard_edition ? "Standard Edition" : "Enterprise Edition";
  }

  void list_others() {
    for (std::size_t c = 0; c < in_.clusters.size(); ++c) {
      if (pool_clusters_.contains(c)) continue;
      if (std::ranges::find(back_end_clusters_, c) != back_end_clusters_.end()) continue;
      const PublishedCluster& cluster = in_.clusters[c];
      OtherServer other;
      other.fqdn = cluster_fqdn(c);
      other.site = cluster.site;
      for (const PublishedMachine& machine : cluster.machines) {
        if (!machine.fqdn.empty() && model::fqdn_key(machine.fqdn) != model::fqdn_key(other.fqdn)) {
          other.machines.push_back(machine.fqdn);
        }
      }
      const auto add_role = [&](const std::string& role) {
        if (std::ranges::find(other.roles, role) == other.roles.end()) other.roles.push_back(role);
      };
      for (const std::size_t s : on_cluster_[c]) add_role(in_.services[s].role);
      for (std::size_t i = 0; i < in_.sql_instances.size(); ++i) {
        if (in_.sql_instances[i].cluster != c) continue;
        for (const std::size_t s : on_instance_[i]) add_role(in_.services[s].role);
      }
      other.kind = kind_of(other.roles);
      out_.others.push_back(std::move(other));
    }
  }

  static std::string kind_of(const std::vector<std::string>& roles) {
    for (const auto& [role, kind] : kinds) {
      if (std::ranges::find(roles, role) != roles.end()) return std::string(kind);
    }
    if (std::ranges::any_of(roles, [](const std::string& r) { return r.ends_with("Store"); })) {
      return "SQL Server";
    }
    return roles.empty() ? "no service" : "other";
  }

  // An FQDN the scenario declares: valid, and no other server's.
  bool declare(const std::string& fqdn, Position at) {
    if (!valid(fqdn, at)) return false;
    const auto [it, fresh] = declared_.emplace(model::fqdn_key(fqdn), at);
    if (!fresh) {
      report(at, fmt::format("{} is declared again (first at line {}); expected every pool, front "
                             "end, back end and mirror to have its own FQDN",
                             fqdn, it->second.line));
      return false;
    }
    return true;
  }

  bool valid(const std::string& fqdn, Position at) {
    if (auto problem = model::fqdn_problem(fqdn)) {
      report(at, fmt::format("\"{}\" is not a valid FQDN: {}", fqdn, *problem));
      return false;
    }
    return true;
  }

  void report(Position at, std::string message) {
    problems_.push_back(problem_at(file_, at, std::move(message)));
  }

  const PublishedTopology& in_;
  const ImportProfile& profile_;
  std::string_view file_;
  std::map<std::string, Target, std::less<>> ids_;
  std::vector<std::vector<std::size_t>> on_cluster_;   // services installed on each cluster
  std::vector<std::vector<std::size_t>> on_instance_;  // services on each SQL instance
  std::map<std::size_t, PoolPlace> pool_clusters_;     // by cluster index
  std::map<std::size_t, std::string> back_end_owner_;  // SQL instance -> the pool it backs
  std::vector<std::size_t> back_end_clusters_;         // back ends, mirrors, witnesses
  std::map<std::string, Position> declared_;           // by fqdn_key
  DerivedTopology out_;
  std::vector<loader::Diagnostic> problems_;
};

}  // namespace

std::expected<DerivedTopology, std::vector<loader::Diagnostic>> derive_topology(
    const PublishedTopology& published, const ImportProfile& profile, std::string_view file) {
  return Deriver(published, profile, file).run();
}

}  // namespace lyncupdate::importer
