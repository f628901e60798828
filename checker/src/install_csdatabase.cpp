#include "lyncupdate/checker/install_csdatabase.hpp"

#include <fmt/format.h>

#include "lyncupdate/checker/binding.hpp"
#include "lyncupdate/checker/command_line.hpp"
#include "lyncupdate/model/fqdn.hpp"

namespace lyncupdate::check {
namespace {

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

std::optional<InstallCsDatabase> parse_install_csdatabase(std::string_view command,
                                                          const model::Catalogue* catalogue,
                                                          model::Product product) {
  if (catalogue == nullptr) return std::nullopt;
  const auto line = read_command_line(command);
  if (!line || line->statements.size() != 1 || line->statements.front().size() != 1) {
    return std::nullopt;
  }
  // Bound even when binding found a problem (the command checks report it): the role check
  // still judges the form the parameters name.
  const Binding bound = bind_command(line->statements.front().front(), *catalogue, product);
  if (bound.cmdlet == nullptr || bound.cmdlet->name != "Install-CsDatabase") return std::nullopt;
  InstallCsDatabase out;
  out.update = bound.is_set("Update");
  out.configured_databases = bound.is_set("ConfiguredDatabases");
  out.local_databases = bound.is_set("LocalDatabases");
  out.exclude_collocated_stores = bound.is_set("ExcludeCollocatedStores");
  if (bound.find("SqlServerFqdn") != nullptr) {
    out.sql_server_fqdn = bound.value("SqlServerFqdn").value_or("");
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
