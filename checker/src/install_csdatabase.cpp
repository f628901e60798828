#include "lyncupdate/checker/install_csdatabase.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "lyncupdate/model/fqdn.hpp"

namespace lyncupdate::check {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Splits a PowerShell command line into words; a quoted word loses its quotes.
std::vector<std::string> words(std::string_view command) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < command.size()) {
    while (i < command.size() && std::isspace(static_cast<unsigned char>(command[i]))) ++i;
    if (i >= command.size()) break;
    std::string word;
    while (i < command.size() && !std::isspace(static_cast<unsigned char>(command[i]))) {
      const char c = command[i];
      if (c == '"' || c == '\'') {
        const std::size_t close = command.find(c, i + 1);
        const std::size_t end = close == std::string_view::npos ? command.size() : close;
        word.append(command.substr(i + 1, end - i - 1));
        i = end == command.size() ? end : end + 1;
      } else {
        word.push_back(c);
        ++i;
      }
    }
    out.push_back(std::move(word));
  }
  return out;
}

std::string_view form_name(model::Role role) {
  switch (role) {
    case model::Role::enterprise_backend:
      return "the form for an Enterprise Edition back end without collocated stores";
    case model::Role::enterprise_backend_collocated:
      return "the form for an Enterprise Edition back end with collocated stores";
    case model::Role::standard_edition:
      return "the Standard Edition form";
    case model::Role::front_end:
      return "no form: a front end updates no database";
  }
  return "";
}

std::string_view role_description(model::Role role) {
  switch (role) {
    case model::Role::enterprise_backend:
      return "an Enterprise Edition back end without collocated stores";
    case model::Role::enterprise_backend_collocated:
      return "an Enterprise Edition back end with collocated Archiving or Monitoring stores";
    case model::Role::standard_edition:
      return "a Standard Edition server";
    case model::Role::front_end:
      return "a front end";
  }
  return "";
}

}  // namespace

std::optional<InstallCsDatabase> parse_install_csdatabase(std::string_view command) {
  const std::vector<std::string> w = words(command);
  if (w.empty() || !iequals(w[0], "Install-CsDatabase")) return std::nullopt;
  InstallCsDatabase out;
  const std::array<std::pair<std::string_view, bool InstallCsDatabase::*>, 4> switches{{
      {"Update", &InstallCsDatabase::update},
      {"ConfiguredDatabases", &InstallCsDatabase::configured_databases},
      {"LocalDatabases", &InstallCsDatabase::local_databases},
      {"ExcludeCollocatedStores", &InstallCsDatabase::exclude_collocated_stores},
  }};
  for (std::size_t i = 1; i < w.size(); ++i) {
    std::string_view word = w[i];
    if (word.empty() || word[0] != '-') {
      ++out.other_words;
      continue;
    }
    std::string_view name = word.substr(1);
    std::optional<std::string> inline_value;
    if (const auto colon = name.find(':'); colon != std::string_view::npos) {
      inline_value = std::string(name.substr(colon + 1));
      name = name.substr(0, colon);
    }
    const auto known = std::ranges::find_if(
        switches, [&](const auto& entry) { return iequals(name, entry.first); });
    if (known != switches.end()) {
      // PowerShell: a switch given `:$false` is not set (about_Parameters).
      const bool set = !inline_value || !iequals(*inline_value, "$false");
      out.*(known->second) = set;
      out.inline_value = out.inline_value || inline_value.has_value();
      if (set) out.order.emplace_back(known->first);
    } else if (iequals(name, "SqlServerFqdn")) {
      out.order.emplace_back("SqlServerFqdn");
      if (inline_value) {
        out.sql_server_fqdn = *inline_value;
        out.inline_value = true;
      } else if (i + 1 < w.size()) {
        out.sql_server_fqdn = w[++i];
      } else {
        out.sql_server_fqdn = std::string();
      }
    } else {
      ++out.other_words;
    }
  }
  return out;
}

std::string expected_install_csdatabase(model::Role role, std::string_view sql_server_fqdn) {
  switch (role) {
    case model::Role::enterprise_backend:
      return fmt::format("Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn {}",
                         sql_server_fqdn);
    case model::Role::enterprise_backend_collocated:
      return fmt::format(
          "Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn {} "
          "-ExcludeCollocatedStores",
          sql_server_fqdn);
    case model::Role::standard_edition:
      return "Install-CsDatabase -Update -LocalDatabases";
    case model::Role::front_end:
      break;
  }
  return {};
}

std::optional<std::string> install_csdatabase_problem(const InstallCsDatabase& command,
                                                      model::Role role,
                                                      std::string_view sql_server_fqdn) {
  // DOMAIN.md section 1: the databases are updated from the back end or the Standard Edition
  // server; a front end's runbook has no Install-CsDatabase step.
  if (role == model::Role::front_end) {
    return fmt::format(
        "a front end updates no database: Install-CsDatabase -Update runs once "
        "for the pool, on its back end {}",
        sql_server_fqdn);
  }
  const std::string expected = expected_install_csdatabase(role, sql_server_fqdn);
  std::optional<model::Role> form;
  if (command.local_databases && !command.configured_databases) {
    form = model::Role::standard_edition;
  } else if (command.configured_databases && !command.local_databases) {
    // Whether -ExcludeCollocatedStores is given does not change what the command updates
    // (install_csdatabase_remarks): any Enterprise Edition back end fits the form.
    const bool back_end = role == model::Role::enterprise_backend ||
                          role == model::Role::enterprise_backend_collocated;
    form = back_end                            ? role
           : command.exclude_collocated_stores ? model::Role::enterprise_backend_collocated
                                               : model::Role::enterprise_backend;
  }
  if (!form) {
    return fmt::format(
        "the command names neither -ConfiguredDatabases nor -LocalDatabases alone, so it "
        "fits no role; this server is {}, expected \"{}\"",
        role_description(role), expected);
  }
  if (*form != role) {
    return fmt::format("the command is {}, but this server is {}; expected \"{}\"",
                       form_name(*form), role_description(role), expected);
  }
  if (!command.update) {
    return fmt::format(
        "the command lacks -Update, so it would not update the databases in place; "
        "expected \"{}\"",
        expected);
  }
  if (role != model::Role::standard_edition) {
    if (!command.sql_server_fqdn || command.sql_server_fqdn->empty()) {
      return fmt::format("the command gives no -SqlServerFqdn; expected \"{}\"", expected);
    }
    if (model::fqdn_key(*command.sql_server_fqdn) != model::fqdn_key(sql_server_fqdn)) {
      return fmt::format(
          "-SqlServerFqdn names {}, but this server's back end is {}; expected \"{}\"",
          *command.sql_server_fqdn, sql_server_fqdn, expected);
    }
  }
  return std::nullopt;
}

namespace {

// The cmdlet reference (office-docs-powershell, Install-CsDatabase, parameter
// ExcludeCollocatedStores): "When present, suppresses a warning message".
constexpr std::string_view switch_source =
    "https://learn.microsoft.com/powershell/module/skypeforbusiness/install-csdatabase, "
    "-ExcludeCollocatedStores";

}  // namespace

std::vector<InstallCsDatabaseRemark> install_csdatabase_remarks(const InstallCsDatabase& command,
                                                                model::Role role,
                                                                std::string_view sql_server_fqdn) {
  const std::string expected = expected_install_csdatabase(role, sql_server_fqdn);
  if (role == model::Role::enterprise_backend_collocated && !command.exclude_collocated_stores) {
    // The article gives the switch for this role but says nothing of what happens without it;
    // the reference says it only suppresses a warning. Probably a slip, so a warning; not an
    // error, since nothing says the databases are updated otherwise.
    return {{rules::database_variant, Severity::warning,
             fmt::format("the command lacks -ExcludeCollocatedStores, which the article gives "
                         "for a back end with collocated stores (DOMAIN.md section 1); without "
                         "it the cmdlet warns that collocated stores must be installed on the "
                         "local computer, which is all the switch changes ({}): expected \"{}\"",
                         switch_source, expected)}};
  }
  if (role == model::Role::enterprise_backend && command.exclude_collocated_stores) {
    return {{rules::equivalent_form, Severity::info,
             fmt::format("-ExcludeCollocatedStores changes nothing on a back end without "
                         "collocated stores: it only suppresses a warning ({}); the article's "
                         "form for this role leaves it out (DOMAIN.md section 1): \"{}\"",
                         switch_source, expected)}};
  }
  const auto article = parse_install_csdatabase(expected);
  if (!article || command.other_words > 0) return {};
  std::vector<std::string_view> ways;
  if (command.order != article->order) ways.emplace_back("its parameters in another order");
  if (command.inline_value) ways.emplace_back("a parameter given as -Name:value");
  if (ways.empty()) return {};
  return {{rules::equivalent_form, Severity::info,
           fmt::format("the command is the article's form written another way ({}), which "
                       "PowerShell binds alike: every one of these parameters is named "
                       "(Install-CsDatabase reference) and a switch given :$true is set; the "
                       "article writes \"{}\" (DOMAIN.md section 1)",
                       fmt::join(ways, ", "), expected)}};
}

}  // namespace lyncupdate::check
