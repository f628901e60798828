#include "lyncupdate/live/console.hpp"

#include <cerrno>
#include <cstdio>

#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

namespace lyncupdate::live {
namespace {

void say(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

std::string trimmed_lower(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == ' ' || c == '\t' || c == '\r') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

}  // namespace

TerminalConsole::TerminalConsole(int input, const std::atomic<bool>& interrupted)
    : input_(input), interrupted_(&interrupted) {}

OperatorConsole::Answer TerminalConsole::confirm(const std::string& prompt,
                                                 std::chrono::seconds timeout) {
  const std::lock_guard lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  say(
      fmt::format("\n>>> {}\n    type 'done' when it is done, or 'abort' to stop the plan "
                  "(waiting up to {}): ",
                  prompt, format_duration(timeout)));
  for (;;) {
    if (const auto newline = pending_.find('\n'); newline != std::string::npos) {
      const std::string answer = trimmed_lower(std::string_view(pending_).substr(0, newline));
      pending_.erase(0, newline + 1);
      if (answer == "done" || answer == "d" || answer == "yes" || answer == "y") {
        return Answer::done;
      }
      if (answer == "abort" || answer == "a" || answer == "no" || answer == "n") {
        return Answer::abort;
      }
      say("    please type 'done' or 'abort': ");
      continue;
    }
    if (closed_) return Answer::abort;  // nobody can answer
    if (interrupted_->load()) return Answer::interrupted;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return Answer::timed_out;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    pollfd fd{input_, POLLIN, 0};
    const int ready = ::poll(&fd, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 200)));
    if (ready < 0 && errno != EINTR) return Answer::abort;
    if (ready <= 0) continue;
    char buffer[256];
    const ssize_t got = ::read(input_, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      closed_ = true;
      // A last line without a newline still counts.
      if (!pending_.empty()) pending_ += '\n';
      continue;
    }
    pending_.append(buffer, static_cast<std::size_t>(got));
  }
}

}  // namespace lyncupdate::live
