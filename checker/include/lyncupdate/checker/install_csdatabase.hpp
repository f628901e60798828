#pragma once
/// \file
/// Reading an `Install-CsDatabase` command line, to tell which of the article's three forms
/// it is (DOMAIN.md sections 1 and 5).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lyncupdate/checker/runbook_analysis.hpp"
#include "lyncupdate/checker/violation.hpp"
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
  /// The parameters above as named in the article ("Update", "SqlServerFqdn", ...), in the
  /// order the command gives them.
  std::vector<std::string> order;
  /// A parameter given as `-Name:value` (a switch as `-Update:$true`) rather than as the
  /// article writes it.
  bool inline_value = false;
  /// Words the role check does not read: other parameters and their values.
  std::size_t other_words = 0;
};

/// Something to say about a command that fits its role (install_csdatabase_problem found
/// nothing): a warning or a note, never an error.
struct InstallCsDatabaseRemark {
  std::string_view rule;  ///< rules::database_variant or rules::equivalent_form
  Severity severity = Severity::info;
  std::string message;  ///< one line, lower-case
  friend bool operator==(const InstallCsDatabaseRemark&, const InstallCsDatabaseRemark&) = default;
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
/// nothing when it fits. Only errors: whether `-ExcludeCollocatedStores` is there or not never
/// makes a back end's form wrong (install_csdatabase_remarks).
std::optional<std::string> install_csdatabase_problem(const InstallCsDatabase& command,
                                                      model::Role role,
                                                      std::string_view sql_server_fqdn);

/// What to say about a command that fits (install_csdatabase_problem gives nothing):
///   - a warning when a back end with collocated stores runs it without
///     `-ExcludeCollocatedStores`: the article gives the switch for that role (DOMAIN.md
///     section 1), and the cmdlet reference says it only suppresses a warning;
///   - a note when a back end without collocated stores runs it with the switch: it changes
///     nothing there (the same two sources);
///   - a note when the command is the article's form written another way (parameters in
///     another order, `-Update:$true`, `-SqlServerFqdn:<fqdn>`): it does the same.
std::vector<InstallCsDatabaseRemark> install_csdatabase_remarks(const InstallCsDatabase& command,
                                                                model::Role role,
                                                                std::string_view sql_server_fqdn);

}  // namespace lyncupdate::check
