#define BOOST_TEST_MODULE lyncupdate montecarlo
#include <boost/test/unit_test.hpp>
