// The Monte Carlo batch drawn: histograms of the window length and of each server's longest
// outage (html_histogram.cpp), and the risk of reaching the outage limit with its confidence
// interval.

#include <algorithm>
#include <array>
#include <optional>

#include <fmt/format.h>

#include "html_svg.hpp"

namespace lyncupdate::reports::html {
namespace {

std::string percent(double fraction) { return fmt::format("{:.2f}%", fraction * 100.0); }

std::string d(std::int64_t ms) { return format_duration(Duration(ms)); }

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

  out +=
      histogram_svg(fmt::format("window length (when the plan ended), {} runs", runs), b.window_ms,
                    summary.window, duration_histogram, std::nullopt, s.window_length.count());
  for (std::size_t i = 0; i < s.servers.size(); ++i) {
    out += histogram_svg(fmt::format("longest continuous outage of {} ({})", s.servers[i].fqdn,
                                     model::role_name(s.servers[i].role)),
                         b.longest_outage_ms[i], summary.longest_outage[i], duration_histogram,
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
