#pragma once
/// \file
/// Runs the `lyncupdate` binary as a child process and captures what it printed.

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace lyncupdate::test {

/// What one invocation printed and returned.
struct CliResult {
  int exit_code = -1;  ///< the exit status, or 128 + signal number if killed by a signal
  std::string out;
  std::string err;
};

/// Runs `lyncupdate args...` with `cwd` as working directory (default: the current one).
CliResult run_cli(const std::vector<std::string>& args, const std::filesystem::path& cwd = {});

/// A shipped scenario as `lyncupdate export NAME` prints it, parsed, keys in file order.
nlohmann::ordered_json exported_scenario(const std::string& name);

/// A fresh empty directory under the system temporary directory, unique to this process.
std::filesystem::path scratch_dir(const std::string& name);

/// How many times `what` occurs in `text`, overlapping occurrences included.
std::size_t occurrences(std::string_view text, std::string_view what);

/// Reads a whole file.
std::string read_file(const std::filesystem::path& path);

/// Writes `text` to `path`.
void write_file(const std::filesystem::path& path, const std::string& text);

/// `text` with the build's full version (`0.1.0+g1a2b3c4`) written as its release (`0.1.0`):
/// the git description changes with every commit, the outputs it appears in do not.
std::string without_build_metadata(std::string text);

/// Compares `actual`, without its build metadata, with the golden file
/// `tests/app/golden/<name>`; with LYNCUPDATE_UPDATE_GOLDEN=1 in the environment, rewrites the
/// golden file instead.
bool matches_golden(const std::string& name, const std::string& actual);

}  // namespace lyncupdate::test
