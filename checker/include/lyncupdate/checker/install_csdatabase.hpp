#pragma once
/// \file
/// Reading an `Install-CsDatabase` command line, to tell which of the article's three forms
/// it is (DOMAIN.md sections 1 and 5).

#include <optional>
#include <string>
#include <string_view>

#include "lyncupdate/model/topology.hpp"

namespace lyncupdate::check {

/// The parameters of one `Install-CsDatabase` command that matter for the role check.
struct InstallCsDatabase {
  bool update = false;                         ///< -Update
  bool configured_databases = false;           ///< -ConfiguredDatabases
  bool local_databases = false;                ///< -LocalDatabases
  bool exclude_collocated_stores = false;      ///< -ExcludeCollocatedStores
  std::optional<std::string> sql_server_fqdn;  ///< value of -SqlServerFqdn
};

/// Parses `command` if it is an `Install-CsDatabase` invocation (cmdlet and parameter names
/// compare without regard to case, as in PowerShell); nothing otherwise.
std::optional<InstallCsDatabase> parse_install_csdatabase(std::string_view command);

/// The exact command the article gives for `role` (DOMAIN.md section 1), with
/// `sql_server_fqdn` filled in.
std::string expected_install_csdatabase(model::Role role, std::string_view sql_server_fqdn);

/// Why `command` does not fit a server of `role` whose SQL Server is `sql_server_fqdn`, or
/// nothing when it fits.
std::optional<std::string> install_csdatabase_problem(const InstallCsDatabase& command,
                                                      model::Role role,
                                                      std::string_view sql_server_fqdn);

}  // namespace lyncupdate::check
