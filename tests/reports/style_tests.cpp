#include <vector>

#include <boost/test/unit_test.hpp>

#include "lyncupdate/reports/findings.hpp"
#include "lyncupdate/reports/style.hpp"

using namespace lyncupdate;
using namespace lyncupdate::reports;

BOOST_AUTO_TEST_SUITE(style)

BOOST_AUTO_TEST_CASE(colour_only_on_a_terminal_without_no_color) {
  BOOST_TEST(text_style_for(true, nullptr).color);
  BOOST_TEST(text_style_for(true, "").color);  // NO_COLOR set but empty does not disable
  BOOST_TEST(!text_style_for(true, "1").color);
  BOOST_TEST(!text_style_for(false, nullptr).color);
}

BOOST_AUTO_TEST_CASE(paint_wraps_in_ansi_codes_only_when_on) {
  BOOST_TEST(TextStyle{false}.paint(Tone::bad, "error") == "error");
  BOOST_TEST(TextStyle{true}.paint(Tone::bad, "error") == "\x1b[1;31merror\x1b[0m");
  BOOST_TEST(TextStyle{true}.paint(Tone::good, "ok") == "\x1b[32mok\x1b[0m");
}

BOOST_AUTO_TEST_CASE(findings_keep_their_columns_with_and_without_colour) {
  const std::vector<check::Finding> findings{
      {"dead-step", check::Severity::warning, "all servers", {"a"}, "a changes nothing"}};
  const std::string plain = render_findings_text(findings);
  BOOST_TEST(plain ==
             "Static analysis (0 errors, 1 warning, 0 notes):\n"
             "  warning  dead-step                      all servers              a\n"
             "      a changes nothing\n");
  const std::string coloured = render_findings_text(findings, TextStyle{true});
  BOOST_TEST(coloured ==
             "Static analysis (0 errors, 1 warning, 0 notes):\n"
             "  \x1b[33mwarning\x1b[0m  dead-step                      all servers              a\n"
             "      a changes nothing\n");
}

BOOST_AUTO_TEST_SUITE_END()
