// The Monte Carlo batch drawn: histograms of the window length and of each server's longest
// outage, binned (the samples themselves stay out of the file), percentiles marked, and the
// risk of reaching the outage limit with its confidence interval.

#include <algorithm>
#include <array>
#include <optional>

#include <fmt/format.h>

#include "html_svg.hpp"

namespace lyncupdate::reports::html {
namespace {

struct Histogram {
  std::int64_t low = 0;    ///< lower edge of the first bin, ms
  std::int64_t width = 1;  ///< of every bin, ms
  std::array<std::uint64_t, histogram_bins> counts{};
  std::uint64_t highest = 0;  ///< the largest count
};

// Equal bins from the smallest sample, in whole seconds once a bin spans more than one.
Histogram bin(const std::vector<std::int64_t>& samples) {
  Histogram h;
  if (samples.empty()) return h;
  const auto [low, high] = std::ranges::minmax(samples);
  h.low = low / 1000 * 1000;
  const auto bins = static_cast<std::int64_t>(histogram_bins);
  h.width = std::max<std::int64_t>(1, (high - h.low + bins) / bins);
  if (h.width > 1000) h.width = round_up(h.width, 1000);
  for (const std::int64_t v : samples) {
    ++h.counts[static_cast<std::size_t>((v - h.low) / h.width)];
  }
  h.highest = *std::ranges::max_element(h.counts);
  return h;
}

std::string percent(double fraction) { return fmt::format("{:.2f}%", fraction * 100.0); }

std::string d(std::int64_t ms) { return format_duration(Duration(ms)); }

// One histogram: `samples` binned, the percentiles marked, and the limit line when given.
std::string histogram_svg(std::string_view label, const std::vector<std::int64_t>& samples,
                          const mc::Percentiles& p, std::optional<std::int64_t> limit,
                          std::optional<std::int64_t> window_close) {
  const Histogram h = bin(samples);
  const std::int64_t bins_end = h.low + h.width * static_cast<std::int64_t>(histogram_bins);
  std::int64_t from = h.low, to = bins_end;
  if (limit) {
    from = std::min(from, *limit);
    to = std::max(to, *limit + (*limit - from) / 20 + 1);
  }
  constexpr double top = 60.0, bottom = 190.0;
  const TimeScale scale{from, to, 70.0, chart_width - 20.0};
  const std::int64_t step = tick_step(to - from, 10);

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
        x, num(top), num(bottom), num(bottom + 14), d(t));
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
        "data-count=\"{}\"><title>{} to {}: {} run{} ({})</title></rect>",
        num(x), num(bottom - height), num(width), num(height), h.counts[i], d(lo), d(lo + h.width),
        h.counts[i], h.counts[i] == 1 ? "" : "s",
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
        d(marks[i].second),
        // Near the right edge a label ends at its line instead of starting there.
        scale.at(marks[i].second) > chart_width * 0.8 ? " end" : "");
  }
  if (limit) {
    const std::string x = num(scale.at(*limit));
    svg += fmt::format(
        "<line class=\"limit-line\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>"
        "<text class=\"limit-label\" x=\"{0}\" y=\"{3}\">limit {4}</text>",
        x, num(top - 52), num(bottom), num(top - 46), d(*limit));
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

std::string percentile_cells(const mc::Percentiles& p) {
  return fmt::format("<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>", d(p.p50), d(p.p90),
                     d(p.p95), d(p.p99), d(p.max));
}

// The chance of reaching the limit as a point on a scale with its interval around it.
std::string risk_svg(const mc::BatchSummary& summary) {
  const double high = std::max(summary.limit_interval.high * 1.25, 0.01);
  constexpr double left = 70.0, right = chart_width - 20.0, y = 22.0;
  const auto at = [&](double fraction) { return left + (right - left) * fraction / high; };
  std::string svg = fmt::format(
      "<svg class=\"chart risk\" viewBox=\"0 0 {} 56\" width=\"100%\" role=\"img\" "
      "aria-label=\"chance of reaching the outage limit with its 95% interval\">"
      "<line class=\"axis-line\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>",
      num(chart_width), num(left), num(right), num(y + 10), num(y + 10));
  for (int i = 0; i <= 4; ++i) {
    const double f = high * i / 4.0;
    svg += fmt::format("<text class=\"tick\" x=\"{}\" y=\"{}\">{}</text>", num(at(f)), num(y + 24),
                       percent(f));
  }
  const double lo_x = at(summary.limit_interval.low), hi_x = at(summary.limit_interval.high);
  svg += fmt::format(
      "<rect class=\"ci-bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"12\"><title>95% Wilson "
      "interval {} to {}</title></rect><circle class=\"ci-point\" cx=\"{}\" cy=\"{}\" r=\"5\">"
      "<title>{}</title></circle></svg>",
      num(lo_x), num(y - 6), num(std::max(hi_x - lo_x, 1.0)), percent(summary.limit_interval.low),
      percent(summary.limit_interval.high), num(at(summary.limit_probability)), num(y),
      percent(summary.limit_probability));
  return svg;
}

}  // namespace

std::string montecarlo_section(const mc::BatchSummary& summary) {
  const mc::BatchResult& b = *summary.batch;
  const mc::BatchScenario& s = b.scenario;
  const std::uint64_t runs = b.runs();
  std::string out =
      "<section id=\"montecarlo\"><h2>Monte Carlo: " + std::to_string(runs) + " rehearsals</h2>";
  out += fmt::format(
      "<p>Run i draws its durations from the generator of (seed {}, i). Percentiles are "
      "nearest-rank, exact to the millisecond; each histogram has {} equal bins over the "
      "samples.</p>",
      s.seed, histogram_bins);
  out += fmt::format(
      "<div class=\"risk-box{}\"><p class=\"risk\">P(a back end reaches the {} limit): "
      "<strong>{}</strong> of {} runs = <strong>{}</strong> (95% Wilson interval {} to "
      "{})</p>",
      b.runs_reaching_limit == 0 ? "" : " bad", d(s.backend_outage_limit.count()),
      b.runs_reaching_limit, runs, percent(summary.limit_probability),
      percent(summary.limit_interval.low), percent(summary.limit_interval.high));
  out += risk_svg(summary) + "</div>";

  out += histogram_svg(fmt::format("window length (when the plan ended), {} runs", runs),
                       b.window_ms, summary.window, std::nullopt, s.window_length.count());
  for (std::size_t i = 0; i < s.servers.size(); ++i) {
    out += histogram_svg(fmt::format("longest continuous outage of {} ({})", s.servers[i].fqdn,
                                     model::role_name(s.servers[i].role)),
                         b.longest_outage_ms[i], summary.longest_outage[i],
                         s.backend_outage_limit.count(), std::nullopt);
  }

  out +=
      "<table class=\"percentiles\"><thead><tr><th></th><th>P50</th><th>P90</th><th>P95</th>"
      "<th>P99</th><th>max</th></tr></thead><tbody>";
  out += "<tr><th>window length (plan end)</th>" + percentile_cells(summary.window) + "</tr>";
  for (std::size_t i = 0; i < s.servers.size(); ++i) {
    out += "<tr><th>longest outage, " + html_escape(s.servers[i].fqdn) + "</th>" +
           percentile_cells(summary.longest_outage[i]) + "</tr>";
  }
  out += "</tbody></table>";

  out += fmt::format(
      "<p>Runs stopped by a failed step: {} of {}. Faults: {} failed attempts ({} tried "
      "again), {} restarts required by the installer. Runs with a violation: {} of {}.</p>",
      b.runs_stopped, runs, b.failed_attempts, b.retried_attempts, b.reboots,
      b.runs_with_violations, runs);
  out +=
      "<table class=\"rules\"><thead><tr><th>rule</th><th>runs</th><th>violations</th></tr>"
      "</thead><tbody>";
  for (std::size_t r = 0; r < mc::counted_rules.size(); ++r) {
    out += fmt::format("<tr{}><td>{}</td><td>{}</td><td>{}</td></tr>",
                       b.runs_with_rule[r] == 0 ? "" : " class=\"bad\"", mc::counted_rules[r],
                       b.runs_with_rule[r], b.violations[r]);
  }
  return out + "</tbody></table></section>";
}

}  // namespace lyncupdate::reports::html
