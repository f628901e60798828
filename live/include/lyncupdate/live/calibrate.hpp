#pragma once
/// \file
/// Calibration: step timing fitted to the durations that live runs recorded in their
/// journals, so that rehearsals use figures measured on the user's own servers instead of the
/// shipped assumptions (DOMAIN.md section 6).
///
/// What counts: every `outcome` record is an attempt; `failed` and `timed_out` are failed
/// attempts; the `duration_ms` of `succeeded` outcomes are the samples (a `reboot_required`
/// outcome is an attempt that did not fail, but its duration is not a sample: the restart is
/// modelled by the runbook's `reboot_required`). Intents without an outcome, settled by a
/// probe or not, are neither attempts nor samples: nobody saw how long they took.

#include <cstddef>
#include <expected>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lyncupdate/live/journal.hpp"
#include "lyncupdate/model/scenario.hpp"
#include "lyncupdate/model/time.hpp"
#include "lyncupdate/model/timing.hpp"

namespace lyncupdate::live {

/// What the journals recorded about one step, on every server or on one.
struct StepObservations {
  std::string step;                 ///< runbook step id
  std::string server;               ///< FQDN; "" for every server together
  std::vector<Duration> durations;  ///< of succeeded attempts, in journal order
  std::size_t attempts = 0;         ///< outcomes of any kind
  std::size_t failed = 0;           ///< `failed` and `timed_out` outcomes
  std::string first_seen;           ///< "FILE:LINE" of the first record naming it
};

/// A step timing as the scenario format writes it: minutes rounded to 4 decimals, never to
/// 0 (0.0001 is the least). Lognormal parameters are strictly increasing:
/// median_min < p95_min < max_min.
struct FittedTiming {
  model::Distribution::Kind kind = model::Distribution::Kind::fixed;  ///< fixed or lognormal
  double minutes = 0;                                                 ///< fixed
  double median_min = 0;                                              ///< lognormal
  double p95_min = 0;                                                 ///< lognormal
  double max_min = 0;              ///< lognormal: the explicit upper bound
  double failure_probability = 0;  ///< failed / attempts; 0 = not written (none failed)

  /// The same timing as the model holds it once loaded (minutes converted to milliseconds).
  model::StepTiming to_model() const;

  friend bool operator==(const FittedTiming&, const FittedTiming&) = default;
};

/// The z-score of the 95th percentile of a standard normal distribution, as the fit uses it.
inline constexpr double z95 = 1.6449;

/// The longest duration the scenario format accepts, in minutes (one week).
inline constexpr double max_minutes = 10080.0;

/// Fits a timing to `durations` (at least one; the caller guarantees it):
/// - one sample, or all equal: fixed at that value;
/// - otherwise lognormal: median = exp(mean of ln d), p95 = exp(mean + z95 * sd) with the
///   sample standard deviation of ln d, max_min = 1.5 x the longest sample (1.5 x p95 when
///   that is not above p95, as happens with few, spread samples), at most one week;
/// then each value rounded as `FittedTiming` says, p95 raised to median + 0.0001 and max_min to
/// p95 + 0.0001 where rounding made them equal. failure_probability = failed / attempts when
/// `failed` is not 0. Fails when a value does not fit in one week.
std::expected<FittedTiming, std::string> fit_timing(std::span<const Duration> durations,
                                                    std::size_t attempts, std::size_t failed);

/// One step's observations and the timing fitted to them.
struct CalibratedStep {
  StepObservations observed;
  /// None when no attempt succeeded: the scenario's timing for the step stays as it is.
  std::optional<FittedTiming> timing;
};

/// Everything the journals say, fitted.
struct Calibration {
  /// Each step on every server together, in the order the journals first name them.
  std::vector<CalibratedStep> steps;
  /// Each step on each server (only when asked for), by server in the order the journals
  /// first name them, then by step in the same order.
  std::vector<CalibratedStep> servers;

  /// Succeeded attempts in every journal.
  std::size_t samples() const;
};

/// How to calibrate.
struct CalibrateOptions {
  bool per_server = false;  ///< also fit each step on each server
};

/// Gathers the observations of every journal and fits each step. Fails when no journal holds
/// a single succeeded attempt, or when a fit does not fit in one week (the message names the
/// step and where the journals first name it).
std::expected<Calibration, std::string> calibrate(std::span<const Journal> journals,
                                                  const CalibrateOptions& options);

/// Every way `calibration` does not fit `scenario`: a step id that is not in its runbook, a
/// server (with per-server fits) that is not one of its update targets. Each message starts
/// with the `FILE:LINE: error:` of the first record naming it.
std::vector<std::string> calibration_problems(const Calibration& calibration,
                                              const model::Scenario& scenario);

/// The fitted steps as the scenario format's `timing` object ({"steps": ..., and "servers"
/// with per-server fits}), indented by two spaces, ending in a newline. Steps without a fit
/// are left out.
std::string render_timing(const Calibration& calibration);

/// The `calibrate --json` document (`lyncupdate/calibration/1`, docs/json.md), indented by
/// two spaces, ending in a newline.
std::string render_calibration_json(const Calibration& calibration,
                                    std::span<const std::string> journals,
                                    std::string_view tool_version);

/// Where a calibrated scenario comes from and goes to.
struct ScenarioEdits {
  /// The folder of the scenario file, and the folder the result is saved in: a `runbook`
  /// naming a file by a relative path is rewritten to lead to the same file from `to_folder`.
  /// Both empty (a shipped scenario): left as it is.
  std::filesystem::path from_folder;
  std::filesystem::path to_folder;
};

/// `scenario_text` (a scenario's JSON, which must load) with `timing.steps.<id>` replaced by
/// every fitted step and, with per-server fits, `timing.servers.<fqdn>.<id>` (an existing key
/// spelt in another case is reused); everything else, key order included, stays as written.
/// Indented by two spaces, ending in a newline. Fails when the text is not a JSON object.
std::expected<std::string, std::string> apply_calibration(std::string_view scenario_text,
                                                          const Calibration& calibration,
                                                          const ScenarioEdits& edits = {});

}  // namespace lyncupdate::live
