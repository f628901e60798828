#include <boost/test/unit_test.hpp>

#include "lyncupdate/checker/install_csdatabase.hpp"
#include "lyncupdate/loader/loader.hpp"

using namespace lyncupdate;
using namespace lyncupdate::check;
using model::Role;

namespace {

// Install-CsDatabase as Lync Server 2013 binds it, against the shipped catalogue.
std::optional<InstallCsDatabase> parse(std::string_view command) {
  const auto& catalogue = loader::shipped_catalogue();
  BOOST_REQUIRE(catalogue.has_value());
  return parse_install_csdatabase(command, &*catalogue, model::Product::lync2013);
}

std::string problem(std::string_view command, Role role,
                    std::string_view sql = "sql01.contoso.com") {
  const auto parsed = parse(command);
  BOOST_REQUIRE(parsed.has_value());
  return install_csdatabase_problem(*parsed, role, sql).value_or("fits");
}

using Strings = std::vector<std::string>;

// "rule severity: message" for each remark.
Strings remarks(std::string_view command, Role role, std::string_view sql = "sql01.contoso.com") {
  const auto parsed = parse(command);
  BOOST_REQUIRE(parsed.has_value());
  Strings out;
  for (const auto& r : install_csdatabase_remarks(*parsed, role, sql)) {
    out.push_back(std::string(r.rule) + " " + std::string(severity_name(r.severity)) + ": " +
                  r.message);
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(install_csdatabase)

BOOST_AUTO_TEST_CASE(parses_parameters_without_regard_to_case_or_quotes) {
  const auto c = parse(
      "install-csdatabase -update -configureddatabases -SQLSERVERFQDN 'sql01.contoso.com' "
      "-ExcludeCollocatedStores");
  BOOST_REQUIRE(c.has_value());
  BOOST_TEST(c->update);
  BOOST_TEST(c->configured_databases);
  BOOST_TEST(!c->local_databases);
  BOOST_TEST(c->exclude_collocated_stores);
  BOOST_TEST(*c->sql_server_fqdn == "sql01.contoso.com");
  const auto colon = parse("Install-CsDatabase -SqlServerFqdn:sql02.x.com");
  BOOST_TEST(*colon->sql_server_fqdn == "sql02.x.com");
  BOOST_TEST(!parse("Test-CsDatabase -ConfiguredDatabases").has_value());
  BOOST_TEST(!parse("").has_value());
}

BOOST_AUTO_TEST_CASE(the_three_article_forms_fit_their_roles) {
  for (const Role role :
       {Role::enterprise_backend, Role::enterprise_backend_collocated, Role::standard_edition}) {
    BOOST_TEST(problem(expected_install_csdatabase(role, "sql01.contoso.com"), role) == "fits");
  }
  BOOST_TEST(expected_install_csdatabase(Role::enterprise_backend_collocated, "s.x.com") ==
             "Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn s.x.com "
             "-ExcludeCollocatedStores");
}

BOOST_AUTO_TEST_CASE(enterprise_form_on_a_standard_edition_server) {
  BOOST_TEST(problem("Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn "
                     "sql01.contoso.com -ExcludeCollocatedStores",
                     Role::standard_edition) ==
             "the command is the form for an Enterprise Edition back end with collocated "
             "stores, but this server is a Standard Edition server; expected "
             "\"Install-CsDatabase -Update -LocalDatabases\"");
}

BOOST_AUTO_TEST_CASE(collocated_stores_without_the_switch_are_a_warning_not_an_error) {
  const std::string command =
      "Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn sql01.contoso.com";
  BOOST_TEST(problem(command, Role::enterprise_backend_collocated) == "fits");
  BOOST_TEST(remarks(command, Role::enterprise_backend_collocated) ==
                 Strings{"database-variant warning: the command lacks -ExcludeCollocatedStores, "
                         "which the article gives for a back end with collocated stores "
                         "(DOMAIN.md section 1); without it the cmdlet warns that collocated "
                         "stores must be installed on the local computer, which is all the "
                         "switch changes (https://learn.microsoft.com/powershell/module/"
                         "skypeforbusiness/install-csdatabase, -ExcludeCollocatedStores): "
                         "expected \"Install-CsDatabase -Update -ConfiguredDatabases "
                         "-SqlServerFqdn sql01.contoso.com -ExcludeCollocatedStores\""},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_switch_without_collocated_stores_is_a_note) {
  const std::string command =
      "Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn sql01.contoso.com "
      "-ExcludeCollocatedStores";
  BOOST_TEST(problem(command, Role::enterprise_backend) == "fits");
  BOOST_TEST(remarks(command, Role::enterprise_backend) ==
                 Strings{"equivalent-form info: -ExcludeCollocatedStores changes nothing on a "
                         "back end without collocated stores: it only suppresses a warning "
                         "(https://learn.microsoft.com/powershell/module/skypeforbusiness/"
                         "install-csdatabase, -ExcludeCollocatedStores); the article's form for "
                         "this role leaves it out (DOMAIN.md section 1): \"Install-CsDatabase "
                         "-Update -ConfiguredDatabases -SqlServerFqdn sql01.contoso.com\""},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_article_form_written_another_way_is_a_note) {
  BOOST_TEST(problem("Install-CsDatabase -LocalDatabases -Update:$true", Role::standard_edition) ==
             "fits");
  BOOST_TEST(remarks("Install-CsDatabase -LocalDatabases -Update:$true", Role::standard_edition) ==
                 Strings{"equivalent-form info: the command is the article's form written "
                         "another way (its parameters in another order, a parameter given as "
                         "-Name:value), which PowerShell binds alike: every one of these "
                         "parameters is named (Install-CsDatabase reference) and a switch given "
                         ":$true is set; the article writes \"Install-CsDatabase -Update "
                         "-LocalDatabases\" (DOMAIN.md section 1)"},
             boost::test_tools::per_element());
  BOOST_TEST(remarks("Install-CsDatabase -ConfiguredDatabases -SqlServerFqdn sql01.contoso.com "
                     "-Update",
                     Role::enterprise_backend)
                 .size() == 1U);
  // The article's own forms, in any letter case, call for nothing.
  for (const Role role :
       {Role::enterprise_backend, Role::enterprise_backend_collocated, Role::standard_edition}) {
    BOOST_TEST(remarks(expected_install_csdatabase(role, "sql01.contoso.com"), role).empty());
  }
  BOOST_TEST(remarks("install-csdatabase -update -localdatabases", Role::standard_edition).empty());
  // Another parameter is not the article's form written another way: nothing to say here.
  BOOST_TEST(
      remarks("Install-CsDatabase -Update -LocalDatabases -Report x.html", Role::standard_edition)
          .empty());
}

BOOST_AUTO_TEST_CASE(a_switch_set_to_false_is_not_set) {
  BOOST_TEST(problem("Install-CsDatabase -Update:$false -LocalDatabases", Role::standard_edition) ==
             "the command lacks -Update, so it would not update the databases in place; "
             "expected \"Install-CsDatabase -Update -LocalDatabases\"");
}

BOOST_AUTO_TEST_CASE(missing_update_and_wrong_sql_server) {
  BOOST_TEST(problem("Install-CsDatabase -LocalDatabases", Role::standard_edition) ==
             "the command lacks -Update, so it would not update the databases in place; "
             "expected \"Install-CsDatabase -Update -LocalDatabases\"");
  BOOST_TEST(problem("Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn "
                     "sql02.contoso.com",
                     Role::enterprise_backend) ==
             "-SqlServerFqdn names sql02.contoso.com, but this server's back end is "
             "sql01.contoso.com; expected \"Install-CsDatabase -Update -ConfiguredDatabases "
             "-SqlServerFqdn sql01.contoso.com\"");
  BOOST_TEST(problem("Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn "
                     "SQL01.Contoso.com",
                     Role::enterprise_backend) == "fits");
  BOOST_TEST(problem("Install-CsDatabase -Update -ConfiguredDatabases -LocalDatabases",
                     Role::standard_edition) ==
             "the command names neither -ConfiguredDatabases nor -LocalDatabases alone, so it "
             "fits no role; this server is a Standard Edition server, expected "
             "\"Install-CsDatabase -Update -LocalDatabases\"");
}

BOOST_AUTO_TEST_SUITE_END()
