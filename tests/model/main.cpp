#define BOOST_TEST_MODULE lyncupdate model
#include <boost/test/unit_test.hpp>
