// A Monte Carlo histogram: the samples binned (the samples themselves stay out of the file),
// the percentiles marked, and the limit and the window's close when given.

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "html_svg.hpp"

namespace lyncupdate::reports::html {
namespace {

struct Histogram {
  std::int64_t low = 0;    ///< lower edge of the first bin, in the unit's values
  std::int64_t width = 1;  ///< of every bin
  std::array<std::uint64_t, histogram_bins> counts{};
  std::uint64_t highest = 0;  ///< the largest count
};

// Equal bins from the smallest sample rounded down to the unit's grain; once a bin spans more
// than one grain, its width is a whole number of grains.
Histogram bin(const std::vector<std::int64_t>& samples, std::int64_t grain) {
  Histogram h;
  if (samples.empty()) return h;
  const auto [low, high] = std::ranges::minmax(samples);
  h.low = low / grain * grain;
  const auto bins = static_cast<std::int64_t>(histogram_bins);
  h.width = std::max<std::int64_t>(1, (high - h.low + bins) / bins);
  if (h.width > grain) h.width = round_up(h.width, grain);
  for (const std::int64_t v : samples) {
    ++h.counts[static_cast<std::size_t>((v - h.low) / h.width)];
  }
  h.highest = *std::ranges::max_element(h.counts);
  return h;
}

std::string percent(double fraction) { return fmt::format("{:.2f}%", fraction * 100.0); }

std::string duration_label(std::int64_t ms) { return format_duration(Duration(ms)); }

std::string duration_bin(std::int64_t low, std::int64_t high) {
  return fmt::format("{} to {}", duration_label(low), duration_label(high));
}

std::string count_label(std::int64_t n) { return std::to_string(n); }

// Counts are whole: a bin [low, high) holds low .. high - 1.
std::string count_bin(std::int64_t low, std::int64_t high) {
  return high - low == 1 ? count_label(low)
                         : fmt::format("{} to {}", count_label(low), count_label(high - 1));
}

}  // namespace

std::int64_t count_tick_step(std::int64_t span, int max_ticks) {
  for (std::int64_t magnitude = 1;; magnitude *= 10) {
    for (const std::int64_t m : {1, 2, 5}) {
      if (span / (m * magnitude) <= max_ticks) return m * magnitude;
    }
  }
}

const HistogramUnit duration_histogram{1000, &tick_step, &duration_label, &duration_bin};
const HistogramUnit count_histogram{1, &count_tick_step, &count_label, &count_bin};

std::string histogram_svg(std::string_view label, const std::vector<std::int64_t>& samples,
                          const mc::Percentiles& p, const HistogramUnit& unit,
                          std::optional<std::int64_t> limit,
                          std::optional<std::int64_t> window_close) {
  const Histogram h = bin(samples, unit.grain);
  const std::int64_t bins_end = h.low + h.width * static_cast<std::int64_t>(histogram_bins);
  std::int64_t from = h.low, to = bins_end;
  if (limit) {
    from = std::min(from, *limit);
    to = std::max(to, *limit + (*limit - from) / 20 + 1);
  }
  constexpr double top = 60.0, bottom = 190.0;
  const TimeScale scale{from, to, 70.0, chart_width - 20.0};
  const std::int64_t step = unit.tick_step(to - from, 10);

  std::string svg = fmt::format(
      "<h3 class=\"chart-heading\">{}</h3><svg class=\"chart histogram\" viewBox=\"0 0 {} {}\" "
      "width=\"100%\" role=\"img\" "
      "aria-label=\"histogram: {}\" data-bins=\"{}\">",
      html_escape(label), num(chart_width), num(bottom + 24), html_escape(label), histogram_bins);
  // Ticks at whole steps from the first multiple of `step` at or after `from`.
  std::string axis = "<g class=\"axis\">";
  for (std::int64_t t = from <= 0 ? 0 : round_up(from, step); t <= to; t += step) {
    const std::string x = num(scale.at(t));
    axis += fmt::format(
        "<line class=\"grid\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/><text class=\"tick\" "
        "x=\"{0}\" y=\"{3}\">{4}</text>",
        x, num(top), num(bottom), num(bottom + 14), unit.label(t));
  }
  svg += axis + "</g>";
  svg += fmt::format(
      "<text class=\"y-label\" x=\"64\" y=\"{}\">{} runs</text><text class=\"y-label\" x=\"64\" "
      "y=\"{}\">0</text>",
      num(top + 4), h.highest, num(bottom));
  const double total = static_cast<double>(samples.size());
  for (std::size_t i = 0; i < histogram_bins; ++i) {
    const std::int64_t lo = h.low + h.width * static_cast<std::int64_t>(i);
    const double x = scale.at(lo);
    const double width = std::max(scale.at(lo + h.width) - x - 0.5, 0.5);
    const double height = h.highest == 0 ? 0.0
                                         : (bottom - top) * static_cast<double>(h.counts[i]) /
                                               static_cast<double>(h.highest);
    svg += fmt::format(
        "<rect class=\"hist-bin\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" "
        "data-count=\"{}\"><title>{}: {} run{} ({})</title></rect>",
        num(x), num(bottom - height), num(width), num(height), h.counts[i],
        unit.bin(lo, lo + h.width), h.counts[i], h.counts[i] == 1 ? "" : "s",
        percent(static_cast<double>(h.counts[i]) / total));
  }
  const std::array<std::pair<std::string_view, std::int64_t>, 4> marks{
      {{"P50", p.p50}, {"P90", p.p90}, {"P95", p.p95}, {"P99", p.p99}}};
  for (std::size_t i = 0; i < marks.size(); ++i) {
    const std::string x = num(scale.at(marks[i].second));
    // Labels on four levels, so that close percentiles stay readable.
    svg += fmt::format(
        "<line class=\"pct-line\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>"
        "<text class=\"pct-label{6}\" x=\"{0}\" y=\"{3}\">{4} {5}</text>",
        x, num(top - 4), num(bottom), num(top - 6 - 10.0 * static_cast<double>(i)), marks[i].first,
        unit.label(marks[i].second),
        // Near the right edge a label ends at its line instead of starting there.
        scale.at(marks[i].second) > chart_width * 0.8 ? " end" : "");
  }
  if (limit) {
    const std::string x = num(scale.at(*limit));
    svg += fmt::format(
        "<line class=\"limit-line\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>"
        "<text class=\"limit-label\" x=\"{0}\" y=\"{3}\">limit {4}</text>",
        x, num(top - 52), num(bottom), num(top - 46), unit.label(*limit));
  }
  if (window_close && *window_close >= from && *window_close <= to) {
    const std::string x = num(scale.at(*window_close));
    svg += fmt::format(
        "<line class=\"window-line\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>"
        "<text class=\"window-label\" x=\"{0}\" y=\"{3}\">window closes</text>",
        x, num(top - 52), num(bottom), num(top - 46));
  }
  return svg + "</svg>";
}

}  // namespace lyncupdate::reports::html
