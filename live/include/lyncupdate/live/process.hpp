#pragma once
/// \file
/// Running one command on this machine as a child process: started with fork and execve in a
/// process group of its own, standard input from /dev/null, standard output and error
/// captured, killed with its whole group when it runs too long or when lyncupdate dies.

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace lyncupdate::live {

/// Variables added to a child's environment, as name and value; a name the environment
/// already has is replaced.
using Environment = std::vector<std::pair<std::string, std::string>>;

/// How much of each of standard output and standard error a ProcessResult keeps: the last
/// 64 KiB.
inline constexpr std::size_t max_captured_bytes = std::size_t{64} << 10;

/// How a child process ended.
struct ProcessResult {
  int exit_code = -1;  ///< its exit status; -1 when a signal ended it; 127 when it never started
  int signal = 0;      ///< the signal that ended it, 0 if it exited
  bool timed_out = false;     ///< it ran past its timeout and its process group was killed
  bool start_failed = false;  ///< it never ran: `error` says why
  /// The last max_captured_bytes of standard output and of standard error, as raw bytes
  /// (a cut never leaves a partial UTF-8 sequence at the start).
  std::string out, err;
  std::chrono::milliseconds elapsed{};  ///< from the start to the end of the child
  std::string error;  ///< why it could not start, lower-case; empty when it started
};

/// Runs `argv` to its end and returns how it ended. The program `argv[0]` is looked up on the
/// PATH (that of `extra_environment` when it sets one, else this process's) unless it holds a
/// `/`; a program that cannot be found or executed gives `start_failed` with exit code 127.
/// The child gets this process's environment with `extra_environment` applied, standard input
/// from /dev/null, default signal handling, and a process group of its own, and receives
/// SIGTERM if the calling thread ends first (so the caller's thread must outlive the call,
/// which it does since the call blocks). When it runs longer than `timeout` (more than 0), its
/// group gets SIGTERM, then SIGKILL 2 s later; processes it left behind in its group when it
/// exited are killed too. Thread-safe: several threads may run processes at once.
ProcessResult run_process(const std::vector<std::string>& argv,
                          const Environment& extra_environment, std::chrono::milliseconds timeout);

}  // namespace lyncupdate::live
