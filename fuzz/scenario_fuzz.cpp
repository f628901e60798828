// Fuzz target: the scenario loader. Any bytes either load into a scenario whose plan resolves
// and whose cost can be estimated, or give diagnostics that each render as one line; never a
// crash, a hang or undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/model/budget.hpp"
#include "lyncupdate/model/printable.hpp"
#include "lyncupdate/model/resolve.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lyncupdate;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto loaded = loader::load_scenario_text(text, "fuzz.json", {});
  if (!loaded) {
    if (loaded.error().empty()) std::abort();  // a failure always says why
    for (const loader::Diagnostic& diagnostic : loaded.error()) {
      if (diagnostic.render().find('\n') != std::string::npos) std::abort();
    }
    return 0;
  }
  // What load promises: the plan resolves, and it fits the budget.
  auto plan = model::resolve_plan(*loaded);
  if (!plan) std::abort();
  if (!model::budget_problems(*plan).empty()) std::abort();
  (void)model::printable(loaded->name);
  return 0;
}
