// What `verify` prints.

#include "lyncupdate/reports/verify.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lyncupdate/model/printable.hpp"
#include "lyncupdate/version/version.hpp"

namespace lyncupdate::reports {
namespace {

using check::VerifyStatus;

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string clock_of(const model::ResolvedPlan& plan, TimePoint t) {
  return format_clock(t, plan.scenario->limits.window_start);
}

}  // namespace

std::string render_verify_text(const model::ResolvedPlan& plan, const check::VerifyResult& result,
                               const VerifyContext& replay, const TextStyle& style) {
  std::string out = fmt::format(
      "verify {}: {} in {}, {}, {}\n", model::printable(plan.scenario->name),
      plural(plan.servers.size(), "server", "servers"),
      plural(plan.stages.size(), "stage", "stages"),
      plural(result.operators, "operator", "operators"),
      result.max_servers_down ? fmt::format("at most {} down at once", *result.max_servers_down)
                              : std::string("no limit on servers down at once"));
  out +=
      "worst-case time: every step takes its upper bound; every choice of the operators "
      "is explored\n";
  if (replay.cap_factor) {
    out += fmt::format(
        "unbounded tails capped: every lognormal step without max_min takes at most {:g} x "
        "its P95\n",
        *replay.cap_factor);
  }
  if (!result.timing_limits) {
    out += fmt::format(
        "order only (--order-only): the {} outage limit and the window are left out of the "
        "proof; judge them with `lyncupdate simulate --runs N`\n",
        format_duration(plan.scenario->limits.backend_outage_limit));
  }
  out += fmt::format("explored {} states ({} transitions, {} choice points)\n",
                     format_count(static_cast<std::int64_t>(result.states)),
                     format_count(static_cast<std::int64_t>(result.transitions)),
                     format_count(static_cast<std::int64_t>(result.choice_points)));
  switch (result.status) {
    case VerifyStatus::proved:
      out += style.paint(Tone::good, "PROVED");
      out += fmt::format(
          ": no allowed ordering breaks an invariant ({}pool quorum, readiness, mirror pairs, "
          "servers down{}); the longest window is {}, ending at {}\n",
          result.timing_limits
              ? fmt::format("outage limit {}, ",
                            format_duration(plan.scenario->limits.backend_outage_limit))
              : std::string(),
          result.timing_limits ? ", window" : "", format_duration(result.longest_window),
          clock_of(plan, TimePoint{} + result.longest_window));
      break;
    case VerifyStatus::incomplete:
      out += style.paint(Tone::warning, "NOT PROVED");
      out += fmt::format(": the search stopped early, {}; nothing is proved\n", result.stop_reason);
      break;
    case VerifyStatus::unbounded:
      out += style.paint(Tone::warning, "NOT PROVED");
      out += fmt::format(": {}\n", result.stop_reason);
      break;
    case VerifyStatus::violated: {
      const check::Violation& v = *result.violation;
      out += style.paint(Tone::bad, "VIOLATED");
      out += fmt::format(" {} at {}: {}\n", v.rule, clock_of(plan, v.time),
                         model::printable(v.message));
      out += fmt::format(
          "counterexample, {} in worst-case time (the fewest operator choices "
          "that lead there):\n",
          plural(result.counterexample.size(), "event", "events"));
      std::size_t width = 0;
      for (const auto& e : result.counterexample) {
        width = std::max(width, plan.servers[e.server].target.fqdn.size());
      }
      for (const auto& e : result.counterexample) {
        out += fmt::format("  {}  {:<5}  {:<{}}  {}\n", clock_of(plan, e.time),
                           e.start ? "start" : "end", plan.servers[e.server].target.fqdn, width,
                           plan.servers[e.server].steps[e.step].definition->id);
      }
      out += fmt::format("  {}  {}\n", clock_of(plan, v.time),
                         style.paint(Tone::bad, std::string(v.rule)));
      if (replay.file.empty()) {
        out += "save it with --counterexample FILE; `lyncupdate simulate FILE` replays it\n";
      } else {
        out += fmt::format("saved to {}; replay it with: lyncupdate simulate {}\n", replay.file,
                           replay.file);
      }
      break;
    }
  }
  return out;
}

std::string render_verify_json(const model::ResolvedPlan& plan, const check::VerifyResult& result,
                               const VerifyContext& replay) {
  using Json = nlohmann::ordered_json;
  Json doc;
  doc["schema"] = "lyncupdate/verify/1";
  doc["tool_version"] = version::full();
  doc["command"] = "verify";
  doc["scenario"] = plan.scenario->name;
  doc["status"] = check::status_name(result.status);
  doc["operators"] = result.operators;
  doc["max_servers_down"] =
      result.max_servers_down ? Json(*result.max_servers_down) : Json(nullptr);
  doc["timing_limits"] = result.timing_limits;
  doc["cap_factor"] = replay.cap_factor ? Json(*replay.cap_factor) : Json(nullptr);
  doc["states"] = result.states;
  doc["transitions"] = result.transitions;
  doc["choice_points"] = result.choice_points;
  doc["stop_reason"] = result.stop_reason;
  doc["longest_window_ms"] =
      result.status == VerifyStatus::proved ? Json(result.longest_window.count()) : Json(nullptr);
  if (result.violation) {
    const check::Violation& v = *result.violation;
    Json violation;
    violation["rule"] = v.rule;
    violation["time"] =
        Json{{"ms", v.time.time_since_epoch().count()}, {"clock", clock_of(plan, v.time)}};
    violation["server"] =
        v.server == sim::no_index ? Json(nullptr) : Json(plan.servers[v.server].target.fqdn);
    violation["message"] = v.message;
    doc["violation"] = std::move(violation);
  } else {
    doc["violation"] = nullptr;
  }
  Json events = Json::array();
  for (const auto& e : result.counterexample) {
    events.push_back(Json{{"time", Json{{"ms", e.time.time_since_epoch().count()},
                                        {"clock", clock_of(plan, e.time)}}},
                          {"event", e.start ? "start" : "end"},
                          {"server", plan.servers[e.server].target.fqdn},
                          {"step", plan.servers[e.server].steps[e.step].definition->id}});
  }
  doc["counterexample"] = std::move(events);
  doc["replay"] = replay.file.empty() ? Json(nullptr) : Json(replay.file);
  return doc.dump(2) + "\n";
}

}  // namespace lyncupdate::reports
