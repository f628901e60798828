#include "lyncupdate/model/time.hpp"

#include <cmath>

#include <fmt/format.h>

namespace lyncupdate {

Duration minutes_to_duration(double minutes) {
  return Duration(static_cast<Duration::rep>(std::llround(minutes * 60'000.0)));
}

}  // namespace lyncupdate

namespace lyncupdate {

std::string format_duration(Duration d) {
  using namespace std::chrono;
  const bool negative = d < Duration::zero();
  const auto total = duration_cast<seconds>(negative ? -d : d).count();
  const auto h = total / 3600, m = (total / 60) % 60, s = total % 60;
  std::string out = negative ? "-" : "";
  if (h > 0) return out + fmt::format("{}h{:02}m{:02}s", h, m, s);
  if (m > 0) return out + fmt::format("{}m{:02}s", m, s);
  return out + fmt::format("{}s", s);
}

std::string format_clock(TimePoint t, Duration window_start) {
  using namespace std::chrono;
  const auto since_midnight = duration_cast<seconds>(window_start + t.time_since_epoch()).count();
  const auto day = since_midnight % 86'400;
  return fmt::format("{:02}:{:02}:{:02}", day / 3600, (day / 60) % 60, day % 60);
}

std::string format_count(std::int64_t n) {
  const std::string digits =
      std::to_string(n < 0 ? -static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n));
  std::string out = n < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace lyncupdate
