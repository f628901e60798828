#define BOOST_TEST_MODULE lyncupdate simulator
#include <boost/test/unit_test.hpp>
