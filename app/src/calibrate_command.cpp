#include "calibrate_command.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

#include "common.hpp"
#include "lyncupdate/live/calibrate.hpp"
#include "lyncupdate/live/journal.hpp"
#include "lyncupdate/loader/files.hpp"
#include "lyncupdate/version/version.hpp"

namespace lyncupdate::app {
namespace {

// The release of a journal's `tool` ("lyncupdate 0.1.0+g1a2b3c4" -> "0.1.0"): calibrate reads
// the journals of any build of its own release, whose journal format is its own.
std::string_view release_of(std::string_view tool) {
  constexpr std::string_view prefix = "lyncupdate ";
  if (!tool.starts_with(prefix)) return {};
  tool.remove_prefix(prefix.size());
  return tool.substr(0, tool.find('+'));
}

// Problems with the journals or the options: every one printed, then the closing line.
int bad_input(const std::vector<std::string>& problems) {
  std::string text;
  for (const std::string& problem : problems) text += problem + "\n";
  text += fmt::format("lyncupdate calibrate: {} problem{} in the input; nothing was written\n",
                      problems.size(), problems.size() == 1 ? "" : "s");
  write_err(text);
  return exit_bad_input;
}

// Every journal, read and checked; the same file named twice would count its samples twice.
std::expected<std::vector<live::Journal>, std::vector<std::string>> read_journals(
    const std::vector<std::string>& files) {
  std::vector<live::Journal> journals;
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < files.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      std::error_code ec;
      if (files[i] == files[j] || std::filesystem::equivalent(files[i], files[j], ec)) {
        problems.push_back(
            fmt::format("{}: error: the journal is named twice (also as {}); "
                        "its samples would count twice",
                        files[i], files[j]));
        break;
      }
    }
    auto journal = live::read_journal(files[i]);
    if (!journal) {
      problems.push_back(std::move(journal.error()));
      continue;
    }
    if (release_of(journal->header.tool) != version::release()) {
      problems.push_back(fmt::format(
          "{}:1: error: the journal was written by \"{}\"; expected a journal of a build of "
          "lyncupdate {}",
          files[i], journal->header.tool, version::release()));
      continue;
    }
    journals.push_back(std::move(*journal));
  }
  if (!problems.empty()) return std::unexpected(std::move(problems));
  return journals;
}

std::string minutes_text(double minutes) { return fmt::format("{} min", minutes); }

// The table people read on standard error: one row per step, then per server and step.
std::string render_table(const live::Calibration& calibration) {
  std::vector<std::array<std::string, 8>> rows;
  rows.push_back({"server", "step", "samples", "fit", "median", "p95", "max", "failure rate"});
  const auto add = [&rows](const live::CalibratedStep& step) {
    const live::StepObservations& o = step.observed;
    std::array<std::string, 8> row{o.server.empty() ? std::string("all") : o.server, o.step,
                                   std::to_string(o.durations.size())};
    if (!step.timing) {
      row[3] = "kept";
    } else if (step.timing->kind == model::Distribution::Kind::fixed) {
      row[3] = "fixed";
      row[4] = minutes_text(step.timing->minutes);
    } else {
      row[3] = "lognormal";
      row[4] = minutes_text(step.timing->median_min);
      row[5] = minutes_text(step.timing->p95_min);
      row[6] = minutes_text(step.timing->max_min);
    }
    row[7] =
        o.attempts == 0
            ? std::string("-")
            : fmt::format("{}/{} ({:.1f}%)", o.failed, o.attempts,
                          100.0 * static_cast<double>(o.failed) / static_cast<double>(o.attempts));
    rows.push_back(std::move(row));
  };
  for (const live::CalibratedStep& step : calibration.steps) add(step);
  for (const live::CalibratedStep& step : calibration.servers) add(step);
  std::array<std::size_t, 8> width{};
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  std::string text;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      // Counts and times align right, names left.
      line += c == 2 || (c >= 4 && c <= 6) ? fmt::format("{:>{}}", row[c], width[c])
                                           : fmt::format("{:<{}}", row[c], width[c]);
      if (c + 1 < row.size()) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    text += line + "\n";
  }
  return text;
}

// A step whose per-server override in the scenario still wins over the calibrated timing.
std::vector<std::string> shadowed_notes(const live::Calibration& calibration,
                                        const model::Scenario& scenario) {
  std::vector<std::string> notes;
  if (!calibration.servers.empty()) return notes;
  for (const auto& [fqdn, steps] : scenario.timing.servers) {
    for (const live::CalibratedStep& step : calibration.steps) {
      if (step.timing && steps.contains(step.observed.step)) {
        notes.push_back(fmt::format(
            "lyncupdate calibrate: note: timing.servers.{}.{} still overrides the calibrated "
            "timing of \"{}\" on {}; --per-server calibrates it too\n",
            fqdn, step.observed.step, step.observed.step, fqdn));
      }
    }
  }
  return notes;
}

std::expected<std::string, std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected(fmt::format("{}: error: cannot read file", path));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::unexpected(fmt::format("{}: error: cannot read file", path));
  return text.str();
}

// The scenario with its timing replaced, checked to load as the user will load it.
std::expected<std::string, int> calibrated_scenario(const CalibrateOptions& options,
                                                    const live::Calibration& calibration) {
  auto loaded = load(options.scenario);
  if (!loaded) return std::unexpected(report_problems(loaded.error()));
  if (auto problems = live::calibration_problems(calibration, *loaded); !problems.empty()) {
    return std::unexpected(bad_input(problems));
  }
  const bool is_file = is_scenario_file(options.scenario);
  std::string original;
  live::ScenarioEdits edits;
  // Where the result will be read from: a runbook file named relative to the scenario must
  // still be found from there.
  std::filesystem::path output_folder = options.output.empty()
                                            ? std::filesystem::path(".")
                                            : std::filesystem::path(options.output).parent_path();
  if (output_folder.empty()) output_folder = ".";
  if (is_file) {
    auto text = read_text(options.scenario);
    if (!text) return std::unexpected(bad_input({text.error()}));
    original = std::move(*text);
    edits.from_folder = std::filesystem::path(options.scenario).parent_path();
    edits.to_folder = output_folder;
  } else {
    auto text = loader::export_shipped_scenario(options.scenario);
    if (!text) return std::unexpected(report_problems(text.error()));
    original = std::move(*text);
  }
  auto calibrated = live::apply_calibration(original, calibration, edits);
  if (!calibrated) {
    return std::unexpected(
        bad_input({fmt::format("{}: error: {}", options.scenario, calibrated.error())}));
  }
  const std::string shown =
      options.output.empty() ? std::string("<calibrated scenario>") : options.output;
  if (auto check = loader::load_scenario_text(*calibrated, shown, output_folder); !check) {
    return std::unexpected(report_problems(check.error()));
  }
  for (const std::string& note : shadowed_notes(calibration, *loaded)) write_err(note);
  return std::move(*calibrated);
}

}  // namespace

int calibrate_command(const CalibrateOptions& options) {
  if (options.json && !options.scenario.empty() && options.output.empty()) {
    return bad_input(
        {"lyncupdate calibrate: error: --json prints the calibration on standard "
         "output; with --scenario, name the scenario's output file with -o"});
  }
  auto journals = read_journals(options.journals);
  if (!journals) return bad_input(journals.error());
  for (const live::Journal& journal : *journals) {
    if (journal.torn) {
      write_err(
          fmt::format("{}:{}: note: the last line is incomplete ({}), as a crash leaves "
                      "it; it is ignored\n",
                      journal.path.string(), journal.torn->line, journal.torn->reason));
    }
  }
  auto calibration = live::calibrate(*journals, {.per_server = options.per_server});
  if (!calibration) return bad_input({calibration.error()});

  std::string text;
  if (options.scenario.empty()) {
    text = live::render_timing(*calibration);
  } else {
    auto scenario = calibrated_scenario(options, *calibration);
    if (!scenario) return scenario.error();
    text = std::move(*scenario);
  }
  if (!options.output.empty()) {
    if (auto written = loader::write_file_atomically(options.output, text); !written) {
      write_err(fmt::format("lyncupdate calibrate: {}\n", written.error()));
      return exit_internal;
    }
  }
  if (options.json) {
    write_out(live::render_calibration_json(*calibration, options.journals, version::full()));
  } else if (options.output.empty()) {
    write_out(text);
  }
  write_err(render_table(*calibration));
  return exit_clean;
}

}  // namespace lyncupdate::app
