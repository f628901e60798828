#include "html_svg.hpp"

#include <array>

#include <fmt/format.h>

namespace lyncupdate::reports {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace lyncupdate::reports

namespace lyncupdate::reports::html {

std::string num(double value) {
  // -0.0 would print as "-0.0"; charts never need negative zero.
  if (value > -0.05 && value < 0.05) return "0";
  return fmt::format("{:.1f}", value);
}

std::int64_t tick_step(std::int64_t span, int max_ticks) {
  constexpr std::int64_t s = 1000, m = 60 * s, h = 60 * m;
  constexpr std::array<std::int64_t, 18> steps{s, 2 * s, 5 * s, 10 * s, 15 * s, 30 * s,
                                               m, 2 * m, 5 * m, 10 * m, 15 * m, 30 * m,
                                               h, 2 * h, 3 * h, 6 * h,  12 * h, 24 * h};
  for (const std::int64_t step : steps) {
    if (span / step <= max_ticks) return step;
  }
  return steps.back() * (span / (steps.back() * max_ticks) + 1);
}

std::string precise_duration(Duration d) {
  if (d >= std::chrono::minutes(1) || d <= -std::chrono::minutes(1)) return format_duration(d);
  const std::int64_t ms = d.count();
  return fmt::format("{}{}.{:03}s", ms < 0 ? "-" : "", (ms < 0 ? -ms : ms) / 1000,
                     (ms < 0 ? -ms : ms) % 1000);
}

std::int64_t round_up(std::int64_t to, std::int64_t step) {
  if (to <= 0) return step;
  return (to + step - 1) / step * step;
}

std::string clock_label(std::int64_t ms, Duration window_start) {
  return format_clock(TimePoint{Duration(ms)}, window_start).substr(0, 5);
}

std::string shorten(std::string_view text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    // A byte 10xxxxxx continues a UTF-8 character; every other byte starts one.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars == max_chars) return std::string(text.substr(0, i)) + "\u2026";
    ++chars;
  }
  return std::string(text);
}

}  // namespace lyncupdate::reports::html
