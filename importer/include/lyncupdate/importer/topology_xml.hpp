#pragma once
/// \file
/// The published topology as the document says it: sites, clusters with their machines and SQL
/// instances, services with what they are installed on and depend on (DOMAIN.md section 8).
/// Nothing is judged here beyond the document's shape; derive.hpp makes pools of it.
///
/// Both forms are read: the `Topology` document that `Get-CsTopology -AsXml` prints, and the
/// `.tbxml` file Topology Builder saves (`TopologyBuilder/NewTopology/PartialTopology`; its
/// `OldTopology` is ignored). Elements are matched by local name within the documented
/// namespace URIs, never by prefix: `t:Cluster` and a `Cluster` under a default namespace are
/// the same element when their prefixes resolve to the same URI.

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "lyncupdate/importer/text.hpp"
#include "lyncupdate/loader/loader.hpp"

namespace lyncupdate::importer {

/// The documented namespaces (DOMAIN.md section 8).
inline constexpr std::string_view topology_namespace =
    "urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008";
inline constexpr std::string_view writable_topology_namespace =
    "urn:schema:Microsoft.Rtc.Management.Deploy.WritableTopology.2008";
inline constexpr std::string_view topology_builder_namespace =
    "urn:schema:Microsoft.Rtc.Management.Deploy.TopologyBuilder.2008";

/// A `Machine` of a cluster.
struct PublishedMachine {
  std::string fqdn;            ///< as written; empty when the element has none
  std::string upgrade_domain;  ///< `UpgradeDomain`; empty when not given
  Position at;
};

/// A `SqlInstance` of a cluster.
struct PublishedSqlInstance {
  std::string unique_id;
  std::string name;     ///< empty: the default instance
  std::size_t cluster;  ///< index into PublishedTopology::clusters
  /// `AlwaysOnPrimaryNodeFqdn`: the instance is an AlwaysOn availability group listener (a
  /// community reading of the attribute: SfBAutomatedLab, rlevchenko's deployment script).
  std::string always_on_primary;
  Position at;
};

/// A `Cluster`: a pool, a Standard Edition server, a SQL Server, an Edge pool...
struct PublishedCluster {
  std::string fqdn;
  std::string unique_id;
  bool single_machine = false;             ///< `IsSingleMachineOnly="true"`
  std::string site;                        ///< the `Name` of its `CentralSite`; empty when none
  std::vector<PublishedMachine> machines;  ///< in document (topology) order
  Position at;
};

/// A `Dependency` of a service.
struct PublishedDependency {
  std::string service;  ///< `ServiceUniqueId`
  std::string usage;    ///< `Usage`
  Position at;
};

/// A `Service`.
struct PublishedService {
  std::string role;          ///< `RoleName`: UserServices, Registrar, UserStore, EdgeServer...
  std::string unique_id;     ///< `UniqueId`
  std::string installed_on;  ///< `InstalledOn`: a cluster's or a SQL instance's UniqueId
  /// `MirrorInstalledOn`, `WitnessInstalledOn` of a store: the SQL instances of its mirror and
  /// of the mirroring witness (the project's reading; DOMAIN.md section 8 does not name them).
  std::string mirror_on;
  std::string witness_on;
  std::vector<PublishedDependency> dependencies;
  Position at;
};

/// One topology document.
struct PublishedTopology {
  std::vector<PublishedCluster> clusters;
  std::vector<PublishedSqlInstance> sql_instances;
  std::vector<PublishedService> services;
};

/// Reads a topology document from the file's bytes (UTF-8 or UTF-16 with a byte-order mark).
/// Errors, all of them, as `file:line:col: error: ...`: malformed XML, a root that is neither
/// form, a machine or SQL instance outside a cluster, a cluster, instance or service without
/// its `UniqueId`, two with the same one.
std::expected<PublishedTopology, std::vector<loader::Diagnostic>> read_topology_xml(
    std::string_view bytes, std::string_view file);

}  // namespace lyncupdate::importer
