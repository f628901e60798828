// Reads `/users`: the time-of-day profile, session lengths, operation rates and registrar
// timers of the user model. Every key is optional; an absent one keeps its default.
#include <array>

#include <fmt/format.h>

#include "readers.hpp"
#include "values.hpp"

namespace lyncupdate::loader::detail {
namespace {

using namespace std::string_view_literals;

constexpr std::array<std::string_view, 0> no_keys{};
constexpr std::array users_optional{
    "profile"sv,        "session_min"sv,  "session_distribution"sv, "rates_per_hour"sv,
    "conference_min"sv, "failover_min"sv, "failback_min"sv};
constexpr std::array session_distributions{"exponential"sv, "fixed"sv};

// The highest rate a file may give: one operation a second, far above any real user.
constexpr double max_rate_per_hour = 3600.0;

std::array<std::string_view, model::operation_count> operation_keys() {
  std::array<std::string_view, model::operation_count> keys{};
  for (std::size_t i = 0; i < keys.size(); ++i) {
    keys[i] = model::operation_name(static_cast<model::Operation>(i));
  }
  return keys;
}

void read_profile(const Json& value, const Place& at, Problems& problems,
                  model::UserActivity& users) {
  if (!value.is_array() || value.size() != users.profile.size()) {
    problems.report(at, fmt::format("expected an array of 24 fractions of users signed in, one per "
                                    "hour from 00:00, got {}",
                                    value.is_array() ? fmt::format("{} values", value.size())
                                                     : describe(value)));
    return;
  }
  for (std::size_t h = 0; h < value.size(); ++h) {
    const Json& fraction = value[h];
    if (!fraction.is_number()) {
      problems.report(
          at / h, fmt::format("expected a fraction between 0 and 1, got {}", describe(fraction)));
      continue;
    }
    const auto f = fraction.get<double>();
    if (!(f >= 0.0 && f <= 1.0)) {
      problems.report(at / h, fmt::format("expected a fraction between 0 and 1, got {}",
                                          number_text(fraction)));
      continue;
    }
    users.profile[h] = f;
  }
}

void read_rates(const Json& value, const Place& at, Problems& problems,
                model::UserActivity& users) {
  const auto keys = operation_keys();
  if (!check_object(value, at, {no_keys, keys}, problems,
                    "an object mapping operations to rates per signed-in user and hour")) {
    return;
  }
  for (const auto& [key, rate] : value.items()) {
    const auto operation = model::parse_operation(key);
    if (!operation) continue;  // reported by check_object
    const Place place = at / key;
    if (!rate.is_number()) {
      problems.report(place, fmt::format("expected a rate per signed-in user and hour, a number "
                                         "between 0 and {}, got {}",
                                         max_rate_per_hour, describe(rate)));
      continue;
    }
    const auto r = rate.get<double>();
    if (!(r >= 0.0 && r <= max_rate_per_hour)) {
      problems.report(place, fmt::format("expected a rate per signed-in user and hour, a number "
                                         "between 0 and {}, got {}",
                                         max_rate_per_hour, number_text(rate)));
      continue;
    }
    users.rates_per_hour[static_cast<std::size_t>(*operation)] = r;
  }
}

}  // namespace

model::UserActivity read_users(const Json& value, const Place& at, Problems& problems) {
  model::UserActivity users;
  if (!check_object(value, at, {no_keys, users_optional}, problems)) return users;
  if (const Json* profile = member(value, "profile")) {
    read_profile(*profile, at / "profile", problems, users);
  }
  if (const Json* session = member(value, "session_min")) {
    if (auto read = read_minutes(*session, at / "session_min", problems))
      users.session_mean = *read;
  }
  if (const Json* kind = member(value, "session_distribution")) {
    const Place place = at / "session_distribution";
    if (kind->is_string() && kind->get_ref<const std::string&>() == "exponential") {
      users.session_length = model::SessionLength::exponential;
    } else if (kind->is_string() && kind->get_ref<const std::string&>() == "fixed") {
      users.session_length = model::SessionLength::fixed;
    } else {
      problems.report(place, fmt::format("expected one of {}, got {}",
                                         quoted_list(session_distributions), describe(*kind)));
    }
  }
  if (const Json* rates = member(value, "rates_per_hour")) {
    read_rates(*rates, at / "rates_per_hour", problems, users);
  }
  if (const Json* length = member(value, "conference_min")) {
    if (auto read = read_minutes(*length, at / "conference_min", problems)) {
      users.conference_length = *read;
    }
  }
  if (const Json* timer = member(value, "failover_min")) {
    if (auto read = read_minutes(*timer, at / "failover_min", problems)) {
      users.failover_timer = *read;
    }
  }
  if (const Json* timer = member(value, "failback_min")) {
    if (auto read = read_minutes(*timer, at / "failback_min", problems)) {
      users.failback_timer = *read;
    }
  }
  return users;
}

}  // namespace lyncupdate::loader::detail
