#include <algorithm>

#include "lyncupdate/model/scenario.hpp"

namespace lyncupdate::model {

bool is_update_version(std::string_view text) {
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

}  // namespace lyncupdate::model
