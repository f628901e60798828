#include "lyncupdate/live/calibrate.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "lyncupdate/model/fqdn.hpp"
#include "lyncupdate/model/printable.hpp"

namespace lyncupdate::live {
namespace {

using Json = nlohmann::ordered_json;
using Kind = model::Distribution::Kind;

// The scenario format's precision: 0.0001 minutes is 6 ms, so two values that differ after
// rounding still differ once converted to whole milliseconds at load.
constexpr double resolution_min = 0.0001;

double round_minutes(double minutes) {
  // Divided by a whole number, the result is the double nearest n / 10000: it prints as
  // the 4 decimals ("6.2545"), not as a product's rounding error ("6.254500000000001").
  return std::max(resolution_min, std::round(minutes * 10'000.0) / 10'000.0);
}

// The next value above `minutes` at the format's precision.
double next_above(double minutes) { return round_minutes(minutes + resolution_min); }

double to_minutes(Duration d) { return static_cast<double>(d.count()) / 60'000.0; }

Json timing_json(const FittedTiming& timing) {
  Json j;
  if (timing.kind == Kind::fixed) {
    j = Json{{"distribution", "fixed"}, {"minutes", timing.minutes}};
  } else {
    j = Json{{"distribution", "lognormal"},
             {"median_min", timing.median_min},
             {"p95_min", timing.p95_min},
             {"max_min", timing.max_min}};
  }
  if (timing.failure_probability > 0) j["failure_probability"] = timing.failure_probability;
  return j;
}

Json timing_object(const Calibration& calibration) {
  Json steps = Json::object();
  for (const CalibratedStep& step : calibration.steps) {
    if (step.timing) steps[step.observed.step] = timing_json(*step.timing);
  }
  Json timing{{"steps", std::move(steps)}};
  if (!calibration.servers.empty()) {
    Json servers = Json::object();
    for (const CalibratedStep& step : calibration.servers) {
      if (step.timing)
        servers[step.observed.server][step.observed.step] = timing_json(*step.timing);
    }
    timing["servers"] = std::move(servers);
  }
  return timing;
}

// Observations keyed by (server, step), kept in the order of first appearance.
class Observations {
 public:
  StepObservations& at(const std::string& server, const std::string& step,
                       const std::string& where) {
    const auto [it, inserted] = index_.emplace(std::pair(server, step), entries_.size());
    if (inserted) entries_.push_back(StepObservations{step, server, {}, 0, 0, where});
    return entries_[it->second];
  }
  std::vector<StepObservations>& entries() { return entries_; }

 private:
  std::map<std::pair<std::string, std::string>, std::size_t> index_;
  std::vector<StepObservations> entries_;
};

void observe(const Record& record, const std::string& where, Observations& all,
             Observations& per_server) {
  const auto note = [&](const std::string& server, const std::string& step) {
    return std::pair<StepObservations*, StepObservations*>(&all.at("", step, where),
                                                           &per_server.at(server, step, where));
  };
  if (const auto* intent = std::get_if<Intent>(&record)) {
    note(intent->server, intent->step);
    return;
  }
  const auto* outcome = std::get_if<Outcome>(&record);
  if (outcome == nullptr) return;
  const auto [step, on_server] = note(outcome->server, outcome->step);
  for (StepObservations* o : {step, on_server}) {
    ++o->attempts;
    if (outcome->outcome == AttemptOutcome::failed ||
        outcome->outcome == AttemptOutcome::timed_out) {
      ++o->failed;
    }
    if (outcome->outcome == AttemptOutcome::succeeded) o->durations.push_back(outcome->duration);
  }
}

std::expected<CalibratedStep, std::string> fit(StepObservations observed) {
  CalibratedStep out;
  if (!observed.durations.empty()) {
    auto timing = fit_timing(observed.durations, observed.attempts, observed.failed);
    if (!timing) {
      return std::unexpected(fmt::format(
          "{}: error: step \"{}\"{}: {}", observed.first_seen, observed.step,
          observed.server.empty() ? std::string() : fmt::format(" on {}", observed.server),
          timing.error()));
    }
    out.timing = *timing;
  }
  out.observed = std::move(observed);
  return out;
}

// A relative runbook file seen from the folder the calibrated scenario is saved in.
std::optional<std::string> moved_runbook(const std::string& runbook, const ScenarioEdits& edits) {
  const std::filesystem::path path(runbook);
  if (!runbook.ends_with(".json") || path.is_absolute() || edits.to_folder.empty()) {
    return std::nullopt;
  }
  std::error_code ec;
  const auto from = std::filesystem::weakly_canonical(
      edits.from_folder.empty() ? std::filesystem::path(".") : edits.from_folder, ec);
  const auto to = std::filesystem::weakly_canonical(edits.to_folder, ec);
  if (ec || from == to) return std::nullopt;
  const auto target = std::filesystem::weakly_canonical(from / path, ec);
  if (ec) return std::nullopt;
  const auto relative = target.lexically_relative(to);
  return (relative.empty() ? target : relative).generic_string();
}

}  // namespace

model::StepTiming FittedTiming::to_model() const {
  model::StepTiming timing;
  timing.failure_probability = failure_probability;
  timing.duration.kind = kind;
  if (kind == Kind::fixed) {
    timing.duration.low = minutes_to_duration(minutes);
  } else {
    timing.duration.median = minutes_to_duration(median_min);
    timing.duration.p95 = minutes_to_duration(p95_min);
    timing.duration.cap = minutes_to_duration(max_min);
  }
  return timing;
}

std::expected<FittedTiming, std::string> fit_timing(std::span<const Duration> durations,
                                                    std::size_t attempts, std::size_t failed) {
  FittedTiming timing;
  if (failed > 0 && attempts > 0) {
    timing.failure_probability = static_cast<double>(failed) / static_cast<double>(attempts);
  }
  const auto [shortest, longest] = std::ranges::minmax(durations);
  const auto too_long = [](double minutes) {
    return fmt::format("{:.4f} minutes is longer than the format allows ({} minutes, one week)",
                       minutes, max_minutes);
  };
  if (shortest == longest) {
    timing.kind = Kind::fixed;
    timing.minutes = round_minutes(to_minutes(longest));
    if (timing.minutes > max_minutes) return std::unexpected(too_long(timing.minutes));
    return timing;
  }
  // A lognormal: the logarithms of the samples are normal with mean mu and deviation sd.
  const auto n = static_cast<double>(durations.size());
  double sum = 0;
  for (const Duration d : durations) sum += std::log(to_minutes(d));
  const double mu = sum / n;
  double squares = 0;
  for (const Duration d : durations) squares += std::pow(std::log(to_minutes(d)) - mu, 2);
  const double sd = std::sqrt(squares / (n - 1));
  const double p95 = std::exp(mu + z95 * sd);

  timing.kind = Kind::lognormal;
  timing.median_min = round_minutes(std::exp(mu));
  timing.p95_min = std::max(round_minutes(p95), next_above(timing.median_min));
  // The bound `verify` proves with: half again the longest seen. With few, spread samples
  // the fitted p95 can lie above that, and the format wants the bound above p95: then half
  // again the p95.
  const double longest_min = to_minutes(longest);
  const double cap = 1.5 * longest_min > timing.p95_min ? 1.5 * longest_min : 1.5 * timing.p95_min;
  timing.max_min = std::max(round_minutes(cap), next_above(timing.p95_min));
  if (timing.p95_min >= max_minutes) return std::unexpected(too_long(timing.p95_min));
  timing.max_min = std::min(timing.max_min, max_minutes);
  return timing;
}

std::size_t Calibration::samples() const {
  return std::accumulate(steps.begin(), steps.end(), std::size_t{0},
                         [](std::size_t total, const CalibratedStep& step) {
                           return total + step.observed.durations.size();
                         });
}

std::expected<Calibration, std::string> calibrate(std::span<const Journal> journals,
                                                  const CalibrateOptions& options) {
  Observations all;
  Observations per_server;
  for (const Journal& journal : journals) {
    for (std::size_t i = 0; i < journal.records.size(); ++i) {
      observe(journal.records[i], fmt::format("{}:{}", journal.path.string(), journal.lines[i]),
              all, per_server);
    }
  }
  Calibration calibration;
  for (StepObservations& observed : all.entries()) {
    auto step = fit(std::move(observed));
    if (!step) return std::unexpected(std::move(step.error()));
    calibration.steps.push_back(std::move(*step));
  }
  if (calibration.samples() == 0) {
    std::string names;
    for (const Journal& journal : journals) {
      names += (names.empty() ? "" : ", ") + journal.path.string();
    }
    return std::unexpected(fmt::format(
        "{}: error: no succeeded attempt in {}; expected at least one outcome \"succeeded\" "
        "to calibrate from",
        names.empty() ? std::string("calibrate") : names,
        journals.size() == 1 ? "the journal" : "any of the journals"));
  }
  if (options.per_server) {
    // Grouped by server, each server's steps in the order the journals name them.
    std::vector<std::string> servers;
    for (const StepObservations& observed : per_server.entries()) {
      if (std::ranges::find(servers, observed.server) == servers.end()) {
        servers.push_back(observed.server);
      }
    }
    for (const std::string& server : servers) {
      for (StepObservations& observed : per_server.entries()) {
        if (observed.server != server) continue;
        auto step = fit(std::move(observed));
        if (!step) return std::unexpected(std::move(step.error()));
        calibration.servers.push_back(std::move(*step));
      }
    }
  }
  return calibration;
}

std::vector<std::string> calibration_problems(const Calibration& calibration,
                                              const model::Scenario& scenario) {
  std::vector<std::string> problems;
  std::vector<std::string> ids;
  // Every runbook's steps, once each: the mirrored and mirror runbooks repeat the back end's.
  for (const model::Runbook* runbook : scenario.runbooks()) {
    for (const model::RunbookStep& step : runbook->steps) {
      if (std::ranges::find(ids, step.id) == ids.end()) ids.push_back(step.id);
    }
  }
  for (const CalibratedStep& step : calibration.steps) {
    if (std::ranges::find(ids, step.observed.step) == ids.end()) {
      problems.push_back(fmt::format(
          "{}: error: step \"{}\" is not in the runbook of scenario \"{}\"; expected one of: {}",
          step.observed.first_seen, model::printable(step.observed.step),
          model::printable(scenario.name), fmt::join(ids, ", ")));
    }
  }
  std::vector<std::string> targets;
  for (const model::UpdateTarget& target : model::update_targets(scenario.topology)) {
    targets.push_back(target.fqdn);
  }
  std::vector<std::string> reported;
  for (const CalibratedStep& step : calibration.servers) {
    const std::string& server = step.observed.server;
    const bool known = std::ranges::any_of(targets, [&](const std::string& fqdn) {
      return model::fqdn_key(fqdn) == model::fqdn_key(server);
    });
    if (known || std::ranges::find(reported, server) != reported.end()) continue;
    reported.push_back(server);
    problems.push_back(fmt::format(
        "{}: error: server \"{}\" is not updated by scenario \"{}\"; expected one of: {}",
        step.observed.first_seen, model::printable(server), model::printable(scenario.name),
        fmt::join(targets, ", ")));
  }
  return problems;
}

std::string render_timing(const Calibration& calibration) {
  return timing_object(calibration).dump(2) + "\n";
}

std::string render_calibration_json(const Calibration& calibration,
                                    std::span<const std::string> journals,
                                    std::string_view tool_version) {
  Json rows = Json::array();
  const auto add = [&rows](const CalibratedStep& step) {
    const StepObservations& o = step.observed;
    Json durations = Json::array();
    for (const Duration d : o.durations) durations.push_back(d.count());
    rows.push_back(Json{{"step", o.step},
                        {"server", o.server.empty() ? Json(nullptr) : Json(o.server)},
                        {"samples", o.durations.size()},
                        {"attempts", o.attempts},
                        {"failed", o.failed},
                        {"durations_ms", std::move(durations)},
                        {"timing", step.timing ? timing_json(*step.timing) : Json(nullptr)}});
  };
  for (const CalibratedStep& step : calibration.steps) add(step);
  for (const CalibratedStep& step : calibration.servers) add(step);
  const Json document{{"schema", "lyncupdate/calibration/1"},
                      {"tool_version", tool_version},
                      {"journals", journals},
                      {"steps", std::move(rows)},
                      {"timing", timing_object(calibration)}};
  return document.dump(2) + "\n";
}

std::expected<std::string, std::string> apply_calibration(std::string_view scenario_text,
                                                          const Calibration& calibration,
                                                          const ScenarioEdits& edits) {
  Json scenario = Json::parse(scenario_text, nullptr, false);
  if (scenario.is_discarded() || !scenario.is_object()) {
    return std::unexpected("expected a scenario: a JSON object");
  }
  // Looked up, never inserted: an ordered object's members move when one is added.
  if (const auto runbook = scenario.find("runbook");
      runbook != scenario.end() && runbook->is_string()) {
    if (auto moved = moved_runbook(runbook->get<std::string>(), edits)) *runbook = *moved;
  }
  const auto found = scenario.find("timing");
  if (found == scenario.end() || !found->is_object()) {
    return std::unexpected("expected the scenario's timing object");
  }
  Json& timing = *found;
  Json& steps = timing["steps"];
  for (const CalibratedStep& step : calibration.steps) {
    if (step.timing) steps[step.observed.step] = timing_json(*step.timing);
  }
  if (!calibration.servers.empty()) {
    if (!timing.contains("servers")) timing["servers"] = Json::object();
    Json& servers = timing["servers"];
    for (const CalibratedStep& step : calibration.servers) {
      if (!step.timing) continue;
      // FQDNs compare without regard to case: an override the user already wrote is replaced
      // under the user's spelling rather than duplicated.
      std::string key = step.observed.server;
      for (const auto& [existing, ignored] : servers.items()) {
        if (model::fqdn_key(existing) == model::fqdn_key(key)) key = existing;
      }
      servers[key][step.observed.step] = timing_json(*step.timing);
    }
  }
  return scenario.dump(2) + "\n";
}

}  // namespace lyncupdate::live
