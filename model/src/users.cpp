#include "lyncupdate/model/users.hpp"

#include <algorithm>

namespace lyncupdate::model {
namespace {
using namespace std::string_view_literals;
constexpr std::array<std::string_view, operation_count> operation_names{"presence"sv,
                                                                        "im"sv,
                                                                        "call"sv,
                                                                        "contact_change"sv,
                                                                        "meeting_schedule"sv,
                                                                        "conference_join"sv,
                                                                        "conference_organise"sv,
                                                                        "call_park"sv};
}  // namespace

std::string_view operation_name(Operation operation) {
  return operation_names.at(static_cast<std::size_t>(operation));
}

std::optional<Operation> parse_operation(std::string_view name) {
  const auto it = std::ranges::find(operation_names, name);
  if (it == operation_names.end()) return std::nullopt;
  return static_cast<Operation>(it - operation_names.begin());
}

bool fails_in_resiliency(Operation operation) {
  switch (operation) {
    case Operation::presence:
    case Operation::contact_change:
    case Operation::meeting_schedule:
    case Operation::conference_organise:
    case Operation::call_park:
      return true;
    case Operation::im:
    case Operation::call:
    case Operation::conference_join:
      return false;
  }
  return false;
}

double UserActivity::signed_in_fraction(Duration since_start, Duration window_start) const {
  constexpr Duration day = std::chrono::hours(24);
  const Duration of_day = ((window_start + since_start) % day + day) % day;
  return profile[static_cast<std::size_t>(of_day / std::chrono::hours(1))];
}

}  // namespace lyncupdate::model
