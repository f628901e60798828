#define BOOST_TEST_MODULE lyncupdate reports
#include <boost/test/unit_test.hpp>
