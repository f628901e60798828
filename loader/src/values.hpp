#pragma once
/// \file
/// Internal to the loader: readers of single JSON values (strings, FQDNs, integers, minutes,
/// probabilities) and of object shapes. Each reports what it found and what it expected, and
/// returns nothing when the value is unusable, so that callers skip only what depends on it.

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "lyncupdate/model/time.hpp"
#include "problems.hpp"

namespace lyncupdate::loader::detail {

/// The keys an object may hold.
struct ObjectShape {
  std::span<const std::string_view> required;
  std::span<const std::string_view> optional;
  /// Keys that belong to a sibling shape (another distribution's parameters): reported as
  /// not applying to `context` rather than as typos.
  std::span<const std::string_view> foreign = {};
  std::string_view context = {};
};

/// Checks that `value` is an object, and reports every unknown key (with a suggestion when it
/// looks like a typo) and every missing required key. `what` names the expected value in a
/// type error ("an object"). Returns whether `value` is an object.
bool check_object(const Json& value, const Place& at, const ObjectShape& shape, Problems& problems,
                  std::string_view what = "an object");

/// Member `key` of `object`, or null when absent.
const Json* member(const Json& object, std::string_view key);

/// A string.
std::optional<std::string> read_string(const Json& value, const Place& at, Problems& problems);

/// A string with at least one character.
std::optional<std::string> read_non_empty_string(const Json& value, const Place& at,
                                                 Problems& problems);

/// A string that model::fqdn_problem accepts.
std::optional<std::string> read_fqdn(const Json& value, const Place& at, Problems& problems);

/// An integer (written without a fraction or exponent) in [min, max].
std::optional<std::int64_t> read_integer(
    const Json& value, const Place& at, Problems& problems, std::int64_t min = 0,
    std::int64_t max = std::numeric_limits<std::int64_t>::max());

/// The longest span a file may give in minutes: one week, far beyond any maintenance window,
/// and small enough that sums of durations cannot overflow.
inline constexpr double max_minutes = 10'080.0;

/// A number of minutes, more than zero and at most `max_minutes`, as a Duration.
std::optional<Duration> read_minutes(const Json& value, const Place& at, Problems& problems);

/// A number in [0, 1].
std::optional<double> read_probability(const Json& value, const Place& at, Problems& problems);

/// Reports a type error unless `value` is an array; `what` names what was expected
/// ("an array of front end FQDNs").
bool check_array(const Json& value, const Place& at, Problems& problems, std::string_view what);

}  // namespace lyncupdate::loader::detail
