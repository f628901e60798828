#pragma once
/// \file
/// Reading a PowerShell command line the way PowerShell's parser splits it in argument mode,
/// so that the binder (binding.hpp) can give each command its meaning.
///
/// Implemented: statements separated by `;` or new lines; pipelines separated by `|`;
/// elements separated by blanks: bare words (a backtick escapes the next character), 'single'
/// quoted strings (`''` is one quote), "double" quoted strings (backtick escapes, `""` is one
/// quote; `$` is kept as text and the element marked as expandable), `{ script blocks }` and
/// `( subexpressions )`, `$(...)` and `@(...)` with nesting as one element, `$variables`
/// (`$true` and `$false` among them), parameters `-Name`, `-Name:value` and `-Name: value`;
/// a leading `&` or `.` call operator before the command name.
///
/// Not supported (the element is kept as text, or the line refused with a message): `&&` and
/// `||`, redirections (`>`, `2>&1`), here-strings, `--%`, comments, commas building arrays
/// (kept inside the element), type literals and member access.

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace lyncupdate::check {

/// What kind of text one element of a command is.
enum class ElementKind : unsigned char {
  word,        ///< a bare word or a quoted string: `text` is its value
  expandable,  ///< a double-quoted string or bare word holding `$`: its value is unknown
  variable,    ///< `$name`: `text` is the whole token, e.g. "$true"
  block,       ///< `{...}`, `(...)`, `$(...)`, `@(...)`: `text` is the whole source
  parameter,   ///< `-Name`: `text` is the name without the dash
};

/// One element of a command.
struct Element {
  ElementKind kind = ElementKind::word;
  std::string text;
  /// Parameters only: `-Name:value` gave a value (`value_kind`, `value`); with `-Name:` and
  /// a blank, the next element is the value.
  bool has_value = false;
  ElementKind value_kind = ElementKind::word;
  std::string value;
  bool quoted = false;  ///< word: it was (partly) quoted, so it is never a parameter name
  friend bool operator==(const Element&, const Element&) = default;
};

/// One command of a pipeline: the command name is `elements[0]`.
struct Command {
  std::vector<Element> elements;
};

/// The commands of one pipeline, in order; each after the first receives the previous one's
/// output.
using PipelineCommands = std::vector<Command>;

/// A command line: its statements, each a pipeline.
struct CommandLine {
  std::vector<PipelineCommands> statements;
};

/// Reads `text`; on failure, a lower-case message saying what is wrong (an unterminated
/// string or block, an empty pipeline element, an operator this reader does not support).
std::expected<CommandLine, std::string> read_command_line(std::string_view text);

/// A command check's pipeline (argument vectors, stage[0] the command) as live mode runs it:
/// an argument that live mode passes bare (`-Name`, live::is_parameter_name) is a parameter,
/// every other argument a quoted string.
CommandLine command_line_of(const std::vector<std::vector<std::string>>& pipeline);

/// An element as it would be written: `-Name`, `-Name:value`, or the text.
std::string element_source(const Element& element);

}  // namespace lyncupdate::check
