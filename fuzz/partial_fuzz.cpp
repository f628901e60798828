// Fuzz target: merge's reader of partial results. Any bytes either read into a batch whose
// counts are possible for its runs, or give one error naming the file; a batch read merges
// with itself; never a crash.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "lyncupdate/montecarlo/batch.hpp"
#include "lyncupdate/montecarlo/partial.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lyncupdate;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto batch = mc::parse_partial(text, "fuzz.json");
  if (!batch) {
    if (!batch.error().starts_with("fuzz.json: error: ")) std::abort();
    return 0;
  }
  if (batch->runs_reaching_limit > batch->runs() || batch->runs_stopped > batch->runs() ||
      batch->runs_with_violations > batch->runs()) {
    std::abort();
  }
  // What merge writes back must read again as the same counts.
  const auto again = mc::parse_partial(mc::partial_text(*batch), "again.json");
  if (!again || again->runs_reaching_limit != batch->runs_reaching_limit ||
      again->window_ms != batch->window_ms) {
    std::abort();
  }
  return 0;
}
