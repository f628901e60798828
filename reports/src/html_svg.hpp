#pragma once
/// \file
/// Internal to the HTML report: the pieces its SVG charts share (scales, time ticks, number
/// formatting) and the sections each chart file renders.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "lyncupdate/reports/html.hpp"

namespace lyncupdate::reports::html {

/// Width of every chart's viewBox; charts scale to the page width.
inline constexpr double chart_width = 1000.0;

/// Maps milliseconds in [from, to] onto x in [left, right].
struct TimeScale {
  std::int64_t from = 0;
  std::int64_t to = 1;
  double left = 0.0;
  double right = chart_width;

  double at(std::int64_t ms) const {
    const double span = static_cast<double>(to - from);
    return left + (right - left) * static_cast<double>(ms - from) / (span > 0 ? span : 1.0);
  }
};

/// A coordinate with one decimal: short, and the same on every run.
std::string num(double value);

/// A tick step (ms) that puts at most `max_ticks` ticks on `span` ms.
std::int64_t tick_step(std::int64_t span, int max_ticks = 10);

/// `to` rounded up to a multiple of `step`.
std::int64_t round_up(std::int64_t to, std::int64_t step);

/// "22:15" for a tick of the maintenance window.
std::string clock_label(std::int64_t ms, Duration window_start);

/// At most `max_chars` characters of `text` (UTF-8 aware), with an ellipsis when cut.
std::string shorten(std::string_view text, std::size_t max_chars);

/// The vertical grid lines and labels of a time axis along y = `top` .. `bottom`, labelled
/// by `label`.
template <typename Label>
std::string time_axis(const TimeScale& scale, std::int64_t step, double top, double bottom,
                      Label label) {
  std::string out = "<g class=\"axis\">";
  for (std::int64_t t = scale.from; t <= scale.to; t += step) {
    out += fmt::format(
        "<line class=\"grid\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>"
        "<text class=\"tick\" x=\"{0}\" y=\"{3}\">{4}</text>",
        num(scale.at(t)), num(top), num(bottom), num(bottom + 14), html_escape(label(t)));
  }
  return out + "</g>";
}

/// How a histogram bins and labels its values: durations in milliseconds, or counts.
struct HistogramUnit {
  /// The first bin starts at a multiple of this, and a bin wider than it is a whole number of
  /// it wide (1000 for durations: whole seconds; 1 for counts).
  std::int64_t grain = 1;
  /// A tick step that puts at most `max_ticks` ticks on `span`.
  std::int64_t (*tick_step)(std::int64_t span, int max_ticks) = nullptr;
  /// A value as a tick, a percentile mark or the limit shows it: "41m12s", "1250".
  std::string (*label)(std::int64_t value) = nullptr;
  /// A bin's range [low, high) as its tooltip says it: "41m00s to 41m30s", "3", "10 to 14".
  std::string (*bin)(std::int64_t low, std::int64_t high) = nullptr;
};

/// A tick step of 1, 2 or 5 times a power of ten that puts at most `max_ticks` ticks on
/// `span`.
std::int64_t count_tick_step(std::int64_t span, int max_ticks = 10);

/// Durations in milliseconds, binned in whole seconds once a bin spans more than one.
extern const HistogramUnit duration_histogram;

/// Whole counts (users, operations).
extern const HistogramUnit count_histogram;

/// A Monte Carlo histogram under the heading `label`: `samples` in `histogram_bins` equal
/// bins, the percentiles P50 to P99 marked, and the `limit` line and the window's close when
/// given (in the unit's values).
std::string histogram_svg(std::string_view label, const std::vector<std::int64_t>& samples,
                          const mc::Percentiles& p, const HistogramUnit& unit,
                          std::optional<std::int64_t> limit,
                          std::optional<std::int64_t> window_close);

/// The Gantt timeline of the rehearsal, one row per planned server.
std::string timeline_section(const HtmlReport& report);

/// A duration to the millisecond below a minute ("4.250s"), else as format_duration.
std::string precise_duration(Duration d);

/// "Rehearsal against reality": the live run's steps against the rehearsed distributions,
/// its outages against the limit and the Monte Carlo batch. Needs `report.actual`.
std::string reality_section(const HtmlReport& report);

/// `verify --html`: the search's verdict, figures and counterexample.
std::string verification_section(const HtmlReport& report);

/// Each server's longest outage of the rehearsal against the limit line.
std::string outage_section(const HtmlReport& report);

/// Histograms of the Monte Carlo batch, with percentiles and the risk of reaching the limit.
std::string montecarlo_section(const mc::BatchSummary& summary);

/// Users in resiliency mode and disconnected over the rehearsal.
std::string users_section(const HtmlReport& report);

/// The user impact over a Monte Carlo batch: mean and percentiles of every user metric, and
/// the histogram of the users affected per run.
std::string montecarlo_users_section(const mc::BatchSummary& summary);

}  // namespace lyncupdate::reports::html
