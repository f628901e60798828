#pragma once
/// \file
/// Commands as argument vectors, and their encoding as a PowerShell script passed with
/// `-EncodedCommand`. Nothing built from scenario text ever reaches a shell as a string: every
/// argument is quoted as a PowerShell literal, and the remote side sees only fixed words and
/// base64.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lyncupdate::live {

/// The stages of a pipeline, each an argument vector whose first element is the command.
using Pipeline = std::vector<std::vector<std::string>>;

/// The longest argument a pipeline may hold, in bytes.
inline constexpr std::size_t max_argument_bytes = 4096;

/// `text` as a PowerShell single-quoted literal: `'` + text + `'`, with every `'` and each of
/// U+2018, U+2019, U+201A and U+201B (which PowerShell also treats as single quotes) doubled.
/// Inside such a literal nothing is expanded: `$(...)`, backticks and double quotes are text.
std::string powershell_quote(std::string_view text);

/// A runbook step's command (placeholders already substituted) as a one-stage pipeline: the
/// command split on ASCII whitespace. An empty or all-blank command gives an empty pipeline.
Pipeline split_command(std::string_view command);

/// Why `pipeline` must not be run, or nothing when it may: it is empty, a stage or an argument
/// is empty, an argument holds a control character (U+0000-U+001F, U+007F) or is not valid
/// UTF-8, or is longer than `max_argument_bytes`. Live mode checks every pipeline with this
/// before anything runs. The message is lower-case and never repeats the offending bytes.
std::optional<std::string> pipeline_problem(const Pipeline& pipeline);

/// The PowerShell script that runs `pipeline`, exactly:
///
///     $ErrorActionPreference = 'Stop'
///     & 'cmd' -Name 'value' | & 'next'
///     if ($LASTEXITCODE) { exit $LASTEXITCODE }
///
/// with `\n` line ends and a final `\n`. Each stage is `& ` and the quoted command, then each
/// further argument, bare when it is a parameter name (model::is_bare_parameter_name), else quoted
/// (powershell_quote). `pipeline` must be one that pipeline_problem accepts.
std::string powershell_script(const Pipeline& pipeline);

/// `utf8` converted to UTF-16LE (characters beyond U+FFFF as surrogate pairs) and encoded in
/// base64 (standard alphabet, `=` padding, no line breaks): the form `-EncodedCommand` takes.
/// A byte that does not start a valid UTF-8 sequence is encoded as U+FFFD.
std::string utf16le_base64(std::string_view utf8);

/// The argument vector that runs `pipeline` with PowerShell on the machine it reaches:
/// `powershell.exe -NoProfile -NonInteractive -EncodedCommand <base64 of the script>`.
/// `pipeline` must be one that pipeline_problem accepts.
std::vector<std::string> powershell_invocation(const Pipeline& pipeline);

}  // namespace lyncupdate::live
