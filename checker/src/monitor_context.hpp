#pragma once
// What the monitors of one run share: the plan, and where violations go. Private to the
// checker library.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lyncupdate/checker/violation.hpp"
#include "lyncupdate/model/resolve.hpp"

namespace lyncupdate::check::detail {

struct Context {
  const model::ResolvedPlan* plan;
  std::vector<Violation> violations;

  const model::ResolvedServer& server(std::uint16_t i) const { return plan->servers.at(i); }
  const model::ResolvedStep& step(std::uint16_t server_index, std::uint16_t step_index) const {
    return server(server_index).steps.at(step_index);
  }
  std::string_view step_id(std::uint16_t server_index, std::uint16_t step_index) const {
    return step(server_index, step_index).definition->id;
  }
  const model::Limits& limits() const { return plan->scenario->limits; }
  std::string clock(TimePoint t) const { return format_clock(t, limits().window_start); }
};

}  // namespace lyncupdate::check::detail
