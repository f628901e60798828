#define BOOST_TEST_MODULE lyncupdate analysis
#include <boost/test/unit_test.hpp>
