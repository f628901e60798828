#include "lyncupdate/scenarios/shipped.hpp"

#include <algorithm>

namespace lyncupdate::scenarios {

std::optional<std::string_view> shipped_file(std::string_view name) {
  const auto files = shipped_files();
  const auto it =
      std::ranges::find_if(files, [name](const ShippedFile& f) { return f.name == name; });
  if (it == files.end()) return std::nullopt;
  return it->text;
}

}  // namespace lyncupdate::scenarios
