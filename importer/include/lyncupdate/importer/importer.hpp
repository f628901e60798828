#pragma once
/// \file
/// `lyncupdate import`: a scenario from the published topology (and, when given, the users'
/// registrar pools), with the shipped runbooks of the product, their ASSUMED timing and the
/// sequential plan. The scenario loads as it is written: `check`, `simulate`, `verify`, `plan`
/// and `live --dry-run` take it unchanged.

#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "lyncupdate/importer/product.hpp"
#include "lyncupdate/loader/loader.hpp"

namespace lyncupdate::importer {

/// One input file: its name for messages and its bytes.
struct InputFile {
  std::string name;
  std::string bytes;
};

/// What to import.
struct ImportRequest {
  InputFile topology;              ///< Get-CsTopology -AsXml, or a Topology Builder .tbxml
  std::optional<InputFile> users;  ///< the Get-CsUser CSV; nothing: users are estimated
  ImportProfile profile;
  /// The version the cumulative update installs (`live.update_version`, which live mode's
  /// install probes need); empty: not written. Must pass model::is_update_version.
  std::string update_version;
};

/// What import wrote.
struct ImportResult {
  std::string scenario;  ///< the scenario file's text
  std::string name;      ///< the scenario's name
  /// Worth knowing before the first rehearsal, one lower-case sentence each: users of pools the
  /// topology does not have, estimated users, servers whose update is not modelled.
  std::vector<std::string> warnings;
};

/// Imports. Errors: every problem of the topology document, of the users file, or (an internal
/// error, marked so) of the scenario written; nothing is half done.
std::expected<ImportResult, std::vector<loader::Diagnostic>> import_topology(
    const ImportRequest& request);

}  // namespace lyncupdate::importer
