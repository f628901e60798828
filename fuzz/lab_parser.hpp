#pragma once
/// \file
/// The lab host's reading of what live mode sends (tests/live/lab/lab-powershell:
/// script_from_invocation, parse_script, parse_pipeline, read_quoted), carried over line for
/// line so that a fuzz target can run it millions of times. Each function names the Python
/// function it follows; a change there must be made here too (the round-trip corpus test runs
/// both on the same inputs).

#include <optional>
#include <string>
#include <vector>

namespace lyncupdate::fuzz {

/// One argument as the lab host reads it: a bare parameter name or a quoted string's value.
struct LabToken {
  bool parameter = false;
  std::u32string text;
};

/// One pipeline element `& '<name>' <args>`.
struct LabStage {
  std::u32string name;
  std::vector<LabToken> tokens;
};

/// The stages that the lab host reads from `argv` (powershell.exe -NoProfile -NonInteractive
/// -EncodedCommand <base64>), or nothing when it refuses them.
std::optional<std::vector<LabStage>> lab_read_invocation(const std::vector<std::string>& argv);

/// UTF-8 to code points; nothing when `text` is not UTF-8.
std::optional<std::u32string> code_points(const std::string& text);

}  // namespace lyncupdate::fuzz
