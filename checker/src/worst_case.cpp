// Worst-case timing: the longest a back end can stay unavailable, and the longest the plan can
// take, from each step's upper bound. A server runs its steps back to back; the servers of a
// stage run in parallel and the next stage starts when the last of them ends, so the plan's
// longest path is the sum over stages of the slowest server.

#include <algorithm>

#include <fmt/format.h>

#include "analysis_parts.hpp"

namespace lyncupdate::check::detail {
namespace {

using model::ResolvedStep;

constexpr std::string_view why_unbounded = "lognormal without max_min";

}  // namespace

std::optional<Duration> step_upper_bound(const ResolvedStep& step) {
  const Duration upper = step.timing.duration.upper_bound();
  if (upper == Duration::max()) return std::nullopt;
  Duration total = upper;
  if (const auto& retry = step.definition->retry) {
    total = upper * retry->attempts + retry->delay * (retry->attempts - 1);
  }
  if (const auto& reboot = step.definition->reboot_required) total += reboot->duration;
  return total;
}

namespace {

// Events of a server's run: 2i is the start of step i, 2i + 1 its finish. The steps whose
// whole run lies between two events.
std::pair<std::size_t, std::size_t> steps_between(std::size_t from_event, std::size_t to_event) {
  return {(from_event + 1) / 2, (to_event + 1) / 2};  // [first, last)
}

std::string event_name(const model::ResolvedServer& server, std::size_t event) {
  return fmt::format("the {} of {}", event % 2 == 0 ? "start" : "end",
                     server.steps[event / 2].definition->id);
}

std::string have(std::size_t n) { return n == 1 ? "has" : "have"; }

Severity unproved(bool strict) { return strict ? Severity::error : Severity::info; }
Severity exceeded(bool strict) { return strict ? Severity::error : Severity::warning; }

// One interval of unavailability, as event indices; `end` is nothing if never restored.
struct Span {
  std::size_t begin = 0;
  std::optional<std::size_t> end;
};

std::vector<Span> outage_spans(const model::ResolvedServer& server) {
  std::vector<Span> spans;
  bool down = false;
  const auto slot = static_cast<std::size_t>(model::StateVariable::backend);
  model::ServerState state = model::initial_server_state();
  for (std::size_t event = 0; event < 2 * server.steps.size(); ++event) {
    const ResolvedStep& step = server.steps[event / 2];
    for (const model::Condition& c : event % 2 == 0 ? step.on_start : step.on_finish) {
      state[static_cast<std::size_t>(c.variable)] = c.value;
    }
    const bool now_down = state[slot] == model::values::unavailable;
    if (now_down && !down) spans.push_back(Span{event, std::nullopt});
    if (!now_down && down) spans.back().end = event;
    down = now_down;
  }
  return spans;
}

}  // namespace

std::vector<ServerFinding> outage_bound_findings(const model::ResolvedServer& server,
                                                 const model::Limits& limits, bool strict) {
  const std::vector<Span> spans = outage_spans(server);
  if (spans.empty()) return {};
  const std::string limit = format_duration(limits.backend_outage_limit);
  for (const Span& span : spans) {
    if (span.end) continue;
    return {ServerFinding{
        rules::worst_case_outage,
        exceeded(strict),
        {server.steps[span.begin / 2].definition->id},
        fmt::format("the back end stays unavailable from {} to the end of the runbook: no step "
                    "makes it available again",
                    event_name(server, span.begin))}};
  }
  // The worst span: an unbounded one if any, else the longest.
  std::optional<std::size_t> worst;
  Duration worst_length{};
  std::vector<std::string> unbounded;
  for (std::size_t s = 0; s < spans.size(); ++s) {
    const auto [first, last] = steps_between(spans[s].begin, *spans[s].end);
    Duration length{};
    for (std::size_t i = first; i < last; ++i) {
      if (const auto upper = step_upper_bound(server.steps[i])) {
        length += *upper;
      } else if (std::ranges::find(unbounded, server.steps[i].definition->id) == unbounded.end()) {
        unbounded.push_back(server.steps[i].definition->id);
      }
    }
    if (!worst || length > worst_length) {
      worst = s;
      worst_length = length;
    }
  }
  if (!unbounded.empty()) {
    return {ServerFinding{
        rules::worst_case_outage, unproved(strict), unbounded,
        fmt::format("the back-end outage cannot be proved within {}: {} {} no upper bound ({})",
                    limit, fmt::join(unbounded, ", "), have(unbounded.size()), why_unbounded)}};
  }
  const Span& span = spans[*worst];
  const auto [first, last] = steps_between(span.begin, *span.end);
  std::vector<std::string> ids;
  std::vector<std::string> parts;
  for (std::size_t i = first; i < last; ++i) {
    ids.push_back(server.steps[i].definition->id);
    parts.push_back(
        fmt::format("{} {}", ids.back(), format_duration(*step_upper_bound(server.steps[i]))));
  }
  const std::string where =
      fmt::format("from {} to {}", event_name(server, span.begin), event_name(server, *span.end));
  if (worst_length >= limits.backend_outage_limit) {
    return {ServerFinding{
        rules::worst_case_outage, exceeded(strict), ids,
        fmt::format("the back end can be unavailable for {}, at or over the {} limit, {} ({})",
                    format_duration(worst_length), limit, where, fmt::join(parts, " + "))}};
  }
  return {ServerFinding{rules::worst_case_outage, Severity::info, ids,
                        fmt::format("proved within {}: the back end is unavailable for at most "
                                    "{}, {}",
                                    limit, format_duration(worst_length), where)}};
}

std::optional<Finding> window_bound_finding(const model::ResolvedPlan& plan, bool strict) {
  if (plan.servers.empty()) return std::nullopt;
  const model::Limits& limits = plan.scenario->limits;
  const std::string window = format_duration(limits.window_length);
  std::vector<std::string> unbounded;
  Duration total{};
  std::vector<std::string> path;
  for (const auto& stage : plan.stages) {
    Duration slowest{};
    const model::ResolvedServer* slowest_server = nullptr;
    for (const std::size_t s : stage) {
      const model::ResolvedServer& server = plan.servers[s];
      Duration length{};
      for (const ResolvedStep& step : server.steps) {
        if (const auto upper = step_upper_bound(step)) {
          length += *upper;
        } else if (std::ranges::find(unbounded, step.definition->id) == unbounded.end()) {
          unbounded.push_back(step.definition->id);
        }
      }
      if (slowest_server == nullptr || length > slowest) {
        slowest = length;
        slowest_server = &server;
      }
    }
    total += slowest;
    if (slowest_server != nullptr) {
      path.push_back(fmt::format("{} {}", slowest_server->target.fqdn, format_duration(slowest)));
    }
  }
  if (!unbounded.empty()) {
    return Finding{
        rules::worst_case_window, unproved(strict), "plan", unbounded,
        fmt::format("the plan cannot be proved to end within the {} window: {} {} no "
                    "upper bound ({})",
                    window, fmt::join(unbounded, ", "), have(unbounded.size()), why_unbounded)};
  }
  if (total > limits.window_length) {
    return Finding{rules::worst_case_window,
                   exceeded(strict),
                   "plan",
                   {},
                   fmt::format("the plan can take {}, beyond the {} window; longest path: {}",
                               format_duration(total), window, fmt::join(path, ", then "))};
  }
  return Finding{rules::worst_case_window,
                 Severity::info,
                 "plan",
                 {},
                 fmt::format("proved within the {} window: the plan takes at most {}; longest "
                             "path: {}",
                             window, format_duration(total), fmt::join(path, ", then "))};
}

}  // namespace lyncupdate::check::detail
