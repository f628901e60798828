// The importer's readers: namespaces by URI (never by prefix), the encodings Windows PowerShell
// writes, positions in messages, and the CSV of Export-Csv.

#include <string>

#include <boost/test/unit_test.hpp>

#include "lyncupdate/importer/derive.hpp"
#include "lyncupdate/importer/importer.hpp"
#include "lyncupdate/importer/text.hpp"
#include "lyncupdate/importer/topology_xml.hpp"
#include "lyncupdate/importer/users_csv.hpp"

namespace importer = lyncupdate::importer;

namespace {

// One Standard Edition server, its elements under `prefix` (empty: the default namespace).
std::string standard_edition_document(const std::string& prefix) {
  const std::string p = prefix.empty() ? "" : prefix + ":";
  const std::string xmlns = prefix.empty() ? "xmlns" : "xmlns:" + prefix;
  return "<" + p + "Topology " + xmlns +
         "=\"urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008\">"
         "<" +
         p + "CentralSites><" + p + "CentralSite SiteId=\"1\"><" + p + "Name>Oslo</" + p +
         "Name><" + p +
         "Clusters>"
         "<" +
         p +
         "Cluster UniqueId=\"c\" Fqdn=\"se01.fabrikam.com\" IsSingleMachineOnly=\"true\">"
         "<" +
         p + "Machines><" + p + "Machine Fqdn=\"se01.fabrikam.com\" /></" + p +
         "Machines>"
         "<" +
         p + "SqlInstances><" + p + "SqlInstance UniqueId=\"c:rtc\" Name=\"rtc\" /></" + p +
         "SqlInstances></" + p + "Cluster></" + p + "Clusters></" + p + "CentralSite></" + p +
         "CentralSites><" + p +
         "Services>"
         "<" +
         p +
         "Service UniqueId=\"us\" RoleName=\"UserStore\" InstalledOn=\"c:rtc\" />"
         "<" +
         p + "Service UniqueId=\"u\" RoleName=\"UserServices\" InstalledOn=\"c\"><" + p +
         "DependsOn><" + p + "Dependency ServiceUniqueId=\"us\" Usage=\"Default\" /></" + p +
         "DependsOn></" + p +
         "Service>"
         "<" +
         p +
         "Service UniqueId=\"r\" RoleName=\"Registrar\" InstalledOn=\"c\" />"
         "</" +
         p + "Services></" + p + "Topology>";
}

importer::ImportProfile lync2013() {
  return *importer::import_profile(lyncupdate::model::Product::lync2013);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(topology_xml)

BOOST_AUTO_TEST_CASE(elements_match_by_namespace_uri_whatever_their_prefix) {
  for (const std::string prefix : {"", "t", "topo"}) {
    BOOST_TEST_CONTEXT(prefix) {
      const auto published =
          importer::read_topology_xml(standard_edition_document(prefix), "t.xml");
      BOOST_REQUIRE(published.has_value());
      BOOST_TEST(published->clusters.size() == 1U);
      BOOST_TEST(published->clusters[0].site == "Oslo");
      BOOST_TEST(published->services.size() == 3U);
      const auto derived = importer::derive_topology(*published, lync2013(), "t.xml");
      BOOST_REQUIRE(derived.has_value());
      BOOST_TEST(derived->topology.standard_edition_servers.at(0).fqdn == "se01.fabrikam.com");
    }
  }
}

BOOST_AUTO_TEST_CASE(the_same_names_in_another_namespace_are_not_read) {
  std::string text = standard_edition_document("t");
  text.replace(text.find("Deploy.Topology.2008"), 20, "Deploy.Other.2008");
  const auto published = importer::read_topology_xml(text, "t.xml");
  BOOST_REQUIRE(!published.has_value());
  BOOST_TEST(published.error().at(0).render().find("got Topology in namespace "
                                                   "urn:schema:Microsoft.Rtc.Management.Deploy."
                                                   "Other.2008") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(utf16_with_a_byte_order_mark_reads_as_utf8) {
  const std::string utf8 = standard_edition_document("");
  std::string utf16 = "\xFF\xFE";
  for (const char c : utf8) {
    utf16 += c;
    utf16 += '\0';
  }
  const auto published = importer::read_topology_xml(utf16, "t.xml");
  BOOST_REQUIRE(published.has_value());
  BOOST_TEST(published->clusters.at(0).fqdn == "se01.fabrikam.com");
}

BOOST_AUTO_TEST_CASE(malformed_xml_is_reported_at_its_line_and_column) {
  const auto published = importer::read_topology_xml("<a>\n  <b>\n</a>\n", "bad.xml");
  BOOST_REQUIRE(!published.has_value());
  BOOST_TEST(published.error().at(0).render() ==
             "bad.xml:3:3: error: malformed XML: Start-end tags mismatch");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(text)

BOOST_AUTO_TEST_CASE(line_index_counts_lines_and_byte_columns_from_one) {
  const importer::LineIndex lines("ab\r\ncd\n\nx");
  BOOST_TEST(lines.at(0).line == 1);
  BOOST_TEST(lines.at(1).column == 2);
  BOOST_TEST(lines.at(4).line == 2);
  BOOST_TEST(lines.at(4).column == 1);
  BOOST_TEST(lines.at(8).line == 4);
  BOOST_TEST(lines.at(100).line == 4);
}

BOOST_AUTO_TEST_CASE(utf16_big_endian_and_surrogate_pairs_convert) {
  BOOST_TEST(importer::utf8_text(std::string("\xFE\xFF\x00\x41\xD8\x3D\xDE\x00", 8)) ==
             "A\xF0\x9F\x98\x80");
  BOOST_TEST(importer::utf8_text("\xEF\xBB\xBFok") == "ok");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(users_csv)

BOOST_AUTO_TEST_CASE(export_csv_of_windows_powershell_5_1_is_read) {
  const std::string csv =
      "\xEF\xBB\xBF#TYPE Selected.Microsoft.Rtc.Management.ADConnect.Schema.OCSADUser\r\n"
      "\"SipAddress\",\"RegistrarPool\"\r\n"
      "\"sip:a@fabrikam.com\",\"pool01.fabrikam.com\"\r\n"
      "\"sip:\"\"b\"\", c@fabrikam.com\",\"POOL01.fabrikam.com.\"\r\n"
      "\"sip:d@fabrikam.com\",\"\"\r\n";
  const auto counts = importer::read_users_csv(csv, "u.csv");
  BOOST_REQUIRE(counts.has_value());
  BOOST_TEST(counts->total == 3);
  BOOST_TEST(counts->by_pool.at("pool01.fabrikam.com") == 2);
  BOOST_TEST(counts->without_pool == 1);
}

BOOST_AUTO_TEST_CASE(no_type_line_other_column_order_and_lf_line_ends_are_read) {
  const auto counts = importer::read_users_csv(
      "RegistrarPool,SipAddress,DisplayName\nse01.fabrikam.com,sip:a@fabrikam.com,A\n", "u.csv");
  BOOST_REQUIRE(counts.has_value());
  BOOST_TEST(counts->by_pool.at("se01.fabrikam.com") == 1);
}

BOOST_AUTO_TEST_CASE(malformed_rows_are_reported_every_one_with_their_line) {
  const auto counts = importer::read_users_csv(
      "\"SipAddress\",\"RegistrarPool\"\r\n\"a\",\"p.fabrikam.com\",\"x\"\r\n\"b\r\n", "u.csv");
  BOOST_REQUIRE(!counts.has_value());
  BOOST_REQUIRE(counts.error().size() == 2U);
  BOOST_TEST(counts.error()[0].render() ==
             "u.csv:2:1: error: expected 2 fields as in the header, got 3");
  BOOST_TEST(counts.error()[1].render() ==
             "u.csv:3:1: error: unterminated quoted field; expected a closing \"");
}

BOOST_AUTO_TEST_SUITE_END()
