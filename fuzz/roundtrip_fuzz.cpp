// Fuzz target: the round trip of a step's command. Any bytes, read as the commands of a
// pipeline's stages separated by NUL bytes, are split into argument vectors
// (live::split_command); when live mode would pass them (live::pipeline_problem finds
// nothing), the PowerShell invocation built from them is read back by the lab host's parser
// (lab_parser.hpp), which must give exactly the same arguments: nothing added, lost, merged or
// changed by the quoting.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "lab_parser.hpp"
#include "lyncupdate/live/powershell.hpp"
#include "lyncupdate/model/runbook.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lyncupdate;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  live::Pipeline pipeline;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    const std::size_t end = std::min(text.find('\0', begin), text.size());
    live::Pipeline stage = live::split_command(text.substr(begin, end - begin));
    if (!stage.empty()) pipeline.push_back(std::move(stage.front()));
    begin = end + 1;
  }
  if (live::pipeline_problem(pipeline)) return 0;
  const auto read = fuzz::lab_read_invocation(live::powershell_invocation(pipeline));
  if (!read || read->size() != pipeline.size()) std::abort();
  for (std::size_t s = 0; s < pipeline.size(); ++s) {
    const auto& stage = (*read)[s];
    const auto name = fuzz::code_points(pipeline[s][0]);
    if (!name || stage.name != *name || stage.tokens.size() + 1 != pipeline[s].size()) {
      std::abort();
    }
    for (std::size_t a = 1; a < pipeline[s].size(); ++a) {
      const auto argument = fuzz::code_points(pipeline[s][a]);
      const auto& token = stage.tokens[a - 1];
      if (!argument || token.text != *argument ||
          token.parameter != model::is_bare_parameter_name(pipeline[s][a])) {
        std::abort();
      }
    }
  }
  return 0;
}
