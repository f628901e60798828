#pragma once
/// \file
/// The deployment: Enterprise Edition pools with their back ends, and Standard Edition servers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lyncupdate::model {

/// A store that may share the back end's SQL Server instance (DOMAIN.md section 1: it decides
/// the `Install-CsDatabase` variant).
enum class CollocatedStore : std::uint8_t { archiving, monitoring };

/// The JSON name of a store: "archiving" or "monitoring".
std::string_view store_name(CollocatedStore store);

/// The SQL Server back end of an Enterprise Edition pool.
struct BackEnd {
  std::string fqdn;                                ///< the SQL Server's FQDN
  std::optional<std::string> mirror;               ///< FQDN of the mirror, if mirrored
  std::vector<CollocatedStore> collocated_stores;  ///< stores on the same SQL instance
  /// Whether `Install-CsDatabase -Update` may run against the mirrored databases: the cmdlet
  /// reference says it cannot, community notes say it can from CU2 (DOMAIN.md section 4), so
  /// a scenario that updates a mirrored principal with the mirrored runbook must say which it
  /// assumes. Nothing: not stated.
  std::optional<bool> mirrored_database_update;
  /// FQDN of the SQL Server mirroring witness, if the pair has one (needs `mirror`). With a
  /// witness, mirroring fails over automatically when the principal is lost, targeting an RTO
  /// of 5 minutes (DOMAIN.md section 2); TimingModel::automatic_failover says how long it takes.
  std::optional<std::string> witness;
};

/// An Enterprise Edition Front End pool.
struct EnterprisePool {
  std::string fqdn;
  std::vector<std::string> front_ends;  ///< FQDNs in topology order (the "first N" order)
  /// FQDNs of front ends grouped into upgrade domains, updated one domain at a time
  /// (DOMAIN.md section 3). Every front end belongs to exactly one domain.
  std::vector<std::vector<std::string>> upgrade_domains;
  std::int64_t users = 0;  ///< users homed on the pool
  BackEnd back_end;
  /// Routing groups of the pool's users (DOMAIN.md section 3), 1 to max_routing_groups; 0: not
  /// given, the ASSUMED default of routing_groups.hpp (routing_group_count).
  std::int64_t routing_groups = 0;
  /// FQDN of the paired Enterprise Edition pool, if any: pairs are of one edition, 1:1 and
  /// reciprocal (DOMAIN.md section 7, "Pairing"). The rehearsal does not model a pool
  /// failover to it.
  std::optional<std::string> backup_pool;
  /// Whether the pool's back end holds the Central Management store, which the deployment has
  /// one of (docs/domain-notes.md, "The Central Management store"): a failover of a mirrored
  /// back end then fails the store over too (`-DatabaseType CentralMgmt`, JJ204991).
  bool central_management_store = false;
};

/// A Standard Edition server: front end and back end in one box (DOMAIN.md section 2).
struct StandardEditionServer {
  std::string fqdn;
  std::int64_t users = 0;
  /// FQDN of the paired Standard Edition server, if any: pairs are of one edition, 1:1 and
  /// reciprocal (DOMAIN.md section 7, "Pairing"); its users re-register there (DOMAIN.md
  /// section 2).
  std::optional<std::string> backup_pool;
  /// Whether the server holds the Central Management store (as EnterprisePool's).
  bool central_management_store = false;
};

/// Every server of the deployment that the toolkit knows about.
struct Topology {
  std::vector<EnterprisePool> pools;
  std::vector<StandardEditionServer> standard_edition_servers;
};

/// What a server is, for choosing the `Install-CsDatabase` form (DOMAIN.md section 1).
enum class Role : std::uint8_t {
  enterprise_backend,             ///< EE back end, no collocated store
  enterprise_backend_collocated,  ///< EE back end holding Archiving or Monitoring stores
  standard_edition,               ///< Standard Edition server
  front_end,  ///< a front end of an Enterprise Edition pool (DOMAIN.md section 3)
};

/// How many roles there are.
inline constexpr std::size_t role_count = 4;

/// The JSON name of a role, e.g. "standard_edition".
std::string_view role_name(Role role);

/// The role called `name`, if any.
std::optional<Role> parse_role(std::string_view name);

/// A server that a plan can update, located in the topology.
struct UpdateTarget {
  std::string fqdn;
  Role role{};
  /// The SQL Server FQDN that `Install-CsDatabase -SqlServerFqdn` must name: the back end's
  /// own FQDN, or the Standard Edition server's.
  std::string sql_server_fqdn;
  /// Users whose back end this server is; a front end: the users of its pool.
  std::int64_t users = 0;
  /// Index into Topology::pools of the pool it serves, or of the SE server.
  std::size_t index = 0;
  /// The pool's FQDN (`{pool_fqdn}` in commands); a Standard Edition server is its own pool.
  std::string pool_fqdn;
  /// Front ends: index into the pool's `front_ends` (topology order) and into its
  /// `upgrade_domains`; 0 for other roles.
  std::size_t front_end = 0;
  std::size_t upgrade_domain = 0;
  /// A pool's principal back end that has a mirror (DOMAIN.md section 4).
  bool mirrored_principal = false;
  /// A pool's mirror: its own outage costs the users nothing while the principal serves the
  /// pool (DOMAIN.md sections 2 and 4), so it is not judged against the outage limit; a mirror
  /// that goes down while it serves is `mirror-pair-down`.
  bool mirror = false;
  /// The server holds the Central Management store: the back end and the mirror of the pool
  /// that hosts it, or the Standard Edition server that does; never a front end.
  bool central_management_store = false;
};

/// Every server a plan may name: each pool's back end (and mirror) and each SE server, in
/// topology order, then every pool's front ends, pool by pool in topology order.
std::vector<UpdateTarget> update_targets(const Topology& topology);

}  // namespace lyncupdate::model
