#pragma once
/// \file
/// Text from a scenario (its name, description, step titles and commands) or from a journal,
/// made safe for a terminal: a name must not be able to move the cursor, clear the screen or
/// start a line of its own (a fake "gate: passed").

#include <cstddef>
#include <string>
#include <string_view>

namespace lyncupdate::model {

/// Length of the UTF-8 sequence starting at `text[i]` (1 for ASCII), or 0 when the bytes there
/// are not one. Strings from the JSON parser are valid UTF-8; file names and raw input quoted in
/// syntax errors may not be.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

/// `text` with every control character escaped: C0 (U+0000-U+001F, newline and tab included)
/// and DEL as \xHH, the C1 controls (U+0080-U+009F) as \u{HHHH}, and bytes that are not UTF-8
/// as \xHH. Every other character, and a backslash, is kept as it is. Every text output
/// passes scenario text through it; JSON outputs escape on their own.
std::string printable(std::string_view text);

}  // namespace lyncupdate::model
