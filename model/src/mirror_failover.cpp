#include "lyncupdate/model/mirror_failover.hpp"

#include <algorithm>

namespace lyncupdate::model {

bool fails_over_to_mirror(const ResolvedStep& step) {
  const auto to_mirror = [](const Condition& c) {
    return c.variable == StateVariable::database_principal && c.value == values::on_mirror;
  };
  return std::ranges::any_of(step.on_start, to_mirror) ||
         std::ranges::any_of(step.on_finish, to_mirror);
}

bool fails_over_to_unupdated_mirror(const ResolvedStep& step, bool mirror_updated) {
  return !mirror_updated && fails_over_to_mirror(step);
}

}  // namespace lyncupdate::model
