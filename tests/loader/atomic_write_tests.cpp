// Result files are written whole or not at all, and a symlink planted where the writer puts
// its temporary file never redirects the write.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/test/unit_test.hpp>
#include <sys/stat.h>

#include "loader_test_support.hpp"
#include "lyncupdate/loader/files.hpp"

namespace lyncupdate::loader::testing {
namespace {

std::string contents(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t entries(const std::filesystem::path& folder) {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(folder)) ++count;
  return count;
}

BOOST_AUTO_TEST_SUITE(atomic_write)

BOOST_AUTO_TEST_CASE(a_symlink_at_the_old_temporary_name_never_overwrites_its_target) {
  const ScratchDir dir;
  const auto victim = dir.path() / "victim.txt";
  write_file(victim, "precious\n");
  std::filesystem::create_symlink(victim, dir.path() / "out.json.tmp");
  const auto written = write_file_atomically(dir.path() / "out.json", "{}\n");
  BOOST_TEST_REQUIRE(written.has_value());
  BOOST_TEST(contents(victim) == "precious\n");
  BOOST_TEST(contents(dir.path() / "out.json") == "{}\n");
  BOOST_TEST(std::filesystem::is_symlink(dir.path() / "out.json.tmp"));
  // The target, the victim and the planted link: no temporary file is left behind.
  BOOST_TEST(entries(dir.path()) == 3u);
}

BOOST_AUTO_TEST_CASE(the_file_replaces_the_old_one_and_leaves_nothing_else) {
  const ScratchDir dir;
  const auto target = dir.path() / "report.html";
  write_file(target, "old");
  BOOST_TEST_REQUIRE(write_file_atomically(target, "new").has_value());
  BOOST_TEST(contents(target) == "new");
  BOOST_TEST(entries(dir.path()) == 1u);
  struct stat status {};
  BOOST_TEST_REQUIRE(::stat(target.c_str(), &status) == 0);
  const mode_t mask = ::umask(0);
  ::umask(mask);
  BOOST_TEST((status.st_mode & 0777) == (0644 & ~mask));
}

BOOST_AUTO_TEST_CASE(a_missing_folder_says_which_file_could_not_be_created) {
  const ScratchDir dir;
  const auto written = write_file_atomically(dir.path() / "missing" / "out.json", "{}\n");
  BOOST_TEST_REQUIRE(!written.has_value());
  BOOST_TEST(written.error().starts_with("cannot create " + (dir.path() / "missing").string() +
                                         "/.out.json."));
  BOOST_TEST(written.error().ends_with(".tmp: no such file or directory"));
}

BOOST_AUTO_TEST_CASE(a_folder_at_the_target_is_refused_and_left_as_it_was) {
  const ScratchDir dir;
  std::filesystem::create_directory(dir.path() / "out");
  const auto written = write_file_atomically(dir.path() / "out", "{}\n");
  BOOST_TEST_REQUIRE(!written.has_value());
  BOOST_TEST(written.error().find("is a directory") != std::string::npos);
  BOOST_TEST(std::filesystem::is_directory(dir.path() / "out"));
  BOOST_TEST(entries(dir.path()) == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace lyncupdate::loader::testing
