// Users affected over the rehearsal (in resiliency mode, and disconnected), and the user
// impact over a Monte Carlo batch.

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "html_svg.hpp"

namespace lyncupdate::reports::html {

std::string users_section(const HtmlReport& report) {
  std::string out = "<section id=\"users\"><h2>User impact</h2>";
  const std::vector<UserImpactPoint>& samples = report.users.samples;
  if (samples.empty()) {
    return out + "<p class=\"empty\">no user sessions in this run</p></section>";
  }
  const model::Scenario& scenario = *report.run->plan->scenario;
  std::int64_t end = std::max<std::int64_t>(report.run->summary.end.time_since_epoch().count(),
                                            samples.back().time.time_since_epoch().count());
  std::int64_t most = 1;
  for (const UserImpactPoint& s : samples) {
    most = std::max({most, s.users_in_resiliency, s.users_disconnected});
  }
  const std::int64_t step = tick_step(std::max<std::int64_t>(end, 60'000), 12);
  const TimeScale scale{0, round_up(end, step), 70.0, chart_width - 20.0};
  constexpr double top = 20.0, bottom = 170.0;
  const auto y_of = [&](std::int64_t users) {
    return bottom - (bottom - top) * static_cast<double>(users) / static_cast<double>(most);
  };
  std::string svg = fmt::format(
      "<svg class=\"chart users\" viewBox=\"0 0 {} {}\" width=\"100%\" role=\"img\" "
      "aria-label=\"users in resiliency mode and disconnected over time\">",
      num(chart_width), num(bottom + 24));
  svg += time_axis(scale, step, top, bottom,
                   [&](std::int64_t t) { return clock_label(t, scenario.limits.window_start); });
  svg += fmt::format(
      "<text class=\"y-label\" x=\"64\" y=\"{}\">{} users</text><text class=\"y-label\" x=\"64\" "
      "y=\"{}\">0</text>",
      num(top + 4), most, num(bottom));
  // Step functions: each sample holds until the next one.
  const auto series = [&](auto value, std::string_view css) {
    std::string points = fmt::format("{},{}", num(scale.at(0)), num(y_of(0)));
    std::int64_t last = 0;
    for (const UserImpactPoint& s : samples) {
      const std::string x = num(scale.at(s.time.time_since_epoch().count()));
      points += fmt::format(" {},{} {},{}", x, num(y_of(last)), x, num(y_of(value(s))));
      last = value(s);
    }
    points += fmt::format(" {},{}", num(scale.at(end)), num(y_of(last)));
    return fmt::format("<polyline class=\"{}\" points=\"{}\"/>", css, points);
  };
  svg += series([](const UserImpactPoint& s) { return s.users_in_resiliency; }, "users-resiliency");
  svg +=
      series([](const UserImpactPoint& s) { return s.users_disconnected; }, "users-disconnected");
  svg += "</svg>";
  const auto peak = [&](auto value) {
    const UserImpactPoint* best = &samples.front();
    for (const UserImpactPoint& s : samples) {
      if (value(s) > value(*best)) best = &s;
    }
    return value(*best) == 0 ? std::string("none")
                             : fmt::format("{} at {}", value(*best),
                                           format_clock(best->time, scenario.limits.window_start));
  };
  out += fmt::format(
      "<p>Signed-in users whose service was reduced to resiliency mode (no "
      "presence, contact list or meetings; calls between two users keep working) or gone, "
      "counted each time a pool's, a routing group's or a Standard Edition server's users "
      "changed service. Peak in resiliency mode: {}; peak disconnected: {}. Users moved (they "
      "re-registered when their routing group's primary moved to another front end, without "
      "losing service): {}.</p>",
      peak([](const UserImpactPoint& s) { return s.users_in_resiliency; }),
      peak([](const UserImpactPoint& s) { return s.users_disconnected; }),
      report.run->users.users_moved);
  out +=
      "<ul class=\"legend\"><li><span class=\"sw sw-resiliency\"></span>users in resiliency "
      "mode</li><li><span class=\"sw sw-disconnected\"></span>users disconnected</li></ul>";
  return out + svg + "</section>";
}

namespace {

using mc::user_metric_labels;

// User-milliseconds are shown as user-minutes with one decimal, as in the terminal.
bool in_user_ms(std::size_t metric) { return mc::user_metrics[metric].ends_with("_user_ms"); }

std::string user_mean(std::size_t metric, double mean) {
  return fmt::format("{:.1f}", in_user_ms(metric) ? mean / 60'000 : mean);
}

std::string user_sample(std::size_t metric, std::int64_t value) {
  if (in_user_ms(metric)) return user_mean(metric, static_cast<double>(value));
  return std::to_string(value);
}

}  // namespace

std::string montecarlo_users_section(const mc::BatchSummary& summary) {
  const mc::BatchResult& b = *summary.batch;
  const std::uint64_t runs = b.runs();
  std::string out = fmt::format(
      "<section id=\"montecarlo-users\"><h2>User impact over {} rehearsals</h2><p>Per run: the "
      "users who lost some service, the user-minutes they spent in resiliency mode and "
      "disconnected, the operations that failed, the conferences that ended and the users who "
      "re-registered when their routing group's primary moved. Means over "
      "the runs; nearest-rank percentiles of the exact figures, user-milliseconds shown as "
      "user-minutes.</p>",
      runs);
  constexpr std::size_t affected = 0;  // users_affected: the figure a change board asks for
  out += histogram_svg(fmt::format("users affected per run, {} runs", runs),
                       b.user_samples[affected], summary.users[affected].percentiles,
                       count_histogram, std::nullopt, std::nullopt);
  out +=
      "<table class=\"percentiles user-impact\"><thead><tr><th></th><th>mean</th><th>P50</th>"
      "<th>P95</th><th>P99</th><th>max</th></tr></thead><tbody>";
  for (std::size_t m = 0; m < mc::user_metrics.size(); ++m) {
    const mc::UserMetricSummary& u = summary.users[m];
    out += fmt::format(
        "<tr data-metric=\"{}\"><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "</tr>",
        mc::user_metrics[m], html_escape(user_metric_labels[m]), user_mean(m, u.mean),
        user_sample(m, u.percentiles.p50), user_sample(m, u.percentiles.p95),
        user_sample(m, u.percentiles.p99), user_sample(m, u.percentiles.max));
  }
  return out + "</tbody></table></section>";
}

}  // namespace lyncupdate::reports::html
