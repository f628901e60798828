#define BOOST_TEST_MODULE lyncupdate users
#include <boost/test/unit_test.hpp>
