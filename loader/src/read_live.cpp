#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "readers.hpp"
#include "values.hpp"

namespace lyncupdate::loader::detail {
namespace {

using namespace std::string_view_literals;

constexpr std::array<std::string_view, 0> no_keys{};
constexpr std::array live_optional{"update_version"sv};

}  // namespace

model::LiveSettings read_live(const Json& value, const Place& at, Problems& problems) {
  model::LiveSettings live;
  if (!check_object(value, at, {no_keys, live_optional}, problems)) return live;
  if (const Json* version = member(value, "update_version")) {
    const Place place = at / "update_version";
    if (!version->is_string() ||
        !model::is_update_version(version->get_ref<const std::string&>())) {
      problems.report(place, fmt::format("expected a version of 2 to 4 numeric parts separated by "
                                         "dots, such as \"5.0.8308.1001\", got {}",
                                         describe(*version)));
    } else {
      live.update_version = version->get<std::string>();
    }
  }
  return live;
}

}  // namespace lyncupdate::loader::detail
