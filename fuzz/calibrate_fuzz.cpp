// Fuzz target: `calibrate`'s input. Any bytes read as a journal are calibrated, rendered as
// timing and JSON, checked against the default scenario and applied to its text: either a
// result or an error message, never a crash; a timing that calibrate renders loads again.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "lyncupdate/live/calibrate.hpp"
#include "lyncupdate/live/journal.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "memory_file.hpp"

namespace {

const std::string& contoso_text() {
  static const std::string text = [] {
    auto exported = lyncupdate::loader::export_shipped_scenario("contoso");
    if (!exported) std::abort();
    return *exported;
  }();
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lyncupdate;
  static fuzz::MemoryFile file("calibrate");
  static const auto contoso = loader::load_scenario_text(contoso_text(), "contoso", {});
  if (!contoso) std::abort();
  const auto journal = live::read_journal(file.hold(data, size));
  if (!journal) return 0;
  const std::array journals{*journal};
  for (const bool per_server : {false, true}) {
    const auto calibration = live::calibrate(journals, {.per_server = per_server});
    if (!calibration) continue;
    (void)live::render_timing(*calibration);
    const std::array<std::string, 1> names{"fuzz.journal"};
    (void)live::render_calibration_json(*calibration, names, "0.1.0");
    if (!live::calibration_problems(*calibration, *contoso).empty()) continue;
    // A calibration that fits the scenario gives a scenario that loads.
    const auto applied = live::apply_calibration(contoso_text(), *calibration);
    if (!applied) std::abort();
    // It loads, unless its fitted steps take the plan past the budget of simulated time.
    const auto reloaded = loader::load_scenario_text(*applied, "calibrated", {});
    if (!reloaded) {
      for (const loader::Diagnostic& diagnostic : reloaded.error()) {
        if (diagnostic.message.find("the budget of") == std::string::npos) std::abort();
      }
    }
  }
  return 0;
}
