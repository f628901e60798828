// The checks every flag shares (flags.hpp).
#include "flags.hpp"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

namespace lyncupdate::app {
namespace {

bool parse_whole(const std::string& text, std::uint64_t& value) {
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  return !text.empty() && error == std::errc() && stop == end;
}

std::string bound_text(double value) { return fmt::format("{}", value); }

}  // namespace

CLI::Validator whole_number() {
  return whole_number_in(0, std::numeric_limits<std::uint64_t>::max());
}

CLI::Validator whole_number_in(std::uint64_t min, std::uint64_t max) {
  return CLI::Validator(
      [min, max](const std::string& text) -> std::string {
        std::uint64_t value = 0;
        if (!parse_whole(text, value) || value < min || value > max) {
          return fmt::format("expected a whole number from {} to {}, got \"{}\"", min, max, text);
        }
        return {};
      },
      "UINT");
}

CLI::Validator finite_number(Bound low, Bound high) {
  const std::string expected = fmt::format(
      "a finite number {} {} and {} {}", low.inclusive ? "from" : "above", bound_text(low.value),
      high.inclusive ? "at most" : "below", bound_text(high.value));
  return CLI::Validator(
      [low, high, expected](const std::string& text) -> std::string {
        double value = 0.0;
        const char* end = text.data() + text.size();
        // from_chars reads neither a sign "+" nor hex without the format, and "nan" and "inf"
        // come out non-finite: each is refused below.
        const auto [stop, error] = std::from_chars(text.data(), end, value);
        const bool read = !text.empty() && error == std::errc() && stop == end;
        const bool above = low.inclusive ? value >= low.value : value > low.value;
        const bool below = high.inclusive ? value <= high.value : value < high.value;
        if (!read || !std::isfinite(value) || !above || !below) {
          return fmt::format("expected {}, got \"{}\"", expected, text);
        }
        return {};
      },
      "NUMBER");
}

std::string output_file_problem(const std::string& path) {
  if (path.empty()) return "expected a file name, got \"\"";
  std::error_code ec;
  const std::filesystem::path file(path);
  if (std::filesystem::is_directory(file, ec)) {
    return fmt::format("\"{}\" is a folder; expected a file to write", path);
  }
  const std::filesystem::path folder = file.has_parent_path() ? file.parent_path() : ".";
  if (!std::filesystem::is_directory(folder, ec)) {
    return fmt::format("the folder of \"{}\" does not exist; expected a file in an existing folder",
                       path);
  }
  return {};
}

CLI::Validator output_file() {
  return CLI::Validator([](const std::string& path) { return output_file_problem(path); }, "FILE");
}

}  // namespace lyncupdate::app
