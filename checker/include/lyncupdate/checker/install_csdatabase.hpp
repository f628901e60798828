#pragma once
/// \file
/// Reading an `Install-CsDatabase` command line, to tell which of the article's three forms
/// it is (DOMAIN.md sections 1 and 5).

#include <optional>
#include <string>
#include <string_view>

#include "lyncupdate/model/catalogue.hpp"
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

/// Reads `command` if it is one `Install-CsDatabase` command, bound as PowerShell binds it
/// against `catalogue` for `product` (binding.hpp): names compare without regard to case,
/// parameters may be abbreviated to a unique prefix, `-Switch:$false` leaves a switch unset,
/// `Lync\Install-CsDatabase` is the same cmdlet. Nothing when the command line is not one
/// command invoking Install-CsDatabase (another cmdlet, a chain of statements, an unreadable
/// line) or when there is no catalogue.
std::optional<InstallCsDatabase> parse_install_csdatabase(std::string_view command,
                                                          const model::Catalogue* catalogue,
                                                          model::Product product);

/// The exact command the article gives for `role` (DOMAIN.md section 1), with
/// `sql_server_fqdn` filled in.
std::string expected_install_csdatabase(model::Role role, std::string_view sql_server_fqdn);

/// Why `command` does not fit a server of `role` whose SQL Server is `sql_server_fqdn`, or
/// nothing when it fits.
std::optional<std::string> install_csdatabase_problem(const InstallCsDatabase& command,
                                                      model::Role role,
                                                      std::string_view sql_server_fqdn);

}  // namespace lyncupdate::check
