// "Rehearsal against reality": where the live run's real durations, outages and window fell
// in what the timing model and the Monte Carlo batch predicted.

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "html_svg.hpp"
#include "lyncupdate/simulator/sampling.hpp"

namespace lyncupdate::reports::html {
namespace {

std::string percent(double fraction) { return fmt::format("{:.1f}%", fraction * 100.0); }

std::string since_start(TimePoint t) {
  return fmt::format("+{}", precise_duration(t - TimePoint{}));
}

// The share of `samples` at or below `value`: where a real figure falls in a batch.
double empirical_share(const std::vector<std::int64_t>& samples, std::int64_t value) {
  if (samples.empty()) return 0.0;
  const auto below = std::ranges::count_if(samples, [&](std::int64_t s) { return s <= value; });
  return static_cast<double>(below) / static_cast<double>(samples.size());
}

std::string sessions_table(const ActualRun& run) {
  std::string out =
      "<table class=\"actual-sessions\"><thead><tr><th>session</th><th>started (UTC)</th>"
      "<th>placed at</th><th>how</th><th>last record</th></tr></thead><tbody>";
  for (std::size_t k = 0; k < run.sessions.size(); ++k) {
    const ActualSession& s = run.sessions[k];
    out += fmt::format(
        "<tr class=\"actual-session\"><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}"
        "</td><td>{}</td><td class=\"num\">{}</td></tr>",
        k + 1, s.started_utc.empty() ? "-" : html_escape(s.started_utc),
        since_start(TimePoint{} + s.offset),
        k == 0              ? "the journal's start"
        : s.placed_by_clock ? "at its recorded start"
                            : "right after the previous session's last record",
        since_start(s.last));
  }
  return out + "</tbody></table>";
}

// One row per live attempt, in plan order: its real duration against the rehearsed
// distribution of its step on its server.
std::string steps_table(const model::ResolvedPlan& plan, const ActualRun& run,
                        std::size_t& above_p95) {
  std::vector<std::size_t> order(run.attempts.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::ranges::stable_sort(order, [&](std::size_t a, std::size_t b) {
    const ActualAttempt &x = run.attempts[a], &y = run.attempts[b];
    return std::tie(x.server, x.step, x.attempt) < std::tie(y.server, y.step, y.attempt);
  });
  std::string out =
      "<table class=\"actual-steps\"><thead><tr><th>server</th><th>step</th><th>attempt</th>"
      "<th>outcome</th><th>real duration</th><th>rehearsed P50</th><th>rehearsed P95</th>"
      "<th>percentile</th><th></th></tr></thead><tbody>";
  for (const std::size_t i : order) {
    const ActualAttempt& a = run.attempts[i];
    const model::ResolvedServer& server = plan.servers[a.server];
    const model::ResolvedStep& step = server.steps[a.step];
    const model::Distribution& d = step.timing.duration;
    const Duration p50 = sim::duration_quantile(d, 0.5);
    const Duration p95 = sim::duration_quantile(d, 0.95);
    std::string real = "-", share = "-", flag;
    bool slow = false;
    if (a.has_outcome()) {
      real = precise_duration(a.duration);
      share = percent(sim::duration_cdf(d, a.duration));
      slow = a.duration > p95;
      if (slow) {
        flag = "above P95";
        ++above_p95;
      }
    }
    out += fmt::format(
        "<tr class=\"actual-step{}\"><td>{}</td><td title=\"{}\">{}</td><td class=\"num\">{}</td>"
        "<td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td>{}</td></tr>",
        slow ? " bad" : "", html_escape(server.target.fqdn), html_escape(step.definition->title),
        html_escape(step.definition->id), a.attempt, actual_outcome_name(a.outcome), real,
        precise_duration(p50), precise_duration(p95), share, flag);
  }
  return out + "</tbody></table>";
}

// Each server's longest real outage against the limit, and where it falls in the batch.
std::string outages_table(const HtmlReport& report, const ActualRun& run) {
  const model::ResolvedPlan& plan = *report.run->plan;
  const Duration limit = plan.scenario->limits.backend_outage_limit;
  const mc::BatchSummary* batch = report.batch;
  std::string out =
      "<table class=\"actual-outages\"><thead><tr><th></th><th>live run</th><th>from</th>"
      "<th>to</th><th>of the limit</th><th>rehearsal (run 1)</th>";
  if (batch != nullptr)
    out += "<th>batch P50</th><th>batch P95</th><th>share of runs at or below</th>";
  out += "</tr></thead><tbody>";
  for (std::size_t s = 0; s < plan.servers.size(); ++s) {
    const check::Outage* longest = nullptr;
    for (const check::Outage& o : run.outages) {
      if (o.server == s && (longest == nullptr || o.length() > longest->length())) longest = &o;
    }
    const Duration real = longest != nullptr ? longest->length() : Duration{};
    const bool over = real >= limit;
    out += fmt::format(
        "<tr class=\"actual-outage{}\"><th>longest outage, {}</th><td class=\"num\">{}{}</td>",
        over ? " bad" : "", html_escape(plan.servers[s].target.fqdn),
        longest != nullptr ? precise_duration(real) : "never unavailable",
        longest != nullptr && !longest->restored ? " (not available again)" : "");
    out += fmt::format(
        "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
        longest != nullptr ? since_start(longest->begin) : "-",
        longest != nullptr ? since_start(longest->end) : "-",
        percent(static_cast<double>(real.count()) / static_cast<double>(limit.count())));
    out += fmt::format("<td class=\"num\">{}</td>",
                       precise_duration(outage_totals(*report.run, s).longest));
    if (batch != nullptr) {
      const mc::Percentiles& p = batch->longest_outage[s];
      out +=
          fmt::format("<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
                      precise_duration(Duration(p.p50)), precise_duration(Duration(p.p95)),
                      percent(empirical_share(batch->batch->longest_outage_ms[s], real.count())));
    }
    out += "</tr>";
  }
  // The window: from the live run's start to its last record (its `finished` when it ended).
  const Duration window = run.end - TimePoint{};
  const Duration window_length = plan.scenario->limits.window_length;
  out += fmt::format(
      "<tr class=\"actual-window{}\"><th>window (plan end){}</th><td class=\"num\">{}</td>"
      "<td class=\"num\">+0s</td><td class=\"num\">{}</td><td class=\"num\">{} of the {} "
      "window</td><td class=\"num\">{}</td>",
      window > window_length ? " bad" : "", run.finished ? "" : ", the run did not finish",
      precise_duration(window), since_start(run.end),
      percent(static_cast<double>(window.count()) / static_cast<double>(window_length.count())),
      format_duration(window_length), precise_duration(report.run->summary.end - TimePoint{}));
  if (batch != nullptr) {
    out +=
        fmt::format("<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
                    precise_duration(Duration(batch->window.p50)),
                    precise_duration(Duration(batch->window.p95)),
                    percent(empirical_share(batch->batch->window_ms, window.count())));
  }
  return out + "</tr></tbody></table>";
}

// The live run's longest outage of each server as a bar against the limit line.
std::string outage_chart(const model::ResolvedPlan& plan, const ActualRun& run) {
  const Duration limit = plan.scenario->limits.backend_outage_limit;
  std::vector<Duration> longest(plan.servers.size(), Duration{});
  for (const check::Outage& o : run.outages) {
    longest[o.server] = std::max(longest[o.server], o.length());
  }
  std::int64_t end = limit.count() * 6 / 5;
  for (const Duration d : longest) end = std::max(end, d.count() * 21 / 20);
  const std::int64_t step = tick_step(end, 10);
  constexpr double top = 24.0, row_height = 26.0, bar_height = 12.0, left = 230.0;
  const TimeScale scale{0, round_up(end, step), left, chart_width - 90.0};
  const double bottom = top + row_height * static_cast<double>(plan.servers.size());
  std::string svg = fmt::format(
      "<svg class=\"chart actual-outages\" viewBox=\"0 0 {} {}\" width=\"100%\" role=\"img\" "
      "aria-label=\"longest back-end outage of each server in the live run against the "
      "limit\">",
      num(chart_width), num(bottom + 24));
  for (std::size_t s = 0; s < plan.servers.size(); ++s) {
    const double y = top + row_height * static_cast<double>(s);
    svg += fmt::format(
        "<rect class=\"row-bg{}\" x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\"/><text "
        "class=\"row-label\" x=\"8\" y=\"{}\">{}</text>",
        s % 2 == 0 ? "" : " odd", num(y), num(chart_width), num(row_height), num(y + 17),
        html_escape(shorten(plan.servers[s].target.fqdn, 34)));
  }
  svg += time_axis(scale, step, top, bottom,
                   [](std::int64_t t) { return format_duration(Duration(t)); });
  for (std::size_t s = 0; s < plan.servers.size(); ++s) {
    const double y = top + row_height * static_cast<double>(s) + 7;
    if (longest[s] == Duration{}) {
      svg += fmt::format("<text class=\"value\" x=\"{}\" y=\"{}\">never unavailable</text>",
                         num(left + 6), num(y + 10));
      continue;
    }
    const Duration length = longest[s];
    const char* tone = length >= limit ? " over" : length * 5 >= limit * 4 ? " near" : "";
    const double width = std::max(scale.at(length.count()) - scale.left, 1.5);
    svg += fmt::format(
        "<rect class=\"outage-bar actual{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\">"
        "<title>{}: {} in the live run</title></rect><text class=\"value\" x=\"{}\" "
        "y=\"{}\">{}</text>",
        tone, num(scale.left), num(y), num(width), num(bar_height),
        html_escape(plan.servers[s].target.fqdn), precise_duration(length),
        num(scale.left + width + 6), num(y + 10), precise_duration(length));
  }
  const std::string x = num(scale.at(limit.count()));
  return svg + fmt::format(
                   "<line class=\"limit-line\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/>"
                   "<text class=\"limit-label\" x=\"{0}\" y=\"{3}\">limit {4}</text></svg>",
                   x, num(top - 8), num(bottom), num(top - 10), format_duration(limit));
}

}  // namespace

std::string reality_section(const HtmlReport& report) {
  const ActualRun& run = *report.actual;
  const model::ResolvedPlan& plan = *report.run->plan;
  std::string out = "<section id=\"reality\"><h2>Rehearsal against reality</h2>";
  out += fmt::format(
      "<p>The live run recorded in <code>{}</code> ({}, transport {}, started {} UTC), of the "
      "same scenario text (SHA-256 <code>{}</code>): {} attempt{} in {} session{}; {}.</p>",
      html_escape(run.journal), html_escape(run.header.tool), html_escape(run.header.transport),
      html_escape(run.header.started_utc), html_escape(run.header.scenario_sha256),
      run.attempts.size(), run.attempts.size() == 1 ? "" : "s", run.sessions.size(),
      run.sessions.size() == 1 ? "" : "s",
      run.finished      ? "the plan ran to its end"
      : run.stop_reason ? "it stopped: " + html_escape(*run.stop_reason)
                        : std::string("the journal ends without a final record"));
  if (run.torn_line || run.unplanned_records > 0) {
    out += "<p class=\"empty\">";
    if (run.torn_line) {
      out += fmt::format(
          "Line {} of the journal is torn (a crash while writing it) and is "
          "ignored. ",
          *run.torn_line);
    }
    if (run.unplanned_records > 0) {
      out += fmt::format("{} record{} name no step of the plan and are ignored.",
                         run.unplanned_records, run.unplanned_records == 1 ? "" : "s");
    }
    out += "</p>";
  }
  out += sessions_table(run);

  std::size_t above_p95 = 0;
  const std::string steps = steps_table(plan, run, above_p95);
  out += fmt::format(
      "<h3 class=\"chart-heading\">Steps: real durations in the rehearsed distributions</h3>"
      "<p>Each attempt's real duration against its step's timing on its server: the "
      "distribution's P50 and P95, and the percentile at which the real duration falls in it "
      "(its cumulative distribution). {} above the rehearsed P95.</p>",
      above_p95 == 0 ? std::string("No attempt was")
                     : fmt::format("{} attempt{} {}", above_p95, above_p95 == 1 ? "" : "s",
                                   above_p95 == 1 ? "was" : "were"));
  out += steps;

  out += fmt::format(
      "<h3 class=\"chart-heading\">Back-end outages and window against the limit{}</h3><p>A "
      "back end is unavailable from the start of a step the plan declares makes it so until "
      "the successful end of one that makes it available (after the restart the plan waited "
      "for, or at the probe that found a step finished).{}</p>",
      report.batch != nullptr ? " and the Monte Carlo batch" : "",
      report.batch != nullptr
          ? fmt::format(" The last column is the share of the {} rehearsals whose figure was "
                        "at most the live run's.",
                        report.batch->batch->runs())
          : std::string(" Run with --runs N to place them in a Monte Carlo batch."));
  out += outages_table(report, run);
  out += outage_chart(plan, run);
  return out + "</section>";
}

}  // namespace lyncupdate::reports::html
