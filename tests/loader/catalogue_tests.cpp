// The command catalogue as the loader reads it: the shipped files, PowerShell's common
// parameters added to every cmdlet, and a corrupt catalogue reported with the JSON pointer.

#include <boost/test/unit_test.hpp>

#include "loader_test_support.hpp"
#include "lyncupdate/loader/loader.hpp"

using namespace lyncupdate;
using namespace lyncupdate::loader;

namespace {

constexpr std::string_view native_empty = R"({"about": "x", "programs": [], "cmdlets": []})";

std::vector<std::string> rendered(const CatalogueResult& result) {
  std::vector<std::string> out;
  if (!result) {
    for (const auto& d : result.error()) out.push_back(d.render());
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(catalogue)

BOOST_AUTO_TEST_CASE(the_shipped_catalogue_reads_and_cites_its_source) {
  const CatalogueResult& c = shipped_catalogue();
  BOOST_REQUIRE(c.has_value());
  BOOST_TEST(&c == &shipped_catalogue());  // read once per process
  BOOST_TEST(c->source.repository == "MicrosoftDocs/office-docs-powershell");
  BOOST_TEST(c->source.commit.size() == 40U);
  const model::Cmdlet* install = c->cmdlet("install-csdatabase");
  BOOST_REQUIRE(install != nullptr);
  BOOST_TEST(install->page ==
             "https://learn.microsoft.com/powershell/module/skypeforbusiness/install-csdatabase");
  BOOST_TEST(install->product_cmdlet);
  BOOST_TEST(install->products.has(model::Product::lync2013));
  // about_CommonParameters: every cmdlet gains them, with their aliases.
  const auto& last = install->parameters.back();
  BOOST_TEST(last.name == "PipelineVariable");
  BOOST_TEST(last.aliases.front() == "pv");
  BOOST_TEST(last.common);
  BOOST_TEST(c->cmdlet("echo")->name == "Write-Output");
  BOOST_TEST(c->program("NET.exe")->name == "net");
  BOOST_TEST(c->program("LyncServerUpdateInstaller")->name == "LyncServerUpdateInstaller.exe");
  // Every scenario the loader returns points to it.
  const auto scenario = load_shipped_scenario("contoso");
  BOOST_REQUIRE(scenario.has_value());
  BOOST_TEST(scenario->catalogue == &*c);
  BOOST_TEST(model::product_name(scenario->product) == "lync2013");
}

BOOST_AUTO_TEST_CASE(a_corrupt_catalogue_names_where_and_what) {
  BOOST_TEST(rendered(read_catalogue(R"({"format": 1, "source": {}, "cmdlets": [)", native_empty))
                 .size() == 1U);
  const auto bad = read_catalogue(
      R"({"format": 2, "source": {"repository": "r", "commit": "c", "path": "p"}, "cmdlets": [
          {"name": "A-B", "module": "M", "page": "p", "products": ["lync2010"],
           "parameters": [{"name": "X", "switch": "yes", "type": "T"}],
           "sets": [{"name": "S", "parameters": ["Y"], "mandatory": []}]}]})",
      native_empty);
  BOOST_TEST(rendered(bad) ==
                 (std::vector<std::string>{
                     "<shipped:catalogue/cmdlets>: error: /format: expected format 1",
                     "<shipped:catalogue/cmdlets>: error: /cmdlets/0/products/0: unknown product "
                     "\"lync2010\"; expected \"lync2013\", \"sfb2015\", \"sfb2019\" or \"sfbse\"",
                     "<shipped:catalogue/cmdlets>: error: /cmdlets/0/parameters/0/switch: "
                     "expected true or false",
                     "<shipped:catalogue/cmdlets>: error: /cmdlets/0/sets/0/parameters/0: \"Y\" "
                     "is no parameter of A-B"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
