// Fuzz target: the journal reader of `live --resume`, `report --journal` and `calibrate`. Any
// bytes either read into a journal whose summary can be taken, or give one error naming the
// file; never a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "lyncupdate/live/journal.hpp"
#include "memory_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lyncupdate;
  static fuzz::MemoryFile file("journal");
  const auto& path = file.hold(data, size);
  const auto journal = live::read_journal(path);
  if (!journal) {
    if (!journal.error().starts_with(path.string())) std::abort();
    return 0;
  }
  if (journal->records.size() != journal->lines.size()) std::abort();
  (void)live::summarize(*journal);
  return 0;
}
