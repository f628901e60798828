#pragma once
/// \file
/// Loading scenarios from JSON files or from the shipped set. This is the only place that
/// reads files or sees JSON; it returns validated model values or every problem at once.

#include <expected>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lyncupdate/model/scenario.hpp"

namespace lyncupdate::loader {

/// One problem with an input file.
struct Diagnostic {
  std::string file;     ///< as the user named it, or "<shipped:contoso>"
  int line = 0;         ///< 1-based; 0 when the problem has a JSON pointer instead
  int column = 0;       ///< 1-based; 0 when unknown
  std::string pointer;  ///< RFC 6901 JSON pointer of the offending value; "" for syntax errors
  std::string message;  ///< lower-case, says what was found and what was expected
  /// The problem is in what ships inside the binary (the catalogue), not in the user's input:
  /// an internal error (exit 3), not bad input.
  bool internal = false;

  /// `file:line:col: error: message` for syntax errors, `file: error: pointer: message` for
  /// semantic ones, `file: error: message` for problems with the file itself.
  std::string render() const;

  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

/// Either a validated scenario or every problem found.
using LoadResult = std::expected<model::Scenario, std::vector<Diagnostic>>;

/// Either the command catalogue or every problem found in it.
using CatalogueResult = std::expected<model::Catalogue, std::vector<Diagnostic>>;

/// Reads a catalogue from the text of its two files: `cmdlets_json` (the generated
/// scenarios/catalogue/cmdlets.json, format 1) and `native_json` (scenarios/catalogue/
/// native.json, docs/catalogue-native.md). Every cmdlet gains PowerShell's common parameters.
CatalogueResult read_catalogue(std::string_view cmdlets_json, std::string_view native_json);

/// The catalogue shipped inside the binary, read on first use, once per process (safe from
/// several threads; immutable after). Every scenario the loader returns points to it.
const CatalogueResult& shipped_catalogue();

/// Loads a scenario file. A string `runbook` ending in ".json" is read relative to the
/// scenario's folder; any other string names a shipped runbook.
LoadResult load_scenario_file(const std::filesystem::path& path);

/// Loads a shipped scenario by name ("contoso").
LoadResult load_shipped_scenario(std::string_view name);

/// The names of the shipped scenarios, in the order the build embedded them (not their
/// runbooks or the catalogue).
std::vector<std::string> shipped_scenario_names();

/// Loads a scenario from text. `display_name` names it in diagnostics; `base_dir` is where
/// relative runbook paths are looked up (empty: only shipped runbook names are accepted).
LoadResult load_scenario_text(std::string_view text, std::string_view display_name,
                              const std::filesystem::path& base_dir);

/// A shipped scenario as one self-contained JSON document (its runbook inlined), pretty
/// printed with two-space indents: what a user copies and edits.
std::expected<std::string, std::vector<Diagnostic>> export_shipped_scenario(std::string_view name);

/// The scenario SCENARIO (a file when `is_file`, else a shipped name) as one self-contained
/// JSON document, its runbook inlined, pretty printed: exactly what would run, whose SHA-256
/// live mode records. The scenario must load.
std::expected<std::string, std::vector<Diagnostic>> self_contained_scenario(
    const std::string& scenario, bool is_file);

/// How to turn a scenario into one that replays a schedule exactly: every step of every
/// planned server takes a fixed time and never fails or asks for a restart.
struct ReplayEdits {
  std::string name;         ///< the new scenario's name
  std::string description;  ///< what it replays
  std::size_t operators = 1;
  std::optional<std::size_t> max_servers_down;
  std::vector<model::ScheduledStart> schedule;
  /// Fixed duration of each step (by id) on each server (by FQDN); every planned server and
  /// every step.
  std::map<std::string, std::map<std::string, Duration>> durations;
};

/// The scenario SCENARIO (a file when `is_file`, else a shipped name) as one self-contained
/// JSON document with `edits` applied, pretty printed: what `verify` saves for `simulate` to
/// replay a counterexample. The scenario must load.
std::expected<std::string, std::vector<Diagnostic>> replay_scenario(const std::string& scenario,
                                                                    bool is_file,
                                                                    const ReplayEdits& edits);

}  // namespace lyncupdate::loader
