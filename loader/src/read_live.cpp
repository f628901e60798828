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

// A Lync Server build number such as 5.0.8308.1001: 2 to 4 numeric parts separated by dots.
// It is substituted into commands run on real servers, so nothing else is accepted.
bool is_version(std::string_view text) {
  std::size_t parts = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t dot = std::min(text.find('.', start), text.size());
    const std::string_view part = text.substr(start, dot - start);
    if (part.empty() || part.size() > 9) return false;
    for (const char c : part) {
      if (c < '0' || c > '9') return false;
    }
    ++parts;
    start = dot + 1;
  }
  return parts >= 2 && parts <= 4;
}

}  // namespace

model::LiveSettings read_live(const Json& value, const Place& at, Problems& problems) {
  model::LiveSettings live;
  if (!check_object(value, at, {no_keys, live_optional}, problems)) return live;
  if (const Json* version = member(value, "update_version")) {
    const Place place = at / "update_version";
    if (!version->is_string() || !is_version(version->get_ref<const std::string&>())) {
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
