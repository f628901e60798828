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

BOOST_AUTO_TEST_CASE(collocated_stores_need_exclude_collocated_stores) {
  BOOST_TEST(problem("Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn "
                     "sql01.contoso.com",
                     Role::enterprise_backend_collocated) ==
             "the command is the form for an Enterprise Edition back end without collocated "
             "stores, but this server is an Enterprise Edition back end with collocated "
             "Archiving or Monitoring stores; expected \"Install-CsDatabase -Update "
             "-ConfiguredDatabases -SqlServerFqdn sql01.contoso.com -ExcludeCollocatedStores\"");
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
