// The HTML report's page: the facts of the run, the sections drawn by html_*.cpp, the
// findings and violations with their explanations, and the inline style and render check.

#include "lyncupdate/reports/html.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "html_svg.hpp"
#include "lyncupdate/simulator/sampling.hpp"
#include "lyncupdate/version/version.hpp"

namespace lyncupdate::reports {
namespace {

// Colours by step kind follow a palette that stays distinguishable for the common forms of
// colour blindness (Tableau 10).
constexpr std::string_view style_sheet = R"css(
:root{--fg:#1d2329;--muted:#5b6670;--line:#d5dbe1;--bad:#c62828;--warn:#b26a00;--good:#2e7d32}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--fg);
margin:0 auto;max-width:1200px;padding:16px 24px 40px}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
p{margin:6px 0}.description{color:var(--muted);max-width:90ch}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:10px 0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
ul.verdict{list-style:none;padding:0;margin:8px 0}ul.verdict li{padding:4px 10px;margin:3px 0;border-left:4px solid var(--good);background:#f3f8f3}
ul.verdict li.bad{border-color:var(--bad);background:#fbeeee}ul.verdict li.warning{border-color:var(--warn);background:#fdf5e6}
table{border-collapse:collapse;margin:8px 0;width:100%}th,td{border-bottom:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
thead th{background:#f4f6f8}td.num,table.percentiles td{text-align:right;font-variant-numeric:tabular-nums}
tr.bad td,td.sev-error{color:var(--bad)}td.sev-warning{color:var(--warn)}td.sev-info{color:var(--muted)}
table.violations td:nth-child(-n+2),table.findings td:nth-child(-n+2){white-space:nowrap}
code{font:12px ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px;margin:6px 0}
.sw{display:inline-block;width:14px;height:11px;margin-right:5px;vertical-align:-1px;border-radius:2px}
.sym{margin-right:5px}
svg.chart{display:block;margin:6px 0;font-size:11px;overflow:visible}
.row-bg{fill:#fff}.row-bg.odd{fill:#f6f8fa}
.row-label{font-weight:600}.row-role{fill:var(--muted);font-size:9.5px}
.grid{stroke:#e3e7eb}.tick{fill:var(--muted);text-anchor:middle;font-size:10px}
.y-label{fill:var(--muted);text-anchor:end;font-size:10px}
.chart-heading{font-size:13px;margin:18px 0 0}
rect.bar{stroke:#fff;stroke-width:.5}
.k-manual{fill:#9d9d9d;background:#9d9d9d}.k-command{fill:#4e79a7;background:#4e79a7}
.k-install{fill:#f28e2b;background:#f28e2b}.k-database{fill:#59a14f;background:#59a14f}
.k-wait{fill:#edc948;background:#edc948}.k-reboot{fill:#b07aa1;background:#b07aa1}
rect.bar.failed{stroke:var(--bad);stroke-width:2}rect.bar.unfinished{opacity:.5}
.sw-failed{border:2px solid var(--bad)}.sw-reboot{background:repeating-linear-gradient(45deg,#b07aa1 0 3px,#fff 3px 5px)}
.sw-outage{background:#e15759;height:4px;vertical-align:2px}
.reboot-seg{fill:url(#hatch-reboot)}.outage-strip{fill:#e15759}
.mark{font-size:11px;text-anchor:middle}.mark-failed{fill:var(--bad);font-weight:700}.mark-retry{fill:#4e79a7}.mark-reboot{fill:#7b4f73}
.stage-line{stroke:#7d8790;stroke-dasharray:2 3}.stage-label{fill:#7d8790;font-size:10px}
.window-line{stroke:var(--warn);stroke-width:1.5;stroke-dasharray:6 3}.window-label{fill:var(--warn);font-size:10px;text-anchor:end}
.not-run,.value{fill:var(--muted)}
.outage-bar{fill:#4e79a7}.outage-bar.near{fill:#f28e2b}.outage-bar.over{fill:#e15759}
.limit-line{stroke:var(--bad);stroke-width:2;stroke-dasharray:6 3}.limit-label{fill:var(--bad);font-weight:600;text-anchor:middle}
.hist-bin{fill:#4e79a7}.pct-line{stroke:#1d2329;stroke-width:1;stroke-dasharray:3 2}.pct-label{font-size:10px;text-anchor:start}.pct-label.end{text-anchor:end}
.axis-line{stroke:var(--line)}.ci-bar{fill:#f4b6b7}.ci-point{fill:var(--bad)}
.risk-box{border:1px solid var(--line);padding:6px 12px;border-radius:4px}.risk-box.bad{border-color:var(--bad)}
.users-resiliency,.users-disconnected{fill:none;stroke-width:2}.users-resiliency{stroke:#f28e2b}.users-disconnected{stroke:#e15759}
.sw-resiliency{background:#f28e2b}.sw-disconnected{background:#e15759}
.empty{color:var(--muted);font-style:italic}
rect.actual-bar{fill-opacity:.6;stroke:#1d2329;stroke-width:.8}rect.actual-bar.failed{stroke:var(--bad);stroke-width:2}
rect.actual-bar.unfinished{fill-opacity:.2;stroke-dasharray:3 2}.reboot-seg.actual{opacity:.6}
.outage-strip.actual{opacity:.6}.outage-bar.actual{fill-opacity:.7;stroke:#1d2329;stroke-width:.8}
.mark-unknown{fill:var(--warn);font-weight:700}.mark-probe{fill:#1d2329;font-size:9px}
.session-line{stroke:#4e79a7;stroke-width:1.5;stroke-dasharray:1 3}.session-label{fill:#4e79a7;font-size:10px}
.sw-actual{border:1px solid #1d2329;background:#f28e2b99;height:7px}.sw-outage-actual{background:#e15759;opacity:.6;height:3px;vertical-align:2px}
footer{margin-top:32px;color:var(--muted);font-size:12px}
@media print{body{max-width:none;padding:0}details{display:none}}
)css";

// After layout, measures what the charts drew and writes a summary a headless browser can
// read back from the DOM; the report reads the same without scripts.
constexpr std::string_view render_check_script = R"js(
window.addEventListener('load', function () {
  var width = document.documentElement.clientWidth;
  function shown(el, needHeight) {
    var r = el.getBoundingClientRect();
    return r.width > 0 && (!needHeight || r.height > 0) && r.left >= -0.5 && r.right <= width + 0.5;
  }
  function count(list, test) { var n = 0; list.forEach(function (el) { if (test(el)) n++; }); return n; }
  var bars = document.querySelectorAll('svg.gantt rect.bar');
  var actual = document.querySelectorAll('svg.gantt rect.actual-bar');
  var limits = document.querySelectorAll('svg line.limit-line');
  var hists = document.querySelectorAll('svg.histogram');
  var bins = [], binsShown = [];
  hists.forEach(function (h) {
    var b = h.querySelectorAll('rect.hist-bin');
    bins.push(b.length);
    binsShown.push(count(b, function (el) {
      var r = el.getBoundingClientRect();
      return r.width > 0 && r.left >= -0.5 && r.right <= width + 0.5 &&
        (el.getAttribute('data-count') === '0' || r.height > 0);
    }));
  });
  var svgs = document.querySelectorAll('svg.chart');
  var lines = [
    'viewport_width=' + width,
    'charts=' + svgs.length,
    'charts_shown=' + count(svgs, function (el) { return shown(el, true); }),
    'timeline_bars=' + bars.length,
    'timeline_bars_shown=' + count(bars, function (el) { return shown(el, true); }),
    'actual_bars=' + actual.length,
    'actual_bars_shown=' + count(actual, function (el) { return shown(el, true); }),
    'limit_lines=' + limits.length,
    'limit_lines_shown=' + count(limits, function (el) {
      var r = el.getBoundingClientRect(); return r.height > 0 && r.left >= 0 && r.right <= width; }),
    'histograms=' + hists.length,
    'histogram_bins=' + bins.join(','),
    'histogram_bins_shown=' + binsShown.join(','),
    'render_ms=' + Math.round(performance.now())
  ];
  document.getElementById('render-check').textContent = lines.join('\n');
});
)js";

std::string clock(const RunView& view, TimePoint t) {
  return format_clock(t, view.plan->scenario->limits.window_start);
}

std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

std::string facts(const HtmlReport& report) {
  const RunView& view = *report.run;
  const model::Scenario& scenario = *view.plan->scenario;
  const auto row = [](std::string_view term, const std::string& value) {
    return fmt::format("<dt>{}</dt><dd>{}</dd>", term, value);
  };
  std::string out = "<dl class=\"facts\">";
  out += row("scenario", "<strong>" + html_escape(scenario.name) + "</strong>");
  if (report.batch != nullptr) {
    out += row("scenario hash",
               "<code>" + html_escape(report.batch->batch->scenario.hash) + "</code>");
  }
  out += row("seed", std::to_string(view.seed));
  out += row("runs", report.batch != nullptr ? std::to_string(report.batch->batch->runs()) : "1");
  out += row("servers", fmt::format("{} in {}", plural(view.plan->servers.size(), "server"),
                                    plural(view.plan->stages.size(), "stage")));
  out += row("maintenance window",
             fmt::format("{} to {} ({})", clock(view, TimePoint{}),
                         clock(view, TimePoint{} + scenario.limits.window_length),
                         format_duration(scenario.limits.window_length)));
  out += row("back-end outage limit", format_duration(scenario.limits.backend_outage_limit));
  if (report.actual != nullptr) {
    out += row("live run", fmt::format("journal <code>{}</code>, started {} UTC",
                                       html_escape(report.actual->journal),
                                       html_escape(report.actual->header.started_utc)));
  }
  out += row("written by", fmt::format("{} ({})", version::tool(), html_escape(report.command)));
  return out + "</dl>";
}

std::string verdict(const HtmlReport& report) {
  const RunView& view = *report.run;
  std::string out = "<section id=\"summary\"><h2>Summary</h2><ul class=\"verdict\">";
  out += fmt::format(
      "<li class=\"{}\">Rehearsal (run 1): {}; the plan {} at {}{}.</li>",
      view.violations.empty() ? "good" : "bad",
      view.violations.empty() ? "no violation" : plural(view.violations.size(), "violation"),
      view.summary.stopped ? "stopped after a failed step" : "ended", clock(view, view.summary.end),
      view.summary.end > TimePoint{} + view.plan->scenario->limits.window_length
          ? ", after the window closed"
          : "");
  if (view.findings) {
    std::size_t counts[3] = {0, 0, 0};
    for (const check::Finding& f : *view.findings) ++counts[static_cast<std::size_t>(f.severity)];
    out += fmt::format("<li class=\"{}\">Static analysis: {}, {}, {}.</li>",
                       counts[2] > 0   ? "bad"
                       : counts[1] > 0 ? "warning"
                                       : "good",
                       plural(counts[2], "error"), plural(counts[1], "warning"),
                       plural(counts[0], "note"));
  }
  if (report.batch != nullptr) {
    const mc::BatchResult& b = *report.batch->batch;
    out += fmt::format(
        "<li class=\"{}\">Monte Carlo, {} runs: P(a back end reaches the limit) = {:.2f}% "
        "(95% interval {:.2f}% to {:.2f}%); {} with a violation.</li>",
        b.runs_with_violations > 0 || b.runs_reaching_limit > 0 ? "bad" : "good", b.runs(),
        report.batch->limit_probability * 100.0, report.batch->limit_interval.low * 100.0,
        report.batch->limit_interval.high * 100.0, plural(b.runs_with_violations, "run"));
  }
  if (report.actual != nullptr) {
    const ActualRun& actual = *report.actual;
    const Duration limit = view.plan->scenario->limits.backend_outage_limit;
    std::size_t slow = 0;
    for (const ActualAttempt& a : actual.attempts) {
      const model::Distribution& d = view.plan->servers[a.server].steps[a.step].timing.duration;
      if (a.has_outcome() && a.duration > sim::duration_quantile(d, 0.95)) ++slow;
    }
    Duration longest{};
    for (const check::Outage& o : actual.outages) longest = std::max(longest, o.length());
    out += fmt::format(
        "<li class=\"{}\">Live run: {}; {} in {}, {} above the rehearsed P95; the longest "
        "back-end outage lasted {} against the {} limit.</li>",
        !actual.finished || longest >= limit ? "bad"
        : slow > 0                           ? "warning"
                                             : "good",
        actual.finished      ? std::string("the plan ran to its end")
        : actual.stop_reason ? "stopped: " + html_escape(*actual.stop_reason)
                             : std::string("no final record"),
        plural(actual.attempts.size(), "attempt"), plural(actual.sessions.size(), "session"), slow,
        html::precise_duration(longest), format_duration(limit));
  }
  return out + "</ul></section>";
}

std::string findings_section(const RunView& view) {
  std::string out = "<section id=\"findings\"><h2>Static analysis</h2>";
  if (!view.findings) {
    return out +
           "<p class=\"empty\">not run: `check` and `report` analyse the runbook and the "
           "plan before they rehearse</p></section>";
  }
  if (view.findings->empty()) return out + "<p>No findings.</p></section>";
  // Problems first, so that they are not lost below the proofs (as in the terminal).
  std::vector<const check::Finding*> ordered;
  for (const check::Finding& f : *view.findings) ordered.push_back(&f);
  std::ranges::stable_sort(ordered, [](const check::Finding* a, const check::Finding* b) {
    return (a->severity == check::Severity::info) < (b->severity == check::Severity::info);
  });
  out +=
      "<table class=\"findings\"><thead><tr><th>severity</th><th>rule</th><th>server</th>"
      "<th>steps</th><th>explanation</th></tr></thead><tbody>";
  for (const check::Finding* f : ordered) {
    std::string steps;
    for (const std::string& s : f->steps) {
      steps += (steps.empty() ? "" : ", ") + ("<code>" + html_escape(s) + "</code>");
    }
    out += fmt::format(
        "<tr class=\"finding\"><td class=\"sev-{0}\">{0}</td><td>{1}</td><td>{2}</td><td>{3}"
        "</td><td>{4}</td></tr>",
        check::severity_name(f->severity), html_escape(f->rule), html_escape(f->server),
        steps.empty() ? "-" : steps, html_escape(f->message));
  }
  return out + "</tbody></table></section>";
}

std::string violations_section(const RunView& view) {
  std::string out = "<section id=\"violations\"><h2>Violations in the rehearsal</h2>";
  if (view.violations.empty()) return out + "<p>None.</p></section>";
  out +=
      "<table class=\"violations\"><thead><tr><th>time</th><th>rule</th><th>server</th>"
      "<th>step</th><th>explanation</th></tr></thead><tbody>";
  for (const check::Violation& v : view.violations) {
    const bool has_server = v.server != sim::no_index;
    const std::string server = has_server ? view.plan->servers[v.server].target.fqdn : "-";
    const std::string step = has_server && v.step != sim::no_index
                                 ? view.plan->servers[v.server].steps[v.step].definition->id
                                 : "-";
    out += fmt::format(
        "<tr class=\"violation bad\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
        "</tr>",
        clock(view, v.time), html_escape(v.rule), html_escape(server), html_escape(step),
        html_escape(v.message));
  }
  return out + "</tbody></table></section>";
}

std::string_view outcome_name(StepRun::Outcome outcome) {
  switch (outcome) {
    case StepRun::Outcome::succeeded:
      return "succeeded";
    case StepRun::Outcome::failed:
      return "failed";
    case StepRun::Outcome::not_run:
      return "not run";
  }
  return "";
}

// Every step as text, for reading, copying commands and screen readers.
std::string steps_section(const RunView& view) {
  std::string out =
      "<section id=\"steps\"><details><summary>Every step of every server, with its exact "
      "command</summary><table class=\"steps\"><thead><tr><th>server</th><th>step</th>"
      "<th>kind</th><th>article</th><th>command</th><th>start</th><th>end</th><th>duration</th>"
      "<th>attempts</th><th>outcome</th></tr></thead><tbody>";
  for (std::size_t s = 0; s < view.plan->servers.size(); ++s) {
    const model::ResolvedServer& server = view.plan->servers[s];
    for (std::size_t i = 0; i < server.steps.size(); ++i) {
      const model::ResolvedStep& step = server.steps[i];
      const StepRun& run = view.steps[s][i];
      const bool ran = run.outcome != StepRun::Outcome::not_run;
      out += fmt::format(
          "<tr{}><td>{}</td><td title=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
          "<td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
          run.outcome == StepRun::Outcome::failed ? " class=\"bad\"" : "",
          html_escape(server.target.fqdn), html_escape(step.definition->title),
          html_escape(step.definition->id), model::kind_name(step.definition->kind),
          step.definition->article_step ? std::to_string(*step.definition->article_step)
                                        : "addition",
          step.command.empty() ? "-" : "<code>" + html_escape(step.command) + "</code>",
          ran ? clock(view, run.start) : "-", ran ? clock(view, run.end) : "-",
          ran ? format_duration(run.end - run.start) : "-", run.attempts,
          outcome_name(run.outcome));
    }
  }
  return out + "</tbody></table></details></section>";
}

}  // namespace

std::string render_html_report(const HtmlReport& report) {
  const RunView& view = *report.run;
  const model::Scenario& scenario = *view.plan->scenario;
  std::string out;
  out.reserve(64 * 1024);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<meta name=\"generator\" content=\"{}\">\n", version::tool());
  out += fmt::format("<title>lyncupdate report: {}, seed {}</title>\n", html_escape(scenario.name),
                     view.seed);
  out += "<style>" + std::string(style_sheet) + "</style>\n</head>\n<body>\n";
  out += fmt::format("<header><h1>Rehearsal of {}</h1>", html_escape(scenario.name));
  if (!scenario.description.empty()) {
    out += "<p class=\"description\">" + html_escape(scenario.description) + "</p>";
  }
  out += facts(report) + "</header>\n";
  out += verdict(report) + "\n";
  out += html::timeline_section(report) + "\n";
  out += html::outage_section(report) + "\n";
  if (report.actual != nullptr) out += html::reality_section(report) + "\n";
  if (report.verification != nullptr) out += html::verification_section(report) + "\n";
  if (report.batch != nullptr) {
    out += html::montecarlo_section(*report.batch) + "\n";
  } else {
    out +=
        "<section id=\"montecarlo\"><h2>Monte Carlo</h2><p class=\"empty\">one rehearsal: "
        "run with --runs N for the spread of the window and of each outage</p></section>\n";
  }
  out += html::users_section(report) + "\n";
  if (report.batch != nullptr) out += html::montecarlo_users_section(*report.batch) + "\n";
  out += findings_section(view) + "\n";
  out += violations_section(view) + "\n";
  out += steps_section(view) + "\n";
  out += fmt::format(
      "<footer>Written by lyncupdate {} from scenario {} with seed {}: the same scenario and "
      "seed give the same file. Self-contained: no external resource, readable "
      "offline.</footer>\n",
      version::full(), html_escape(scenario.name), view.seed);
  out += "<pre id=\"render-check\" hidden>not measured</pre>\n";
  out += "<script>" + std::string(render_check_script) + "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace lyncupdate::reports
