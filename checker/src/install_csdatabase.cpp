#include "lyncupdate/checker/install_csdatabase.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include <fmt/format.h>

#include "lyncupdate/checker/binding.hpp"
#include "lyncupdate/checker/command_line.hpp"
#include "lyncupdate/model/fqdn.hpp"

namespace lyncupdate::check {
namespace {

// The parameters of the article's three forms (DOMAIN.md section 1), as the catalogue spells them.
constexpr std::array<std::string_view, 5> article_parameters{
    "Update", "ConfiguredDatabases", "LocalDatabases", "ExcludeCollocatedStores", "SqlServerFqdn"};

// The parameters of the article's form for `role`, in the article's order; empty for a front
// end, which has no form.
std::vector<std::string> article_order(model::Role role) {
  switch (role) {
    case model::Role::enterprise_backend:
      return {"Update", "ConfiguredDatabases", "SqlServerFqdn"};
    case model::Role::enterprise_backend_collocated:
      return {"Update", "ConfiguredDatabases", "SqlServerFqdn", "ExcludeCollocatedStores"};
    case model::Role::standard_edition:
      return {"Update", "LocalDatabases"};
    case model::Role::front_end:
      break;
  }
  return {};
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
  // The article's parameters in the order they bound; any other parameter is a word the role
  // check does not read.
  for (const BoundParameter& parameter : bound.parameters) {
    const std::string& name = bound.cmdlet->parameters[parameter.index].name;
    if (std::ranges::find(article_parameters, name) == article_parameters.end()) {
      ++out.other_words;
    } else if (parameter.set) {
      out.order.push_back(name);
    }
  }
  for (const Element& element : line->statements.front().front().elements) {
    if (element.kind == ElementKind::parameter && element.has_value) out.inline_value = true;
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
  const std::vector<std::string> article = article_order(role);
  if (article.empty() || command.other_words > 0) return {};
  std::vector<std::string_view> ways;
  if (command.order != article) ways.emplace_back("its parameters in another order");
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
