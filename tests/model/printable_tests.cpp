// Scenario text on a terminal: every control character escaped, everything else as written.
#include <string>

#include <boost/test/unit_test.hpp>

#include "lyncupdate/model/printable.hpp"

namespace lyncupdate::model {
namespace {

BOOST_AUTO_TEST_SUITE(printable_text)

BOOST_AUTO_TEST_CASE(control_characters_are_escaped_and_the_rest_is_kept) {
  BOOST_TEST(printable("sql01: log on") == "sql01: log on");
  BOOST_TEST(printable("a\nb\tc\rd") == "a\\x0ab\\x09c\\x0dd");
  BOOST_TEST(printable("\x1b[2J\x7f") == "\\x1b[2J\\x7f");
  BOOST_TEST(printable(std::string("nul\0end", 7)) == "nul\\x00end");
  // C1 controls (CSI is U+009B) are UTF-8 C2 80 to C2 9F; U+00A0 and on are kept.
  BOOST_TEST(printable("\xc2\x9b"
                       "31m\xc2\x85") == "\\u{009b}31m\\u{0085}");
  BOOST_TEST(printable("caf\xc3\xa9 \xc2\xa0\xe2\x80\x98q\xe2\x80\x99 \xf0\x9f\x98\x80") ==
             "caf\xc3\xa9 \xc2\xa0\xe2\x80\x98q\xe2\x80\x99 \xf0\x9f\x98\x80");
  // Bytes that are not UTF-8 (a torn sequence, a stray continuation byte) are escaped too.
  BOOST_TEST(printable("\xc3 \x80\xff") == "\\xc3 \\x80\\xff");
  BOOST_TEST(printable("back\\slash") == "back\\slash");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace lyncupdate::model
