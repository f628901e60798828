#define BOOST_TEST_MODULE lyncupdate_loader
#include <boost/test/unit_test.hpp>
