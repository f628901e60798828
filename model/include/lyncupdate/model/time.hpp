#pragma once
/// \file
/// Time types shared by every part: integer milliseconds, never floating point, so that
/// event ordering is exact. Human units (minutes) appear only in files and are converted once
/// at load.

#include <chrono>
#include <cstdint>
#include <string>

namespace lyncupdate {

/// A span of time, in integer milliseconds.
using Duration = std::chrono::duration<std::int64_t, std::milli>;

/// The clock of a rehearsal: time zero is the start of the maintenance window.
struct RunClock {
  using rep = Duration::rep;
  using period = Duration::period;
  using duration = Duration;
  using time_point = std::chrono::time_point<RunClock, Duration>;
  static constexpr bool is_steady = true;
};

/// An instant of a run, measured from the start of the maintenance window.
using TimePoint = RunClock::time_point;

/// Converts a number of minutes read from a file to a Duration, rounding to the millisecond.
Duration minutes_to_duration(double minutes);

}  // namespace lyncupdate

namespace lyncupdate {

/// A duration as people read it: "41m12s", "1h05m03s", "45s"; rounded down to the second.
std::string format_duration(Duration d);

/// The time of day of `t` in a window that starts at `window_start` after midnight:
/// "22:13:05"; the day wraps at midnight.
std::string format_clock(TimePoint t, Duration window_start);

/// A count as people write it: 1500 -> "1,500", -12345 -> "-12,345".
std::string format_count(std::int64_t n);

}  // namespace lyncupdate
