#pragma once
/// \file
/// Internal to the command line: the checks every flag of every command shares. Numbers are
/// checked as text, before CLI11 converts them, so that nothing it would wrap, clamp or read
/// as "nan" ever reaches a command.

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

namespace lyncupdate::app {

/// A whole number from 0 to 2^64 - 1 ("-1" and "18446744073709551616" are refused).
CLI::Validator whole_number();

/// A whole number from `min` to `max`.
CLI::Validator whole_number_in(std::uint64_t min, std::uint64_t max);

/// One end of the range of a floating-point flag.
struct Bound {
  double value = 0.0;
  bool inclusive = true;  ///< whether `value` itself is allowed
};

/// A finite floating-point number between `low` and `high`: "nan", "inf", "1e999" and hex
/// floats are refused. Every floating-point flag of every command is checked with it.
CLI::Validator finite_number(Bound low, Bound high);

/// A file the command will write: neither an existing folder nor in a folder that does not
/// exist, so that the command refuses it before it runs rather than after.
CLI::Validator output_file();

/// The message `output_file` gives for `path`, or "" when the path can be written.
std::string output_file_problem(const std::string& path);

}  // namespace lyncupdate::app
