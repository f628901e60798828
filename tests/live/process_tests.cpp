// Child processes: exit codes and signals, captured output, environment, timeouts that kill
// the whole process group, and programs that cannot start. Only /bin/sh, /bin/sleep and
// /usr/bin/env run; time bounds are generous.
#include <chrono>
#include <fstream>
#include <future>
#include <string>
#include <thread>

#include <boost/test/unit_test.hpp>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "lyncupdate/live/process.hpp"

namespace lyncupdate::live {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

constexpr milliseconds generous = 60s;

// Milliseconds as a number, for messages: Boost.Test cannot print durations.
long long ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration_cast<milliseconds>(d).count();
}

ProcessResult sh(const std::string& script, milliseconds timeout = generous,
                 const Environment& environment = {}) {
  return run_process({"/bin/sh", "-c", script}, environment, timeout);
}

// Whether process `pid` is gone (or a zombie nobody has reaped yet, which runs nothing).
bool gone(long pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return true;
  std::string line;
  std::getline(stat, line);
  const auto close = line.rfind(')');
  return close == std::string::npos || close + 2 >= line.size() || line[close + 2] == 'Z';
}

bool gone_within(long pid, milliseconds bound) {
  const auto until = std::chrono::steady_clock::now() + bound;
  while (!gone(pid)) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

BOOST_AUTO_TEST_SUITE(process)

BOOST_AUTO_TEST_CASE(exit_codes_are_reported) {
  const ProcessResult ok = sh("exit 0");
  BOOST_TEST(ok.exit_code == 0);
  BOOST_TEST(ok.signal == 0);
  BOOST_TEST(!ok.timed_out);
  BOOST_TEST(!ok.start_failed);
  BOOST_TEST(ok.error == "");
  BOOST_TEST(sh("exit 3").exit_code == 3);
  BOOST_TEST(sh("exit 255").exit_code == 255);
}

BOOST_AUTO_TEST_CASE(a_signal_that_ends_the_command_is_reported) {
  const ProcessResult killed = sh("kill -KILL $$");
  BOOST_TEST(killed.signal == SIGKILL);
  BOOST_TEST(killed.exit_code == -1);
  BOOST_TEST(!killed.timed_out);
}

BOOST_AUTO_TEST_CASE(standard_output_and_error_are_captured_apart) {
  const ProcessResult result = sh("echo out; echo err >&2; printf 'no newline'");
  BOOST_TEST(result.out == "out\nno newline");
  BOOST_TEST(result.err == "err\n");
}

BOOST_AUTO_TEST_CASE(arguments_reach_the_command_as_they_are) {
  const ProcessResult result = run_process(
      {"/bin/sh", "-c", "printf '[%s]' \"$@\"", "sh", "$(reboot)", "a b;c", "'\"`"}, {}, generous);
  BOOST_TEST(result.out == "[$(reboot)][a b;c]['\"`]");
}

BOOST_AUTO_TEST_CASE(standard_input_is_empty) {
  const ProcessResult result = sh("cat; echo done");
  BOOST_TEST(result.exit_code == 0);
  BOOST_TEST(result.out == "done\n");
}

BOOST_AUTO_TEST_CASE(only_the_last_64_kib_of_each_stream_are_kept) {
  // 200000 bytes, ending in a recognisable line.
  const ProcessResult result =
      sh("i=0; while [ $i -lt 2000 ]; do printf '%099d\\n' $i; i=$((i+1)); done; echo end >&2");
  BOOST_TEST(result.exit_code == 0);
  BOOST_TEST(result.out.size() == max_captured_bytes);
  BOOST_TEST(result.out.ends_with(std::string(95, '0') + "1999\n"));
  BOOST_TEST(result.err == "end\n");
}

BOOST_AUTO_TEST_CASE(the_environment_is_inherited_with_additions_and_replacements) {
  const ProcessResult result = run_process(
      {"/usr/bin/env"}, {{"LYNCUPDATE_TARGET", "sql01.lab.test"}, {"HOME", "/nonexistent-home"}},
      generous);
  BOOST_TEST(result.exit_code == 0);
  BOOST_TEST(result.out.find("LYNCUPDATE_TARGET=sql01.lab.test\n") != std::string::npos);
  // Replaced, not added twice.
  const std::string lines = "\n" + result.out;
  BOOST_TEST(lines.find("\nHOME=") != std::string::npos);
  BOOST_TEST(lines.find("\nHOME=") == lines.rfind("\nHOME="));
  BOOST_TEST(lines.find("\nHOME=/nonexistent-home\n") != std::string::npos);
  BOOST_TEST(result.out.find("PATH=") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_program_is_found_on_the_path) {
  const ProcessResult result = run_process({"env"}, {{"PATH", "/usr/bin:/bin"}}, generous);
  BOOST_TEST(result.exit_code == 0);
  BOOST_TEST(!result.start_failed);
}

BOOST_AUTO_TEST_CASE(a_missing_program_does_not_start) {
  const ProcessResult missing = run_process({"lyncupdate-no-such-program"}, {}, generous);
  BOOST_TEST(missing.start_failed);
  BOOST_TEST(missing.exit_code == 127);
  BOOST_TEST(missing.error == "cannot run \"lyncupdate-no-such-program\": not found on PATH");
  const ProcessResult absent = run_process({"/nonexistent/program"}, {}, generous);
  BOOST_TEST(absent.start_failed);
  BOOST_TEST(absent.exit_code == 127);
  BOOST_TEST(absent.error == "cannot run \"/nonexistent/program\": no such file or directory");
  const ProcessResult directory = run_process({"/tmp"}, {}, generous);
  BOOST_TEST(directory.start_failed);
  BOOST_TEST(directory.error == "cannot run \"/tmp\": permission denied");
  const ProcessResult empty = run_process({}, {}, generous);
  BOOST_TEST(empty.start_failed);
  BOOST_TEST(empty.error == "cannot run an empty command");
}

BOOST_AUTO_TEST_CASE(a_timeout_ends_the_command_quickly) {
  const auto started = std::chrono::steady_clock::now();
  const ProcessResult result = run_process({"/bin/sleep", "30"}, {}, 200ms);
  const auto took = std::chrono::steady_clock::now() - started;
  BOOST_TEST(result.timed_out);
  BOOST_TEST(result.signal == SIGTERM);
  BOOST_TEST(!result.start_failed);
  BOOST_TEST(ms(took) < 10'000);
  BOOST_TEST(result.elapsed.count() >= 200);
}

BOOST_AUTO_TEST_CASE(a_command_that_ignores_sigterm_gets_sigkill) {
  const ProcessResult result = sh("trap '' TERM; /bin/sleep 30", 200ms);
  BOOST_TEST(result.timed_out);
  BOOST_TEST(result.signal == SIGKILL);
  BOOST_TEST(result.elapsed.count() >= 2000);
  BOOST_TEST(result.elapsed.count() < 20'000);
}

BOOST_AUTO_TEST_CASE(a_timeout_kills_the_whole_process_group) {
  // The grandchild prints its pid, then both wait far beyond the timeout.
  const ProcessResult result = sh("/bin/sleep 30 & echo $!; wait", 300ms);
  BOOST_TEST(result.timed_out);
  BOOST_TEST_REQUIRE(!result.out.empty());
  const long grandchild = std::stol(result.out);
  BOOST_TEST(gone_within(grandchild, 10s));
}

BOOST_AUTO_TEST_CASE(what_a_command_leaves_running_in_its_group_is_killed) {
  // The command exits at once; its background child keeps the pipe open.
  const auto started = std::chrono::steady_clock::now();
  const ProcessResult result = sh("/bin/sleep 30 & echo $!; exit 4");
  BOOST_TEST(result.exit_code == 4);
  BOOST_TEST(!result.timed_out);
  BOOST_TEST(ms(std::chrono::steady_clock::now() - started) < 10'000);
  BOOST_TEST_REQUIRE(!result.out.empty());
  BOOST_TEST(gone_within(std::stol(result.out), 10s));
}

BOOST_AUTO_TEST_CASE(a_command_that_closes_its_output_is_still_timed_out) {
  const ProcessResult result = sh("exec >&- 2>&-; /bin/sleep 30", 300ms);
  BOOST_TEST(result.timed_out);
  BOOST_TEST(result.elapsed.count() < 10'000);
}

BOOST_AUTO_TEST_CASE(commands_run_at_once_from_several_threads) {
  std::vector<std::future<ProcessResult>> runs;
  for (int i = 0; i < 8; ++i) {
    runs.push_back(std::async(std::launch::async, [i] {
      return sh("/bin/sleep 0.2; echo " + std::to_string(i) + "; exit " + std::to_string(i));
    }));
  }
  for (int i = 0; i < 8; ++i) {
    const ProcessResult result = runs[static_cast<std::size_t>(i)].get();
    BOOST_TEST(result.exit_code == i);
    BOOST_TEST(result.out == std::to_string(i) + "\n");
  }
}

BOOST_AUTO_TEST_CASE(descriptors_of_the_parent_do_not_leak_into_the_command) {
  // One this process opened without close-on-exec, as careless code might.
  const int careless = ::open("/dev/null", O_RDONLY);
  BOOST_TEST_REQUIRE(careless >= 0);
  const ProcessResult result = sh("ls /proc/$$/fd");
  ::close(careless);
  BOOST_TEST(result.exit_code == 0);
  BOOST_TEST(result.out == "0\n1\n2\n");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace lyncupdate::live
