#include <array>

#include <fmt/format.h>

#include "readers.hpp"
#include "values.hpp"

namespace lyncupdate::loader::detail {
namespace {

using namespace std::string_view_literals;

constexpr std::array check_required{"pipeline"sv};
constexpr std::array check_optional{"present"sv, "absent"sv};

// The first control character (U+0000-U+001F, U+007F) of `text`, if any. Check strings become
// arguments of commands run on real servers; a line break there would split the script that
// carries them.
std::optional<char> control_character(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return c;
  }
  return std::nullopt;
}

// A non-empty string without control characters.
std::optional<std::string> read_check_string(const Json& value, const Place& at,
                                             Problems& problems) {
  auto text = read_non_empty_string(value, at, problems);
  if (!text) return std::nullopt;
  if (const auto c = control_character(*text)) {
    problems.report(at, fmt::format("expected text without control characters, got {} (it holds "
                                    "U+{:04X})",
                                    quote(*text), static_cast<unsigned char>(*c)));
    return std::nullopt;
  }
  return text;
}

std::optional<std::vector<std::string>> read_stage(const Json& value, const Place& at,
                                                   Problems& problems) {
  if (!check_array(value, at, problems, "an array of strings (a command and its arguments)")) {
    return std::nullopt;
  }
  if (value.empty()) {
    problems.report(at,
                    "expected a non-empty array of strings (a command and its arguments), "
                    "got an empty array");
    return std::nullopt;
  }
  const std::size_t before = problems.count();
  std::vector<std::string> stage;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (auto text = read_check_string(value[i], at / i, problems)) stage.push_back(*text);
  }
  if (problems.count() != before) return std::nullopt;
  return stage;
}

}  // namespace

std::optional<model::CommandCheck> read_command_check(const Json& value, const Place& at,
                                                      Problems& problems) {
  const std::size_t before = problems.count();
  if (!check_object(value, at, {check_required, check_optional}, problems,
                    "a command check object ({\"pipeline\": [[...]], ...})")) {
    return std::nullopt;
  }
  model::CommandCheck check;
  if (const Json* pipeline = member(value, "pipeline")) {
    const Place pipeline_at = at / "pipeline";
    if (check_array(*pipeline, pipeline_at, problems,
                    "an array of stages (arrays of a command and its arguments)")) {
      if (pipeline->empty()) {
        problems.report(pipeline_at, "expected a non-empty array of stages, got an empty array");
      }
      for (std::size_t i = 0; i < pipeline->size(); ++i) {
        if (auto stage = read_stage((*pipeline)[i], pipeline_at / i, problems)) {
          check.pipeline.push_back(*std::move(stage));
        }
      }
    }
  }
  const Json* present = member(value, "present");
  const Json* absent = member(value, "absent");
  if (present != nullptr && absent != nullptr) {
    problems.report(at, "expected at most one of \"present\" and \"absent\", got both");
  }
  if (present != nullptr) {
    if (auto text = read_check_string(*present, at / "present", problems)) check.present = *text;
  }
  if (absent != nullptr) {
    if (auto text = read_check_string(*absent, at / "absent", problems)) check.absent = *text;
  }
  if (problems.count() != before) return std::nullopt;
  return check;
}

}  // namespace lyncupdate::loader::detail
