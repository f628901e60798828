#pragma once
/// \file
/// `lyncupdate import`: a scenario from the published topology.

#include <string>

namespace lyncupdate::app {

/// Options of `import`.
struct ImportOptions {
  std::string topology;  ///< Get-CsTopology -AsXml output or a Topology Builder .tbxml file
  std::string users;     ///< the Get-CsUser CSV; "" = estimate the users
  std::string product = "lync2013";
  std::string update_version;  ///< live.update_version; "" = not written
  std::string output;          ///< write the scenario here (atomically); "" = standard output
};

/// Runs `import`. Exit 0 written, 2 bad input or an unsupported product (nothing written),
/// 3 the file could not be written or an internal error.
int import_command(const ImportOptions& options);

}  // namespace lyncupdate::app
