#include "lyncupdate/reports/montecarlo.hpp"

#include <array>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lyncupdate/reports/run_view.hpp"
#include "lyncupdate/version/version.hpp"

namespace lyncupdate::reports {
namespace {

using Json = nlohmann::ordered_json;

std::string d(std::int64_t ms) { return format_duration(Duration(ms)); }

std::string row(std::string_view label, const mc::Percentiles& p) {
  return fmt::format("  {:<30} {:>9} {:>9} {:>9} {:>9} {:>9}\n", label, d(p.p50), d(p.p90),
                     d(p.p95), d(p.p99), d(p.max));
}

std::string percent(double fraction) { return fmt::format("{:.2f}%", fraction * 100.0); }

std::string percent_of(std::uint64_t part, std::uint64_t whole) {
  return percent(static_cast<double>(part) / static_cast<double>(whole));
}

Json percentiles_json(const mc::Percentiles& p) {
  return Json{{"p50", p.p50}, {"p90", p.p90}, {"p95", p.p95}, {"p99", p.p99}, {"max", p.max}};
}

// A user-impact figure as the text shows it: user-milliseconds as user-minutes.
std::string user_figure(std::size_t metric, double value) {
  if (mc::user_metrics[metric].ends_with("_user_ms")) return fmt::format("{:.1f}", value / 60'000);
  return fmt::format("{:.1f}", value);
}

// One exact sample: a count as an integer, user-milliseconds as user-minutes.
std::string user_sample(std::size_t metric, std::int64_t value) {
  if (mc::user_metrics[metric].ends_with("_user_ms")) {
    return user_figure(metric, static_cast<double>(value));
  }
  return fmt::format("{}", value);
}

std::string user_impact_text(const mc::BatchSummary& summary) {
  const auto& labels = mc::user_metric_labels;
  std::string out =
      fmt::format("\nUser impact per run (DOMAIN.md section 2)\n  {:<32} {:>12} {:>12} {:>12}\n",
                  "", "mean", "P95", "max");
  for (std::size_t m = 0; m < labels.size(); ++m) {
    const mc::UserMetricSummary& u = summary.users[m];
    out += fmt::format("  {:<32} {:>12} {:>12} {:>12}\n", labels[m], user_figure(m, u.mean),
                       user_sample(m, u.percentiles.p95), user_sample(m, u.percentiles.max));
  }
  return out + "\n";
}

}  // namespace

std::string render_montecarlo_text(const mc::BatchSummary& summary, const TextStyle& style) {
  const mc::BatchResult& b = *summary.batch;
  const mc::BatchScenario& s = b.scenario;
  const TimePoint open{};
  const TimePoint close = open + s.window_length;
  const std::uint64_t runs = b.runs();
  std::string out = fmt::format(
      "lyncupdate simulate: scenario {}, seed {}, {} runs (Monte Carlo)\n"
      "{} servers in {} stages; window {} to {}; back-end outage limit {}\n\n",
      s.name, s.seed, runs, s.servers.size(), s.stages, format_clock(open, s.window_start),
      format_clock(close, s.window_start), format_duration(s.backend_outage_limit));
  out += fmt::format("  {:<30} {:>9} {:>9} {:>9} {:>9} {:>9}\n", "", "P50", "P90", "P95", "P99",
                     "max");
  out += row("window length (plan end)", summary.window);
  out += "  longest continuous outage\n";
  for (std::size_t i = 0; i < s.servers.size(); ++i) {
    out += row(fmt::format("  {}", s.servers[i].fqdn), summary.longest_outage[i]);
  }
  out += fmt::format(
      "  (nearest-rank percentiles over {} runs, exact in milliseconds, shown to the second;\n"
      "   a run in which a server was never unavailable counts as 0s)\n\n",
      runs);
  out += fmt::format(
      "P(a back end reaches the {} limit): {} of {} runs = {} (95% Wilson interval {} to {})\n",
      format_duration(s.backend_outage_limit), b.runs_reaching_limit, runs,
      percent(summary.limit_probability), percent(summary.limit_interval.low),
      percent(summary.limit_interval.high));
  out += user_impact_text(summary);
  out += fmt::format("Runs stopped by a failed step: {} of {} ({})\n", b.runs_stopped, runs,
                     percent_of(b.runs_stopped, runs));
  out += fmt::format(
      "Faults: {} failed attempts ({} tried again), {} reboots required by the installer\n",
      b.failed_attempts, b.retried_attempts, b.reboots);
  out += style.paint(b.runs_with_violations == 0 ? Tone::good : Tone::bad,
                     fmt::format("Runs with a violation: {} of {} ({})", b.runs_with_violations,
                                 runs, percent_of(b.runs_with_violations, runs)));
  out += '\n';
  out += fmt::format("  {:<24} {:>10} {:>11}\n", "rule", "runs", "violations");
  for (std::size_t r = 0; r < mc::counted_rules.size(); ++r) {
    out += fmt::format("  {:<24} {:>10} {:>11}\n", mc::counted_rules[r], b.runs_with_rule[r],
                       b.violations[r]);
  }
  return out;
}

std::string render_montecarlo_json(const mc::BatchSummary& summary) {
  const mc::BatchResult& b = *summary.batch;
  const mc::BatchScenario& s = b.scenario;
  Json doc;
  doc["schema"] = "lyncupdate/montecarlo/1";
  doc["tool_version"] = version::full();
  doc["command"] = "simulate";
  doc["scenario"] = s.name;
  doc["scenario_hash"] = s.hash;
  doc["seed"] = s.seed;
  doc["runs"] = b.runs();
  doc["limits"] = Json{{"backend_outage_limit_ms", s.backend_outage_limit.count()},
                       {"window_start", format_clock(TimePoint{}, s.window_start)},
                       {"window_length_ms", s.window_length.count()}};
  doc["percentile_definition"] = "nearest-rank";
  doc["window_ms"] = percentiles_json(summary.window);
  Json servers = Json::array();
  for (std::size_t i = 0; i < s.servers.size(); ++i) {
    servers.push_back(Json{{"fqdn", s.servers[i].fqdn},
                           {"role", model::role_name(s.servers[i].role)},
                           {"stage", s.servers[i].stage + 1},
                           {"longest_outage_ms", percentiles_json(summary.longest_outage[i])}});
  }
  doc["servers"] = std::move(servers);
  doc["limit_reached"] = Json{{"runs", b.runs_reaching_limit},
                              {"probability", summary.limit_probability},
                              {"wilson_95_low", summary.limit_interval.low},
                              {"wilson_95_high", summary.limit_interval.high}};
  Json users = Json::object();
  for (std::size_t m = 0; m < mc::user_metrics.size(); ++m) {
    const mc::UserMetricSummary& u = summary.users[m];
    Json metric = percentiles_json(u.percentiles);
    metric["sum"] = u.sum;
    metric["mean"] = u.mean;
    users[std::string(mc::user_metrics[m])] = std::move(metric);
  }
  doc["user_impact"] = std::move(users);
  doc["stopped_runs"] = b.runs_stopped;
  doc["faults"] = Json{{"failed_attempts", b.failed_attempts},
                       {"retried_attempts", b.retried_attempts},
                       {"reboots", b.reboots}};
  doc["runs_with_violations"] = b.runs_with_violations;
  Json rules = Json::array();
  for (std::size_t r = 0; r < mc::counted_rules.size(); ++r) {
    rules.push_back(Json{{"rule", mc::counted_rules[r]},
                         {"runs", b.runs_with_rule[r]},
                         {"violations", b.violations[r]}});
  }
  doc["violations"] = std::move(rules);
  return doc.dump(2) + "\n";
}

}  // namespace lyncupdate::reports
