#pragma once
/// \file
/// The operator's terminal: prompts for manual steps on standard error, answers read from a
/// file descriptor (standard input), one prompt at a time.

#include <atomic>
#include <mutex>
#include <string>

#include "lyncupdate/live/live_backend.hpp"

namespace lyncupdate::live {

/// Asks on standard error and reads answers, one line each, from `input`: `done` (or `d`,
/// `yes`, `y`) confirms, `abort` (or `a`, `no`, `n`) and end of input refuse. Stops waiting
/// when `interrupted` becomes true.
class TerminalConsole final : public OperatorConsole {
 public:
  TerminalConsole(int input, const std::atomic<bool>& interrupted);
  Answer confirm(const std::string& prompt, std::chrono::seconds timeout) override;

 private:
  int input_;
  const std::atomic<bool>* interrupted_;
  std::mutex mutex_;     // one prompt at a time
  std::string pending_;  // bytes read past the last answer
  bool closed_ = false;
};

}  // namespace lyncupdate::live
