// The HTML report's section for `verify --html`: the verdict of the exhaustive search, what it
// explored, and the shortest counterexample as a step list in worst-case time. The search's
// wall time is left out, so the report stays the same from run to run.

#include "html_svg.hpp"

namespace lyncupdate::reports::html {
namespace {

std::string verdict(const check::VerifyResult& result) {
  switch (result.status) {
    case check::VerifyStatus::proved:
      return "<p class=\"verdict good\">Proved: no order in which the operators can run the plan "
             "breaks an invariant in worst-case time.</p>";
    case check::VerifyStatus::violated:
      return "<p class=\"verdict bad\">Violated: an order breaks an invariant; the shortest "
             "counterexample follows.</p>";
    case check::VerifyStatus::incomplete:
      return "<p class=\"verdict warn\">Not proved: the search stopped at its bound (" +
             html_escape(result.stop_reason) + ").</p>";
    case check::VerifyStatus::unbounded:
      return "<p class=\"verdict warn\">Not proved: no worst case exists (" +
             html_escape(result.stop_reason) + ").</p>";
  }
  return {};
}

}  // namespace

std::string verification_section(const HtmlReport& report) {
  const check::VerifyResult& result = *report.verification;
  const model::ResolvedPlan& plan = *report.run->plan;
  const Duration window_start = plan.scenario->limits.window_start;
  std::string out = "<section id=\"verification\"><h2>Exhaustive verification</h2>";
  out += verdict(result);
  out += "<table class=\"verification\"><tbody>";
  const auto row = [&](std::string_view name, const std::string& value) {
    out += fmt::format("<tr><th>{}</th><td>{}</td></tr>", name, value);
  };
  row("operators", std::to_string(result.operators));
  row("servers down at once", result.max_servers_down
                                  ? "at most " + std::to_string(*result.max_servers_down)
                                  : std::string("no limit"));
  row("states", format_count(static_cast<std::int64_t>(result.states)));
  row("transitions", format_count(static_cast<std::int64_t>(result.transitions)));
  row("choice points", format_count(static_cast<std::int64_t>(result.choice_points)));
  if (result.status == check::VerifyStatus::proved) {
    row("longest window", format_duration(result.longest_window));
  }
  out += "</tbody></table>";
  if (result.violation) {
    const check::Violation& v = *result.violation;
    out += fmt::format("<p class=\"bad\">{} at {}: {}</p>", html_escape(v.rule),
                       format_clock(v.time, window_start), html_escape(v.message));
    out +=
        "<table class=\"counterexample\"><thead><tr><th>#</th><th>time</th><th>server</th>"
        "<th>step</th><th>event</th></tr></thead><tbody>";
    std::size_t number = 0;
    for (const check::VerifyEvent& event : result.counterexample) {
      const model::ResolvedServer& server = plan.servers[event.server];
      out += fmt::format(
          "<tr class=\"counterexample-event\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
          "<td>{}</td></tr>",
          ++number, format_clock(event.time, window_start), html_escape(server.target.fqdn),
          html_escape(server.steps[event.step].definition->id), event.start ? "starts" : "ends");
    }
    out += "</tbody></table>";
  }
  return out + "</section>";
}

}  // namespace lyncupdate::reports::html
