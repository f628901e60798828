#include "values.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "lyncupdate/model/fqdn.hpp"

namespace lyncupdate::loader::detail {
namespace {

bool contains(std::span<const std::string_view> names, std::string_view name) {
  return std::ranges::find(names, name) != names.end();
}

std::string integer_expectation(std::int64_t min, std::int64_t max) {
  if (min == 0 && max == std::numeric_limits<std::int64_t>::max()) return "a non-negative integer";
  return fmt::format("an integer between {} and {}", min, max);
}

}  // namespace

bool check_object(const Json& value, const Place& at, const ObjectShape& shape, Problems& problems,
                  std::string_view what) {
  if (!value.is_object()) {
    problems.report(at, fmt::format("expected {}, got {}", what, describe(value)));
    return false;
  }
  std::vector<std::string_view> allowed(shape.required.begin(), shape.required.end());
  allowed.insert(allowed.end(), shape.optional.begin(), shape.optional.end());
  std::ranges::sort(allowed);
  for (const auto& [key, unused] : value.items()) {
    if (contains(allowed, key)) continue;
    if (contains(shape.foreign, key)) {
      problems.report(at / key, fmt::format("key {} does not apply to {}; allowed keys: {}",
                                            quote(key), shape.context, quoted_list(allowed)));
    } else {
      problems.report(at / key, fmt::format("unknown key {}; allowed keys: {}{}", quote(key),
                                            quoted_list(allowed), suggestion(key, allowed)));
    }
  }
  for (const std::string_view key : shape.required) {
    if (!value.contains(key)) {
      problems.report(at, fmt::format("missing required key {}", quote(key)));
    }
  }
  return true;
}

const Json* member(const Json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::optional<std::string> read_string(const Json& value, const Place& at, Problems& problems) {
  if (!value.is_string()) {
    problems.report(at, fmt::format("expected a string, got {}", describe(value)));
    return std::nullopt;
  }
  return value.get<std::string>();
}

std::optional<std::string> read_non_empty_string(const Json& value, const Place& at,
                                                 Problems& problems) {
  if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
    problems.report(at, fmt::format("expected a non-empty string, got {}", describe(value)));
    return std::nullopt;
  }
  return value.get<std::string>();
}

std::optional<std::string> read_fqdn(const Json& value, const Place& at, Problems& problems) {
  if (!value.is_string()) {
    problems.report(at, fmt::format("expected an FQDN string, got {}", describe(value)));
    return std::nullopt;
  }
  const auto& text = value.get_ref<const std::string&>();
  // FQDNs end up in commands run on real servers (DESIGN.md, "Guarantees").
  if (const auto problem = model::fqdn_problem(text)) {
    problems.report(at, fmt::format("{} is not a valid FQDN: {}", quote(text), *problem));
    return std::nullopt;
  }
  // Stored without an absolute name's trailing dot: commands name the server as the topology
  // does, and every comparison goes through model::fqdn_key.
  return model::fqdn_canonical(text);
}

std::optional<std::int64_t> read_integer(const Json& value, const Place& at, Problems& problems,
                                         std::int64_t min, std::int64_t max) {
  const std::string expected = integer_expectation(min, max);
  if (!value.is_number()) {
    problems.report(at, fmt::format("expected {}, got {}", expected, describe(value)));
    return std::nullopt;
  }
  std::optional<std::int64_t> result;
  if (value.is_number_unsigned()) {
    const auto unsigned_value = value.get<std::uint64_t>();
    if (unsigned_value <= static_cast<std::uint64_t>(max)) {
      result = static_cast<std::int64_t>(unsigned_value);
    }
  } else if (value.is_number_integer()) {
    result = value.get<std::int64_t>();
  }
  if (value.is_number_unsigned() && !result && min == 0 &&
      max == std::numeric_limits<std::int64_t>::max()) {
    problems.report(at, fmt::format("expected a non-negative integer of at most {}, got {}", max,
                                    number_text(value)));
    return std::nullopt;
  }
  if (!result || *result < min || *result > max) {
    problems.report(at, fmt::format("expected {}, got {}", expected, number_text(value)));
    return std::nullopt;
  }
  return result;
}

std::optional<Duration> read_minutes(const Json& value, const Place& at, Problems& problems) {
  if (!value.is_number()) {
    problems.report(at, fmt::format("expected a number of minutes, got {}", describe(value)));
    return std::nullopt;
  }
  const auto minutes = value.get<double>();
  if (!(minutes > 0.0)) {
    problems.report(
        at, fmt::format("expected a positive number of minutes, got {}", number_text(value)));
    return std::nullopt;
  }
  if (minutes > max_minutes) {
    problems.report(at, fmt::format("expected at most {} minutes (one week), got {}", max_minutes,
                                    number_text(value)));
    return std::nullopt;
  }
  const Duration duration = minutes_to_duration(minutes);
  if (duration <= Duration::zero()) {
    problems.report(
        at, fmt::format("expected at least one millisecond, got {} minutes", number_text(value)));
    return std::nullopt;
  }
  return duration;
}

std::optional<double> read_probability(const Json& value, const Place& at, Problems& problems) {
  if (!value.is_number()) {
    problems.report(at,
                    fmt::format("expected a probability between 0 and 1, got {}", describe(value)));
    return std::nullopt;
  }
  const auto probability = value.get<double>();
  if (!(probability >= 0.0 && probability <= 1.0)) {
    problems.report(
        at, fmt::format("expected a probability between 0 and 1, got {}", number_text(value)));
    return std::nullopt;
  }
  return probability;
}

bool check_array(const Json& value, const Place& at, Problems& problems, std::string_view what) {
  if (value.is_array()) return true;
  problems.report(at, fmt::format("expected {}, got {}", what, describe(value)));
  return false;
}

}  // namespace lyncupdate::loader::detail
