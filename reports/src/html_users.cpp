// Users affected over the rehearsal: in resiliency mode, and disconnected.

#include <algorithm>

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
      "counted each time a pool's or a Standard Edition server's users changed service. Peak in "
      "resiliency mode: {}; peak disconnected: {}.</p>",
      peak([](const UserImpactPoint& s) { return s.users_in_resiliency; }),
      peak([](const UserImpactPoint& s) { return s.users_disconnected; }));
  out +=
      "<ul class=\"legend\"><li><span class=\"sw sw-resiliency\"></span>users in resiliency "
      "mode</li><li><span class=\"sw sw-disconnected\"></span>users disconnected</li></ul>";
  return out + svg + "</section>";
}

}  // namespace lyncupdate::reports::html
