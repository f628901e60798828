#pragma once
/// \file
/// Internal to the command line: `report`, and `--html FILE` on `simulate` and `check`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "commands.hpp"

namespace lyncupdate::app {

/// Options of `report`.
struct ReportOptions {
  std::string scenario;               ///< a file path or a shipped name; "" = default
  std::optional<std::uint64_t> seed;  ///< overrides the scenario's seed
  std::optional<std::uint64_t> runs;  ///< Monte Carlo runs; none or 1 = one rehearsal
  unsigned threads = 0;               ///< worker threads; 0 = one per hardware thread
  std::string output;                 ///< the HTML file to write
  bool strict = false;                ///< the static analysis in `--strict` mode
};

/// `report`: rehearses SCENARIO (and with --runs N, a Monte Carlo batch of the same seed),
/// writes the HTML report atomically. Exit code as `simulate`/`check`: 0 clean, 1 violations
/// or static errors, 2 bad input, 3 the file cannot be written.
int report_command(const ReportOptions& options, std::string_view command = "report");

/// `simulate --html FILE` and `check --html FILE`: writes the report of the same scenario,
/// seed and runs before the command prints. Returns exit_clean when the file is written, or
/// the code to exit with (2: usage or bad input, 3: the file cannot be written).
int write_html_for(const RunOptions& options, std::string_view command, const std::string& file);

}  // namespace lyncupdate::app
