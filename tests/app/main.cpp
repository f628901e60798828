#define BOOST_TEST_MODULE lyncupdate command line
#include <boost/test/unit_test.hpp>
