#include "run_cli.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lyncupdate/version/version.hpp"

extern char** environ;

namespace lyncupdate::test {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

std::filesystem::path scratch_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("lyncupdate-test-" + std::to_string(::getpid())) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

CliResult run_cli(const std::vector<std::string>& args, const std::filesystem::path& cwd) {
  static int counter = 0;
  const auto dir = scratch_dir("cli-" + std::to_string(counter++));
  const std::string out_path = (dir / "stdout").string();
  const std::string err_path = (dir / "stderr").string();

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());

  std::vector<std::string> argv_storage{LYNCUPDATE_BINARY};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  const int rc = posix_spawn(&pid, LYNCUPDATE_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " LYNCUPDATE_BINARY);
  int status = 0;
  ::waitpid(pid, &status, 0);
  CliResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  return result;
}

nlohmann::ordered_json exported_scenario(const std::string& name) {
  const CliResult exported = run_cli({"export", name});
  if (exported.exit_code != 0)
    throw std::runtime_error("cannot export " + name + ": " + exported.err);
  return nlohmann::ordered_json::parse(exported.out);
}

std::string without_build_metadata(std::string text) {
  const std::string_view full = version::full();
  const std::string_view release = version::release();
  if (full == release) return text;
  for (auto at = text.find(full); at != std::string::npos; at = text.find(full, at)) {
    text.replace(at, full.size(), release);
    at += release.size();
  }
  return text;
}

bool matches_golden(const std::string& name, const std::string& given) {
  const std::string actual = without_build_metadata(given);
  const std::filesystem::path path =
      std::filesystem::path(LYNCUPDATE_SOURCE_DIR) / "tests" / "app" / "golden" / name;
  if (const char* update = std::getenv("LYNCUPDATE_UPDATE_GOLDEN"); update && *update == '1') {
    write_file(path, actual);
    return true;
  }
  return read_file(path) == actual;
}

std::size_t occurrences(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace lyncupdate::test
