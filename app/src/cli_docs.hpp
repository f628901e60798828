#pragma once
/// \file
/// The manual page and the shell completions of `lyncupdate`, written from the CLI11
/// definitions that parse its arguments, so they cannot drift from the parser: every visible
/// subcommand, option, value type, choice and required argument comes from the `CLI::App`
/// objects themselves. What the parser does not hold (exit codes, environment, files,
/// examples) is listed here once. The build runs the hidden `_generate` subcommand to write
/// them; tests compare them with `--help`.

#include <string>

#include <CLI/CLI.hpp>

namespace lyncupdate::app {

/// `lyncupdate(1)` in roff (man(7) macros), for every visible subcommand of `app`.
std::string render_manual_page(const CLI::App& app);

/// A bash completion script for `lyncupdate`: subcommands, their options, the choices of an
/// option that has them, shipped scenario names where a scenario is expected, files
/// otherwise. Needs only bash (not the bash-completion package).
std::string render_bash_completion(const CLI::App& app);

/// A zsh completion function (`#compdef lyncupdate`) with the same words as the bash one and
/// each option's description.
std::string render_zsh_completion(const CLI::App& app);

/// What `_generate` writes.
struct GenerateOptions {
  std::string what;    ///< `man`, `bash` or `zsh`
  std::string output;  ///< the file to write (atomically); "" = standard output
};

/// Adds the hidden `_generate` subcommand (not in `--help`, the manual or the completions).
CLI::App* add_generate_command(CLI::App& app, GenerateOptions& options);

/// Writes what `options` asks for, rendered from `app`; returns the exit code.
int generate_command(const CLI::App& app, const GenerateOptions& options);

}  // namespace lyncupdate::app
