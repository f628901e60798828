#define BOOST_TEST_MODULE lyncupdate planner
#include <boost/test/unit_test.hpp>
