#define BOOST_TEST_MODULE lyncupdate live
#include <boost/test/unit_test.hpp>
