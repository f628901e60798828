#pragma once
/// \file
/// From the published topology to the scenario's: which clusters are Enterprise pools and
/// Standard Edition servers, each pool's front ends and upgrade domains, back end, collocated
/// stores, mirror and witness, backup registrar pairs, site; and the servers of every other
/// role, which the scenario lists but does not update (DOMAIN.md section 8).

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "lyncupdate/importer/product.hpp"
#include "lyncupdate/importer/topology_xml.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/model/topology.hpp"

namespace lyncupdate::importer {

/// A cluster whose update the scenario does not model (Edge, Director, Mediation, Persistent
/// Chat, Office Web Apps, file stores, other SQL Servers).
struct OtherServer {
  std::string kind;                   ///< what people call it: "Edge", "Director", ...
  std::string fqdn;                   ///< the cluster's FQDN, else its machines'
  std::string site;                   ///< empty when the document gives none
  std::vector<std::string> machines;  ///< FQDNs of its machines, when they differ from `fqdn`
  std::vector<std::string> roles;     ///< RoleName of each service on it, in document order
};

/// What the published topology gives the scenario. Users are not known here: every `users`
/// is 0 (importer.hpp sets them).
struct DerivedTopology {
  model::Topology topology;
  std::vector<std::string> pool_sites;              ///< per pool of `topology`
  std::vector<std::string> standard_edition_sites;  ///< per Standard Edition server
  std::vector<OtherServer> others;                  ///< in document order
  /// Facts the scenario format has no key for, one sentence each (a named SQL instance).
  std::vector<std::string> notes;
};

/// Derives the scenario's topology. Errors, every one, at the element's line and column: a
/// service installed on or depending on an unknown UniqueId; a pool without a registrar or a
/// user store; a machine of an Enterprise pool without an FQDN; more than 12 front ends; two
/// pools on one back end; an AlwaysOn availability group where `profile` has none; a backup
/// registrar that is not a pool of the same edition, 1:1 and reciprocal; an invalid or repeated
/// FQDN; no pool at all.
std::expected<DerivedTopology, std::vector<loader::Diagnostic>> derive_topology(
    const PublishedTopology& published, const ImportProfile& profile, std::string_view file);

}  // namespace lyncupdate::importer
