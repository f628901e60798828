#define BOOST_TEST_MODULE lyncupdate importer
#include <boost/test/unit_test.hpp>
