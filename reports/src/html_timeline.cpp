// The rehearsal drawn: the Gantt timeline of every planned server and each back end's
// longest outage against the limit.

#include <algorithm>

#include <fmt/format.h>

#include "html_svg.hpp"

namespace lyncupdate::reports::html {
namespace {

constexpr double label_width = 230.0;
constexpr double right_margin = 20.0;

std::int64_t ms(TimePoint t) { return t.time_since_epoch().count(); }

std::string clock(const model::Scenario& scenario, TimePoint t) {
  return format_clock(t, scenario.limits.window_start);
}

std::string outcome_text(const StepAttempt& a) {
  switch (a.outcome) {
    case StepAttempt::Outcome::succeeded:
      return "succeeded";
    case StepAttempt::Outcome::failed:
      return a.retried ? "failed; tried again after the runbook's delay" : "failed";
    case StepAttempt::Outcome::unfinished:
      return "still running when the run ended";
  }
  return "";
}

// Short enough to fit under the server's name.
std::string_view short_role(model::Role role) {
  switch (role) {
    case model::Role::enterprise_backend:
      return "EE back end";
    case model::Role::enterprise_backend_collocated:
      return "EE back end, collocated stores";
    case model::Role::standard_edition:
      return "Standard Edition server";
    case model::Role::front_end:
      return "pool front end";
  }
  return "";
}

// The server's name and role at the left of a chart row.
std::string row_label(const model::ResolvedServer& server, double y) {
  return fmt::format(
      "<text class=\"row-label\" x=\"8\" y=\"{}\">{}<title>{}, {}</title></text>"
      "<text class=\"row-role\" x=\"8\" y=\"{}\">stage {}, {}</text>",
      num(y), html_escape(shorten(server.target.fqdn, 34)), html_escape(server.target.fqdn),
      role_label(server.target.role), num(y + 12), server.stage + 1,
      short_role(server.target.role));
}

std::string attempt_bar(const RunView& view, const StepAttempt& a, const TimeScale& scale, double y,
                        double height) {
  const model::Scenario& scenario = *view.plan->scenario;
  const model::ResolvedServer& server = view.plan->servers[a.server];
  const model::ResolvedStep& step = server.steps[a.step];
  const double x = scale.at(ms(a.begin));
  // A step of a few seconds still gets a visible sliver.
  const double width = std::max(scale.at(ms(a.end)) - x, 1.5);
  std::string classes = fmt::format("bar k-{}", model::kind_name(step.definition->kind));
  if (a.outcome == StepAttempt::Outcome::failed) classes += " failed";
  if (a.outcome == StepAttempt::Outcome::unfinished) classes += " unfinished";
  std::string title = fmt::format("{} on {}, attempt {}\n{}\n", step.definition->id,
                                  server.target.fqdn, a.attempt, step.definition->title);
  if (!step.command.empty()) title += step.command + "\n";
  title += fmt::format("{} to {} ({}): {}", clock(scenario, a.begin), clock(scenario, a.end),
                       format_duration(a.end - a.begin), outcome_text(a));
  if (a.rebooted) {
    title += fmt::format("\nthe installer asked for a restart: {} to {}",
                         clock(scenario, a.reboot_begin), clock(scenario, a.reboot_end));
  }
  std::string out = fmt::format(
      "<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" data-step=\"{}\" "
      "data-attempt=\"{}\"><title>{}</title></rect>",
      classes, num(x), num(y), num(width), num(height), html_escape(step.definition->id), a.attempt,
      html_escape(title));
  if (a.rebooted) {
    const double rx = scale.at(ms(a.reboot_begin));
    out += fmt::format(
        "<rect class=\"reboot-seg\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>"
        "<text class=\"mark mark-reboot\" x=\"{}\" y=\"{}\">\u21bb<title>restart required by "
        "the installer</title></text>",
        num(rx), num(y), num(std::max(scale.at(ms(a.reboot_end)) - rx, 1.5)), num(height), num(rx),
        num(y - 2));
  }
  if (a.outcome == StepAttempt::Outcome::failed) {
    out += fmt::format(
        "<text class=\"mark mark-failed\" x=\"{}\" y=\"{}\">\u2715<title>attempt {} of {} "
        "failed</title></text>",
        num(x + width), num(y - 2), a.attempt, html_escape(step.definition->id));
  }
  if (a.attempt > 1) {
    out += fmt::format(
        "<text class=\"mark mark-retry\" x=\"{}\" y=\"{}\">\u27f3<title>attempt {} of {}"
        "</title></text>",
        num(x), num(y - 2), a.attempt, html_escape(step.definition->id));
  }
  return out;
}

// How the live run's attempt ended, for its tooltip.
std::string actual_outcome_text(const ActualAttempt& a) {
  switch (a.outcome) {
    case ActualAttempt::Outcome::succeeded:
      return "succeeded";
    case ActualAttempt::Outcome::failed:
      return "failed";
    case ActualAttempt::Outcome::reboot_required:
      return "succeeded; the installer asked for a restart";
    case ActualAttempt::Outcome::timed_out:
      return "timed out";
    case ActualAttempt::Outcome::unknown:
      return "no outcome recorded: the end is unknown (drawn to the session's last record)";
    case ActualAttempt::Outcome::probed_done:
      return "no outcome recorded; the probe found it finished";
    case ActualAttempt::Outcome::probed_not_done:
      return "no outcome recorded; the probe found it must run again";
  }
  return "";
}

// A thin outlined bar for one attempt of the live run, under the rehearsed bars of its row.
std::string actual_bar(const model::ResolvedPlan& plan, const ActualAttempt& a,
                       const TimeScale& scale, double y, double height) {
  const model::ResolvedServer& server = plan.servers[a.server];
  const model::ResolvedStep& step = server.steps[a.step];
  const double x = scale.at(ms(a.begin));
  const double width = std::max(scale.at(ms(a.end)) - x, 1.5);
  const bool failed =
      a.outcome == ActualAttempt::Outcome::failed || a.outcome == ActualAttempt::Outcome::timed_out;
  std::string classes = fmt::format("actual-bar k-{}", model::kind_name(step.definition->kind));
  if (failed) classes += " failed";
  if (!a.has_outcome()) classes += " unfinished";
  std::string title =
      fmt::format("live run: {} on {}, attempt {}, session {}\n{}\n", step.definition->id,
                  server.target.fqdn, a.attempt, a.session + 1, step.definition->title);
  title +=
      fmt::format("+{} to +{} after the live run's start", precise_duration(a.begin - TimePoint{}),
                  precise_duration(a.end - TimePoint{}));
  if (a.has_outcome()) title += fmt::format(" ({})", precise_duration(a.duration));
  title += ": " + actual_outcome_text(a);
  if (a.exit_code) title += fmt::format(", exit code {}", *a.exit_code);
  if (!a.output_tail.empty()) title += fmt::format("\n{}", shorten(a.output_tail, 200));
  std::string out = fmt::format(
      "<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" data-step=\"{}\" "
      "data-attempt=\"{}\"><title>{}</title></rect>",
      classes, num(x), num(y), num(width), num(height), html_escape(step.definition->id), a.attempt,
      html_escape(title));
  if (a.outcome == ActualAttempt::Outcome::reboot_required && a.restart_end > a.end) {
    const double rx = scale.at(ms(a.end));
    out += fmt::format(
        "<rect class=\"reboot-seg actual\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\">"
        "<title>restart: the plan waited {}</title></rect>",
        num(rx), num(y), num(std::max(scale.at(ms(a.restart_end)) - rx, 1.5)), num(height),
        format_duration(a.restart_end - a.end));
  }
  if (failed) {
    out += fmt::format(
        "<text class=\"mark mark-failed\" x=\"{}\" y=\"{}\">\u2715<title>live attempt {} of {} "
        "{}</title></text>",
        num(x + width + 6), num(y + height + 1), a.attempt, html_escape(step.definition->id),
        a.outcome == ActualAttempt::Outcome::timed_out ? "timed out" : "failed");
  }
  if (!a.has_outcome()) {
    out += fmt::format(
        "<text class=\"mark mark-unknown\" x=\"{}\" y=\"{}\">?<title>live attempt {} of {}: "
        "no outcome recorded</title></text>",
        num(x + width + 6), num(y + height + 1), a.attempt, html_escape(step.definition->id));
  }
  if (a.probed_at) {
    out += fmt::format(
        "<text class=\"mark mark-probe\" x=\"{}\" y=\"{}\">\u25c6<title>probe at +{}: {}</title>"
        "</text>",
        num(scale.at(ms(*a.probed_at))), num(y + height + 1),
        precise_duration(*a.probed_at - TimePoint{}),
        a.outcome == ActualAttempt::Outcome::probed_done ? "the step had finished"
                                                         : "the step must run again");
  }
  return out;
}

}  // namespace

std::string timeline_section(const HtmlReport& report) {
  const RunView& view = *report.run;
  const model::ResolvedPlan& plan = *view.plan;
  const model::Scenario& scenario = *plan.scenario;
  const std::vector<StepAttempt> attempts = step_attempts(report.trace, view.summary.end);

  std::int64_t end = std::max<std::int64_t>(ms(view.summary.end), 60'000);
  for (const StepAttempt& a : attempts) end = std::max(end, ms(a.end));
  const ActualRun* actual = report.actual;
  if (actual != nullptr) {
    end = std::max(end, ms(actual->end));
    for (const ActualAttempt& a : actual->attempts) end = std::max(end, ms(a.restart_end));
  }
  const std::int64_t step = tick_step(end, 12);
  const TimeScale scale{0, round_up(end, step), label_width, chart_width - right_margin};
  constexpr double top = 26.0, bar_height = 16.0, actual_height = 8.0;
  // A live run adds a thin bar and its outage strip under each row's rehearsed bars.
  const double row_height = actual != nullptr ? 54.0 : 34.0;
  const double bottom = top + row_height * static_cast<double>(plan.servers.size());

  std::string svg = fmt::format(
      "<svg class=\"chart gantt\" viewBox=\"0 0 {} {}\" width=\"100%\" role=\"img\" "
      "aria-label=\"timeline of the rehearsal, one row per server\">"
      "<defs><pattern id=\"hatch-reboot\" width=\"6\" height=\"6\" "
      "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
      "<rect width=\"6\" height=\"6\" fill=\"#b07aa1\"/><line x1=\"0\" y1=\"0\" x2=\"0\" "
      "y2=\"6\" stroke=\"#fff\" stroke-width=\"3\"/></pattern></defs>",
      num(chart_width), num(bottom + (actual != nullptr ? 38 : 24)));
  for (std::size_t s = 0; s < plan.servers.size(); ++s) {
    const double y = top + row_height * static_cast<double>(s);
    svg += fmt::format("<rect class=\"row-bg{}\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                       s % 2 == 0 ? "" : " odd", num(y), num(chart_width), num(row_height));
    svg += row_label(plan.servers[s], y + 15);
  }
  svg += time_axis(scale, step, top, bottom,
                   [&](std::int64_t t) { return clock_label(t, scenario.limits.window_start); });

  // Stage starts, from the trace.
  for (const sim::TraceEvent& e : report.trace) {
    if (e.kind != sim::TraceKind::stage_started) continue;
    const std::string x = num(scale.at(ms(e.time)));
    svg += fmt::format(
        "<line class=\"stage-line\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>"
        "<text class=\"stage-label\" x=\"{0}\" y=\"{3}\">stage {4}</text>",
        x, num(top - 12), num(bottom), num(top - 14), e.stage + 1);
  }
  // Back-end outages: a strip under the bars of each row.
  for (const check::Outage& o : view.outages) {
    const double y = top + row_height * static_cast<double>(o.server) + 6 + bar_height + 3;
    const double x = scale.at(ms(o.begin));
    svg += fmt::format(
        "<rect class=\"outage-strip\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"4\"><title>back end "
        "unavailable {} to {} ({}{})</title></rect>",
        num(x), num(y), num(std::max(scale.at(ms(o.end)) - x, 1.5)), clock(scenario, o.begin),
        clock(scenario, o.end), format_duration(o.length()), o.restored ? "" : ", never restored");
  }
  for (const StepAttempt& a : attempts) {
    const double y = top + row_height * static_cast<double>(a.server) + 6;
    svg += attempt_bar(view, a, scale, y, bar_height);
  }
  if (actual != nullptr) {
    for (std::size_t k = 1; k < actual->sessions.size(); ++k) {
      const ActualSession& session = actual->sessions[k];
      const std::string x = num(scale.at(session.offset.count()));
      svg += fmt::format(
          "<line class=\"session-line\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>"
          "<text class=\"session-label\" x=\"{0}\" y=\"{3}\">live session {4}<title>resumed "
          "{5}; placed {6}</title></text>",
          x, num(top), num(bottom), num(bottom + 30), k + 1,
          html_escape(session.started_utc.empty() ? "at an unrecorded time" : session.started_utc),
          session.placed_by_clock ? "at its recorded start"
                                  : "right after the previous session's last record");
    }
    for (const check::Outage& o : actual->outages) {
      const double y =
          top + row_height * static_cast<double>(o.server) + 6 + bar_height + 7 + actual_height + 3;
      const double x = scale.at(ms(o.begin));
      svg += fmt::format(
          "<rect class=\"outage-strip actual\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"3\">"
          "<title>live run: back end unavailable +{} to +{} ({}{})</title></rect>",
          num(x), num(y), num(std::max(scale.at(ms(o.end)) - x, 1.5)),
          precise_duration(o.begin - TimePoint{}), precise_duration(o.end - TimePoint{}),
          precise_duration(o.length()), o.restored ? "" : ", not available again in the journal");
    }
    for (const ActualAttempt& a : actual->attempts) {
      const double y = top + row_height * static_cast<double>(a.server) + 6 + bar_height + 7;
      svg += actual_bar(plan, a, scale, y, actual_height);
    }
  }
  for (std::size_t s = 0; s < plan.servers.size(); ++s) {
    const bool ran =
        std::ranges::any_of(attempts, [&](const StepAttempt& a) { return a.server == s; }) ||
        (actual != nullptr && std::ranges::any_of(actual->attempts, [&](const ActualAttempt& a) {
           return a.server == s;
         }));
    if (!ran) {
      svg += fmt::format(
          "<text class=\"not-run\" x=\"{}\" y=\"{}\">not run: the plan stopped"
          "</text>",
          num(label_width + 6), num(top + row_height * static_cast<double>(s) + 19));
    }
  }
  const std::int64_t close = scenario.limits.window_length.count();
  if (close <= scale.to) {
    const std::string x = num(scale.at(close));
    svg += fmt::format(
        "<line class=\"window-line\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>"
        "<text class=\"window-label\" x=\"{0}\" y=\"{3}\">window closes</text>",
        x, num(top - 12), num(bottom), num(top - 14));
  }
  svg += "</svg>";

  std::size_t failed = 0, retries = 0, reboots = 0;
  for (const StepAttempt& a : attempts) {
    failed += a.outcome == StepAttempt::Outcome::failed ? 1 : 0;
    retries += a.attempt > 1 ? 1 : 0;
    reboots += a.rebooted ? 1 : 0;
  }
  const TimePoint window_close = TimePoint{} + scenario.limits.window_length;
  std::string out = "<section id=\"timeline\"><h2>Timeline of the rehearsal</h2>";
  out += fmt::format(
      "<p>Run 1 of seed {}: {} step attempts on {} servers in {} stages, from {} to {}; the "
      "window closes at {}{}. {} failed attempt{}, {} retr{}, {} restart{} asked for by the "
      "installer. Hover over a bar for the step, its exact command and its times.</p>",
      view.seed, attempts.size(), plan.servers.size(), plan.stages.size(),
      clock(scenario, TimePoint{}), clock(scenario, view.summary.end),
      clock(scenario, window_close),
      close <= scale.to ? ""
                        : fmt::format(", {} after the last event",
                                      format_duration(window_close - view.summary.end)),
      failed, failed == 1 ? "" : "s", retries, retries == 1 ? "y" : "ies", reboots,
      reboots == 1 ? "" : "s");
  out +=
      "<ul class=\"legend\">"
      "<li><span class=\"sw k-manual\"></span>manual</li>"
      "<li><span class=\"sw k-command\"></span>command</li>"
      "<li><span class=\"sw k-install\"></span>install</li>"
      "<li><span class=\"sw k-database\"></span>database</li>"
      "<li><span class=\"sw k-wait\"></span>wait</li>"
      "<li><span class=\"sw k-reboot\"></span>reboot</li>"
      "<li><span class=\"sw sw-failed\"></span>failed attempt \u2715</li>"
      "<li><span class=\"sym\">\u27f3</span>retry</li>"
      "<li><span class=\"sw sw-reboot\"></span>installer restart \u21bb</li>"
      "<li><span class=\"sw sw-outage\"></span>back end unavailable</li>";
  if (actual != nullptr) {
    out +=
        "<li><span class=\"sw sw-actual\"></span>live run (thin bar under the rehearsal)</li>"
        "<li><span class=\"sym\">?</span>live: end unknown</li>"
        "<li><span class=\"sym\">\u25c6</span>live: probe</li>"
        "<li><span class=\"sw sw-outage-actual\"></span>live: back end unavailable</li>";
  }
  out += "</ul>";
  if (actual != nullptr) {
    out += fmt::format(
        "<p>Under each row, the live run of journal <code>{}</code>: {} attempt{} in {} "
        "session{}, on the same axis from its start; the axis shows the window's clock for the "
        "rehearsal, and the live run's tooltips give its times since its own start.</p>",
        html_escape(actual->journal), actual->attempts.size(),
        actual->attempts.size() == 1 ? "" : "s", actual->sessions.size(),
        actual->sessions.size() == 1 ? "" : "s");
  }
  return out + svg + "</section>";
}

std::string outage_section(const HtmlReport& report) {
  const RunView& view = *report.run;
  const model::ResolvedPlan& plan = *view.plan;
  const model::Scenario& scenario = *plan.scenario;
  const Duration limit = scenario.limits.backend_outage_limit;

  std::vector<const check::Outage*> longest(plan.servers.size(), nullptr);
  std::vector<std::size_t> count(plan.servers.size(), 0);
  for (const check::Outage& o : view.outages) {
    if (o.server >= plan.servers.size()) continue;
    ++count[o.server];
    if (longest[o.server] == nullptr || o.length() > longest[o.server]->length()) {
      longest[o.server] = &o;
    }
  }
  std::int64_t end = limit.count() * 6 / 5;
  for (const check::Outage* o : longest) {
    if (o != nullptr) end = std::max(end, o->length().count() * 21 / 20);
  }
  const std::int64_t step = tick_step(end, 10);
  const TimeScale scale{0, round_up(end, step), label_width, chart_width - right_margin - 70};
  constexpr double top = 24.0, row_height = 30.0, bar_height = 14.0;
  const double bottom = top + row_height * static_cast<double>(plan.servers.size());

  std::string svg = fmt::format(
      "<svg class=\"chart outages\" viewBox=\"0 0 {} {}\" width=\"100%\" role=\"img\" "
      "aria-label=\"longest back-end outage of each server against the limit\">",
      num(chart_width), num(bottom + 24));
  for (std::size_t s = 0; s < plan.servers.size(); ++s) {
    const double y = top + row_height * static_cast<double>(s);
    svg += fmt::format("<rect class=\"row-bg{}\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                       s % 2 == 0 ? "" : " odd", num(y), num(chart_width), num(row_height));
    svg += row_label(plan.servers[s], y + 13);
  }
  svg += time_axis(scale, step, top, bottom,
                   [](std::int64_t t) { return format_duration(Duration(t)); });
  for (std::size_t s = 0; s < plan.servers.size(); ++s) {
    const double y = top + row_height * static_cast<double>(s) + 8;
    const check::Outage* o = longest[s];
    if (o == nullptr) {
      svg += fmt::format("<text class=\"value\" x=\"{}\" y=\"{}\">never unavailable</text>",
                         num(label_width + 6), num(y + 11));
      continue;
    }
    const Duration length = o->length();
    const char* tone = length >= limit ? " over" : length * 5 >= limit * 4 ? " near" : "";
    const double width = std::max(scale.at(length.count()) - scale.left, 1.5);
    svg += fmt::format(
        "<rect class=\"outage-bar{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}: "
        "unavailable {} to {}, {} ({} of the {} limit){}</title></rect>",
        tone, num(scale.left), num(y), num(width), num(bar_height),
        html_escape(plan.servers[s].target.fqdn), clock(scenario, o->begin),
        clock(scenario, o->end), format_duration(length),
        fmt::format("{:.0f}%", 100.0 * static_cast<double>(length.count()) /
                                   static_cast<double>(limit.count())),
        format_duration(limit),
        count[s] > 1 ? fmt::format("; the longest of {} outages", count[s]) : "");
    svg += fmt::format("<text class=\"value\" x=\"{}\" y=\"{}\">{}{}</text>",
                       num(scale.left + width + 6), num(y + 11), format_duration(length),
                       o->restored ? "" : " (never restored)");
  }
  const std::string x = num(scale.at(limit.count()));
  svg += fmt::format(
      "<line class=\"limit-line\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>"
      "<text class=\"limit-label\" x=\"{0}\" y=\"{3}\">limit {4}</text></svg>",
      x, num(top - 8), num(bottom), num(top - 10), format_duration(limit));

  std::string out = "<section id=\"outages\"><h2>Back-end outages against the limit</h2>";
  out += fmt::format(
      "<p>The longest continuous outage of each planned server in this rehearsal. A back end "
      "unavailable for {} or more may put the pool's users into resiliency mode; under it "
      "the update has no effect on users.</p>",
      format_duration(limit));
  return out + svg + "</section>";
}

}  // namespace lyncupdate::reports::html
