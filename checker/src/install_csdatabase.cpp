#include "lyncupdate/checker/install_csdatabase.hpp"

#include <cctype>
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
  for (std::size_t i = 1; i < w.size(); ++i) {
    std::string_view word = w[i];
    if (word.empty() || word[0] != '-') continue;
    std::string_view name = word.substr(1);
    std::optional<std::string> inline_value;
    if (const auto colon = name.find(':'); colon != std::string_view::npos) {
      inline_value = std::string(name.substr(colon + 1));
      name = name.substr(0, colon);
    }
    if (iequals(name, "Update")) {
      out.update = true;
    } else if (iequals(name, "ConfiguredDatabases")) {
      out.configured_databases = true;
    } else if (iequals(name, "LocalDatabases")) {
      out.local_databases = true;
    } else if (iequals(name, "ExcludeCollocatedStores")) {
      out.exclude_collocated_stores = true;
    } else if (iequals(name, "SqlServerFqdn")) {
      if (inline_value) {
        out.sql_server_fqdn = *inline_value;
      } else if (i + 1 < w.size()) {
        out.sql_server_fqdn = w[++i];
      } else {
        out.sql_server_fqdn = std::string();
      }
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
    form = command.exclude_collocated_stores ? model::Role::enterprise_backend_collocated
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

}  // namespace lyncupdate::check
