#define BOOST_TEST_MODULE lyncupdate html report
#include <boost/test/unit_test.hpp>
