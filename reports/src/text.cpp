#include "lyncupdate/reports/text.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "lyncupdate/model/printable.hpp"
#include "lyncupdate/reports/findings.hpp"

namespace lyncupdate::reports {
namespace {

constexpr int bar_width = 30;  // characters that stand for the outage limit

std::string clock(const RunView& view, TimePoint t) {
  return format_clock(t, view.plan->scenario->limits.window_start);
}

// "[##########..........|###]": the outage against the limit, drawn to scale; '#' past the
// '|' is time beyond the limit.
std::string outage_bar(Duration length, Duration limit, const TextStyle& style) {
  const double ratio = static_cast<double>(length.count()) / static_cast<double>(limit.count());
  const int filled = static_cast<int>(std::min(ratio, 2.0) * bar_width);
  std::string bar = "[";
  std::string inside;
  for (int i = 0; i < bar_width; ++i) inside += i < filled ? '#' : '.';
  bar += style.paint(ratio >= 0.8 ? Tone::warning : Tone::good, inside);
  bar += '|';
  if (filled > bar_width)
    bar += style.paint(Tone::bad, std::string(static_cast<std::size_t>(filled - bar_width), '#'));
  bar += ']';
  return bar;
}

// The faults of one step, indented under its timeline line.
std::string fault_lines(const RunView& view, std::size_t server, std::size_t step) {
  std::string out;
  for (const Fault& f : view.faults) {
    if (f.server != server || f.step != step) continue;
    if (f.kind == Fault::Kind::reboot) {
      out += fmt::format("  {:<8}  {:<8}  {:>8}    reboot required by the installer (attempt {})\n",
                         clock(view, f.begin), clock(view, f.end), format_duration(f.end - f.begin),
                         f.attempt);
    } else {
      out += fmt::format("  {:<8}  {:<8}  {:>8}    attempt {} failed{}\n", clock(view, f.begin),
                         clock(view, f.end), format_duration(f.end - f.begin), f.attempt,
                         f.retried ? "; retried after the runbook's delay" : "");
    }
  }
  return out;
}

std::string violation_lines(const RunView& view, const TextStyle& style) {
  if (view.violations.empty()) return style.paint(Tone::good, "Violations: none") + "\n";
  std::string out = fmt::format("Violations ({}):\n", view.violations.size());
  const auto server_of = [&](const check::Violation& v) -> std::string_view {
    if (v.server == sim::no_index) return "-";
    return view.plan->servers[v.server].target.fqdn;
  };
  // The columns fit the longest rule and server shown, 22 and 20 characters at least.
  std::size_t rule_width = 22;
  std::size_t server_width = 20;
  for (const check::Violation& v : view.violations) {
    rule_width = std::max(rule_width, v.rule.size());
    server_width = std::max(server_width, server_of(v).size());
  }
  for (const check::Violation& v : view.violations) {
    const std::string step = v.server == sim::no_index || v.step == sim::no_index
                                 ? "-"
                                 : view.plan->servers[v.server].steps[v.step].definition->id;
    out += fmt::format("  {}  {} {:<{}} {}\n      {}\n", clock(view, v.time),
                       style.paint(Tone::bad, fmt::format("{:<{}}", v.rule, rule_width)),
                       server_of(v), server_width, step, model::printable(v.message));
  }
  return out;
}

// User-milliseconds as user-minutes with one decimal, rounded down (the JSON has them exact).
std::string user_minutes(std::int64_t user_ms) {
  return fmt::format("{}.{}", user_ms / 60'000, user_ms % 60'000 / 6'000);
}

std::string outage_total_lines(const RunView& view) {
  std::string out = "\nOutages per server: longest continuous, and total\n";
  for (std::size_t s = 0; s < view.plan->servers.size(); ++s) {
    const OutageTotals totals = outage_totals(view, s);
    out += fmt::format("  {:<24} longest {:>8}  total {:>8}  ({} outage{})\n",
                       view.plan->servers[s].target.fqdn, format_duration(totals.longest),
                       format_duration(totals.total), totals.count, totals.count == 1 ? "" : "s");
  }
  return out;
}

// DOMAIN.md section 2: what resiliency mode and disconnection cost the users.
std::string user_impact_lines(const RunView& view, const TextStyle& style) {
  const sim::UserImpact& u = view.users;
  std::string out =
      fmt::format("\nUser impact ({} users, {} sessions simulated, counted until {})\n", u.users,
                  u.sessions, clock(view, u.closed));
  const Tone tone = u.users_affected == 0 ? Tone::good : Tone::warning;
  out += fmt::format("  {:<34} {}\n", "users affected",
                     style.paint(tone, fmt::format("{}", u.users_affected)));
  out += fmt::format("  {:<34} {}\n", "user-minutes in resiliency mode",
                     user_minutes(u.resiliency_user_ms));
  out += fmt::format("  {:<34} {}\n", "user-minutes disconnected",
                     user_minutes(u.disconnected_user_ms));
  out += fmt::format("  {:<34} {}\n", "conferences ended", u.conferences_ended);
  out += fmt::format("  {:<34} {}\n", "users moved (group primary moved)", u.users_moved);
  out += fmt::format("  {:<22} {:>26} {:>10}\n", "operation", "attempted while impaired", "failed");
  for (std::size_t o = 0; o < model::operation_count; ++o) {
    out += fmt::format("  {:<22} {:>26} {:>10}\n",
                       model::operation_name(static_cast<model::Operation>(o)),
                       u.attempted_impaired[o], u.failed[o]);
  }
  out += fmt::format("  {:<22} {:>26} {:>10}\n", "all", "", u.failed_operations());
  return out;
}

std::string header(const RunView& view, std::string_view command) {
  const model::Scenario& scenario = *view.plan->scenario;
  const TimePoint close = TimePoint{} + scenario.limits.window_length;
  return fmt::format(
      "lyncupdate {}: scenario {}, seed {}\n"
      "{} servers in {} stages; window {} to {}; back-end outage limit {}\n",
      command, model::printable(scenario.name), view.seed, view.plan->servers.size(),
      view.plan->stages.size(), clock(view, TimePoint{}), clock(view, close),
      format_duration(scenario.limits.backend_outage_limit));
}

std::string ending(const RunView& view) {
  const model::Scenario& scenario = *view.plan->scenario;
  const TimePoint close = TimePoint{} + scenario.limits.window_length;
  const std::string how = view.summary.stopped ? "stopped by a failed step" : "completed";
  return fmt::format("The plan {} at {} after {}; the window closes at {}.\n", how,
                     clock(view, view.summary.end), format_duration(view.summary.end - TimePoint{}),
                     clock(view, close));
}

}  // namespace

std::string render_simulation_text(const RunView& view, const TextStyle& style) {
  const model::Scenario& scenario = *view.plan->scenario;
  std::string out = header(view, "simulate");
  for (std::size_t s = 0; s < view.plan->servers.size(); ++s) {
    const model::ResolvedServer& server = view.plan->servers[s];
    out += fmt::format("\n{}: {}, stage {}\n", server.target.fqdn, role_label(server.target.role),
                       server.stage + 1);
    out += fmt::format("  {:<8}  {:<8}  {:>8}  {:<20} {}\n", "start", "end", "took", "step",
                       "command");
    for (std::size_t i = 0; i < server.steps.size(); ++i) {
      const model::ResolvedStep& step = server.steps[i];
      const StepRun& run = view.steps[s][i];
      const std::string what = model::printable(
          step.command.empty() ? fmt::format("(manual) {}", step.definition->title) : step.command);
      if (run.outcome == StepRun::Outcome::not_run) {
        out += fmt::format("  {:<8}  {:<8}  {:>8}  {:<20} {}\n", "-", "-", "not run",
                           step.definition->id, what);
        continue;
      }
      const std::string note =
          run.outcome == StepRun::Outcome::failed ? "  " + style.paint(Tone::bad, "FAILED") : "";
      out += fmt::format("  {:<8}  {:<8}  {:>8}  {:<20} {}{}\n", clock(view, run.start),
                         clock(view, run.end), format_duration(run.end - run.start),
                         step.definition->id, what, note);
      out += fault_lines(view, s, i);
    }
  }

  const Duration limit = scenario.limits.backend_outage_limit;
  out += fmt::format("\nBack-end availability against the {} limit\n", format_duration(limit));
  for (std::size_t s = 0; s < view.plan->servers.size(); ++s) {
    const std::string& fqdn = view.plan->servers[s].target.fqdn;
    const check::Outage* longest = nullptr;
    for (const check::Outage& o : view.outages) {
      if (o.server == s && (longest == nullptr || o.length() > longest->length())) longest = &o;
    }
    if (longest == nullptr) {
      out += fmt::format("  {:<24} never unavailable\n", fqdn);
      continue;
    }
    const auto percent = longest->length().count() * 100 / limit.count();
    out += fmt::format("  {:<24} {} to {}  {:>8}  {} {}%{}\n", fqdn, clock(view, longest->begin),
                       clock(view, longest->end), format_duration(longest->length()),
                       outage_bar(longest->length(), limit, style), percent,
                       longest->failed_over ? "  (ended by the witness's failover)"
                       : longest->restored  ? ""
                                            : "  (not restored)");
  }
  out += outage_total_lines(view);
  out += user_impact_lines(view, style);
  out += '\n';
  out += violation_lines(view, style);
  out += ending(view);
  return out;
}

std::string render_check_text(const RunView& view, const TextStyle& style) {
  std::string out = header(view, "check");
  if (!view.chance_failures) {
    out +=
        "Rehearsal without chance failures (--draw-failures draws them; montecarlo says how "
        "often one stops the plan)\n";
  }
  if (view.findings) out += render_findings_text(*view.findings, style);
  out += violation_lines(view, style);
  out += ending(view);
  return out;
}

}  // namespace lyncupdate::reports
