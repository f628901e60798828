#define BOOST_TEST_MODULE lyncupdate checker
#include <boost/test/unit_test.hpp>
