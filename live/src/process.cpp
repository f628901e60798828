#include "lyncupdate/live/process.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string_view>

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;  // NOLINT: POSIX declares it nowhere

namespace lyncupdate::live {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// After the first SIGTERM, the group gets this long to end before SIGKILL.
constexpr milliseconds kill_grace{2000};
// How long output is still read after the command ended, before what it left running in its
// group is killed and its pipes are closed.
constexpr milliseconds drain_grace{500};
// Longer timeouts are treated as none, so that deadlines cannot overflow the clock.
constexpr milliseconds longest_timeout = std::chrono::hours(24 * 365);
// The PATH used when the environment has none (glibc's default).
constexpr std::string_view default_path = "/usr/local/bin:/usr/bin:/bin";

// A descriptor closed when it goes out of scope.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  bool open() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// strerror_r comes in two shapes; both give the text through one of these.
[[maybe_unused]] const char* error_text(int /*xsi_result*/, const char* buffer) { return buffer; }
[[maybe_unused]] const char* error_text(const char* gnu_result, const char* /*buffer*/) {
  return gnu_result;
}

// The text of errno value `error`, lower-case ("no such file or directory"); thread-safe,
// unlike strerror.
std::string reason(int error) {
  std::array<char, 256> buffer{};
  std::string text = error_text(strerror_r(error, buffer.data(), buffer.size()), buffer.data());
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') text[0] = static_cast<char>(text[0] + 32);
  return text;
}

// A program name fit for a message: control bytes never reach the terminal raw.
std::string shown(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(byte < 0x20 || byte == 0x7f ? '?' : c);
  }
  return '"' + out + '"';
}

ProcessResult failed_start(std::string error, int exit_code = 127) {
  ProcessResult result;
  result.start_failed = true;
  result.exit_code = exit_code;
  result.error = std::move(error);
  return result;
}

// The file `program` names: itself when it holds a '/', else the first executable regular file
// of that name in the directories of `path` (an empty entry is the current directory).
std::optional<std::string> resolve_program(const std::string& program, std::string_view path) {
  if (program.find('/') != std::string::npos) return program;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t colon = std::min(path.find(':', start), path.size());
    const std::string_view dir = path.substr(start, colon - start);
    std::string candidate = dir.empty() ? program : fmt::format("{}/{}", dir, program);
    struct stat info {};
    if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = colon + 1;
  }
  return std::nullopt;
}

// This process's environment with `extra` applied: "NAME=value" strings.
std::vector<std::string> child_environment(const Environment& extra) {
  std::vector<std::string> out;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const std::string_view name = text.substr(0, text.find('='));
    const bool replaced =
        std::ranges::any_of(extra, [&](const auto& variable) { return variable.first == name; });
    if (!replaced) out.emplace_back(text);
  }
  for (const auto& [name, value] : extra) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Keeps the last max_captured_bytes of what is appended, trimming in batches so that a long
// output costs linear time.
void append_tail(std::string& tail, std::string_view bytes) {
  tail.append(bytes);
  if (tail.size() > 2 * max_captured_bytes) tail.erase(0, tail.size() - max_captured_bytes);
}

void finish_tail(std::string& tail) {
  if (tail.size() <= max_captured_bytes) return;
  std::size_t cut = tail.size() - max_captured_bytes;
  // Start on a character: skip the continuation bytes of one cut in two.
  for (int k = 0;
       k < 3 && cut < tail.size() && (static_cast<unsigned char>(tail[cut]) & 0xC0u) == 0x80u;
       ++k) {
    ++cut;
  }
  tail.erase(0, cut);
}

// close_range's flag that marks the range close-on-exec instead of closing it (Linux 5.11).
constexpr unsigned close_range_cloexec = 1U << 2;

// One more than the highest descriptor the child may have to close when close_range is
// missing; getrlimit is not async-signal-safe, so it is asked before the fork.
int descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 65536;
  return static_cast<int>(std::min<rlim_t>(limit.rlim_cur, 65536));
}

// In the child, between fork and execve: only async-signal-safe calls, since another thread
// of the parent may have held a lock (of malloc, say) at the moment of the fork.
[[noreturn]] void exec_child(const char* program, char* const* argv, char* const* envp,
                             pid_t parent, int input, int output, int error, int report,
                             int descriptor_limit) {
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  // The parent may have died before prctl: then nobody would ever send the signal.
  if (::getppid() != parent) ::_exit(127);
  // Ignored signals and the blocked mask survive execve; the command gets the defaults, so
  // that the SIGTERM of a timeout reaches it.
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) ::sigaction(sig, &default_action, nullptr);
  }
  // Move the three descriptors above 2 first, so that none is overwritten by another's dup2
  // when the parent runs without standard descriptors; dup2 clears close-on-exec on 0, 1, 2.
  const int in = ::fcntl(input, F_DUPFD_CLOEXEC, 3);
  const int out = ::fcntl(output, F_DUPFD_CLOEXEC, 3);
  const int err = ::fcntl(error, F_DUPFD_CLOEXEC, 3);
  if (in < 0 || out < 0 || err < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 ||
      ::dup2(err, 2) < 0) {
    const int e = errno;
    [[maybe_unused]] const auto n = ::write(report, &e, sizeof e);
    ::_exit(127);
  }
  // Descriptors other code opened without close-on-exec (or inherited from our own parent)
  // must not reach the command either.
#ifdef SYS_close_range
  if (::syscall(SYS_close_range, 3U, ~0U, close_range_cloexec) != 0)
#endif
  {
    for (int fd = 3; fd < descriptor_limit; ++fd) {
      if (fd != report) ::close(fd);
    }
  }
  ::execve(program, argv, envp);
  const int e = errno;
  [[maybe_unused]] const auto n = ::write(report, &e, sizeof e);
  ::_exit(127);
}

// A descriptor that becomes readable when process `pid` ends, or none on kernels without
// pidfd_open (before Linux 5.3); the loop then checks every few milliseconds.
Fd exit_notifier(pid_t pid) {
#ifdef SYS_pidfd_open
  const long fd = ::syscall(SYS_pidfd_open, pid, 0);  // always close-on-exec
  if (fd >= 0) return Fd(static_cast<int>(fd));
#endif
  (void)pid;
  return Fd();
}

// Whether `pid` has ended, without reaping it: while it is a zombie its id, and so its process
// group's id, cannot be reused, and the group can still be signalled safely.
bool has_ended(pid_t pid) {
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    return errno == ECHILD;  // reaped behind our back (SIGCHLD ignored): it is gone
  }
  return info.si_pid == pid;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv,
                          const Environment& extra_environment, milliseconds timeout) {
  if (argv.empty()) return failed_start("cannot run an empty command");
  for (const auto& [name, value] : extra_environment) {
    if (name.empty() || name.find('=') != std::string::npos ||
        name.find('\0') != std::string::npos || value.find('\0') != std::string::npos) {
      return failed_start(fmt::format("cannot run {}: invalid environment variable {}",
                                      shown(argv[0]), shown(name)));
    }
  }
  // Everything the child needs is prepared here: after the fork it may not allocate.
  std::string path(default_path);
  const auto path_override = std::ranges::find_if(
      extra_environment, [](const auto& variable) { return variable.first == "PATH"; });
  if (path_override != extra_environment.end()) {
    path = path_override->second;
  } else if (const char* inherited = std::getenv("PATH")) {  // NOLINT(concurrency-mt-unsafe)
    path = inherited;
  }
  const auto program = resolve_program(argv[0], path);
  if (!program)
    return failed_start(fmt::format("cannot run {}: not found on PATH", shown(argv[0])));
  std::vector<std::string> arguments = argv;
  std::vector<std::string> environment = child_environment(extra_environment);
  const std::vector<char*> argv_pointers = pointers(arguments);
  const std::vector<char*> envp_pointers = pointers(environment);

  Fd input(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!input.open()) {
    return failed_start(fmt::format("cannot open /dev/null: {}", reason(errno)), -1);
  }
  std::array<Fd, 2> out;
  std::array<Fd, 2> err;
  std::array<Fd, 2> report;  // carries execve's errno to the parent; closes on success
  for (auto* pipe : {&out, &err, &report}) {
    std::array<int, 2> ends{};
    if (::pipe2(ends.data(), O_CLOEXEC) != 0) {
      return failed_start(fmt::format("cannot create a pipe: {}", reason(errno)), -1);
    }
    (*pipe)[0] = Fd(ends[0]);
    (*pipe)[1] = Fd(ends[1]);
  }

  const int limit = descriptor_limit();
  const pid_t parent = ::getpid();
  const auto started = Clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) return failed_start(fmt::format("cannot fork: {}", reason(errno)), -1);
  if (pid == 0) {
    exec_child(program->c_str(), argv_pointers.data(), envp_pointers.data(), parent, input.get(),
               out[1].get(), err[1].get(), report[1].get(), limit);
  }
  // Both sides set the group, so that it exists before the parent may signal it.
  ::setpgid(pid, pid);
  input.reset();
  out[1].reset();
  err[1].reset();
  report[1].reset();

  int exec_errno = 0;
  ssize_t got = 0;
  do {
    got = ::read(report[0].get(), &exec_errno, sizeof exec_errno);
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof exec_errno)) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return failed_start(fmt::format("cannot run {}: {}", shown(*program), reason(exec_errno)));
  }
  report[0].reset();

  ProcessResult result;
  const auto deadline =
      started + (timeout > longest_timeout ? longest_timeout : std::max(timeout, milliseconds{0}));
  std::optional<Clock::time_point> term_sent;
  std::optional<Clock::time_point> ended;
  std::optional<Clock::time_point> leftovers_killed;
  Fd exited = exit_notifier(pid);
  std::array<char, 16384> buffer{};
  for (;;) {
    const auto now = Clock::now();
    const bool pipes_open = out[0].open() || err[0].open();
    if (!ended && has_ended(pid)) ended = now;
    std::optional<Clock::time_point> next;  // when something must happen without input
    if (ended) {
      // The command is over; what it left in its group may still hold the pipes.
      if (!leftovers_killed && (!pipes_open || now >= *ended + drain_grace)) {
        ::kill(-pid, SIGKILL);
        leftovers_killed = now;
      }
      if (leftovers_killed && (!pipes_open || now >= *leftovers_killed + drain_grace)) break;
      next = leftovers_killed ? *leftovers_killed + drain_grace : *ended + drain_grace;
    } else if (!term_sent) {
      if (now >= deadline) {
        result.timed_out = true;
        ::kill(-pid, SIGTERM);
        term_sent = now;
        next = now + kill_grace;
      } else {
        next = deadline;
      }
    } else if (now >= *term_sent + kill_grace) {
      ::kill(-pid, SIGKILL);
      next = now + kill_grace;  // a killed process ends at once; this only bounds the wait
    } else {
      next = *term_sent + kill_grace;
    }

    std::array<pollfd, 3> fds{};
    nfds_t count = 0;
    for (const Fd* fd : {&out[0], &err[0]}) {
      if (fd->open()) fds[count++] = {fd->get(), POLLIN, 0};
    }
    if (exited.open() && !ended) fds[count++] = {exited.get(), POLLIN, 0};
    auto wait = std::chrono::ceil<milliseconds>(*next - now);
    // Without an exit notifier, the end of a command that closed its pipes is noticed by polling.
    if (!exited.open() && !ended) wait = std::min(wait, milliseconds{20});
    wait = std::clamp(wait, milliseconds{0}, milliseconds{60'000});
    const int ready = ::poll(fds.data(), count, static_cast<int>(wait.count()));
    if (ready < 0 && errno != EINTR) {
      ::kill(-pid, SIGKILL);  // cannot watch it any more: end it rather than wait blind
      break;
    }
    for (nfds_t i = 0; ready > 0 && i < count; ++i) {
      if (fds[i].revents == 0 || fds[i].fd == exited.get()) continue;
      Fd& fd = fds[i].fd == out[0].get() ? out[0] : err[0];
      std::string& tail = fds[i].fd == out[0].get() ? result.out : result.err;
      const ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
      if (n > 0) {
        append_tail(tail, std::string_view(buffer.data(), static_cast<std::size_t>(n)));
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        fd.reset();
      }
    }
  }

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.elapsed = std::chrono::duration_cast<milliseconds>(ended.value_or(Clock::now()) - started);
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  finish_tail(result.out);
  finish_tail(result.err);
  return result;
}

}  // namespace lyncupdate::live
