// The manual page and the completions are a walk over CLI11's own objects: the subcommands
// (`App::get_subcommands`), their options and positionals (`App::get_options`), each option's
// names, value type, validators and description. A subcommand or option in the hidden group
// (CLI11's empty group name, as `_generate` is) is left out, as `--help` leaves it out.
//
// CLI11 writes an option's type with its validators' descriptions, colon-separated:
// `UINT:UINT` (the whole_number check), `TEXT:{ssh,local}` (IsMember), `FLOAT:FLOAT in [0 -
// 1]` (Range). The first part is the value's type; a `{a,b}` part lists the choices, which the
// completions offer and the manual prints; a range is printed as CLI11's help prints it.

#include "cli_docs.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "commands.hpp"
#include "common.hpp"
#include "live_command.hpp"
#include "lyncupdate/loader/files.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/version/version.hpp"

namespace lyncupdate::app {
namespace {

constexpr std::string_view generate_name = "_generate";

/// One option or positional argument as the manual and the completions show it.
struct ArgumentDoc {
  std::vector<std::string> names;    ///< `-o`, `--output`; a positional: its name, `SCENARIO`
  std::string type;                  ///< `UINT`, `TEXT`, `FLOAT`; "" for a flag
  std::vector<std::string> choices;  ///< from an IsMember check
  std::string range;                 ///< from a Range check: `from 0 to 1`
  std::string description;
  bool positional = false;
  bool required = false;
  bool many = false;  ///< takes several values (`merge FILE...`)

  /// Where a scenario is expected: shipped names are offered as well as files.
  bool names_scenario() const { return description.find("shipped scenario") != std::string::npos; }
};

/// One subcommand.
struct CommandDoc {
  std::string name;
  std::string description;
  std::vector<ArgumentDoc> positionals;
  std::vector<ArgumentDoc> options;
};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t from = 0;
  for (std::size_t at = text.find(separator); at != std::string::npos;
       at = text.find(separator, from)) {
    parts.push_back(text.substr(from, at - from));
    from = at + 1;
  }
  parts.push_back(text.substr(from));
  return parts;
}

void read_type(const CLI::Option& option, ArgumentDoc& doc) {
  if (option.get_expected_max() == 0) return;  // a flag
  const std::string full = option.get_type_name();
  // `{ssh,local}` may itself hold no colon; split the rest on colons.
  const auto parts = split(full, ':');
  doc.type = parts.front();
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      doc.choices = split(part.substr(1, part.size() - 2), ',');
    } else if (const auto in = part.find(" in ["); in != std::string::npos && part.back() == ']') {
      // `FLOAT in [0 - 1]`
      const std::string bounds = part.substr(in + 5, part.size() - in - 6);
      const auto dash = bounds.find(" - ");
      if (dash != std::string::npos) {
        doc.range = "from " + bounds.substr(0, dash) + " to " + bounds.substr(dash + 3);
      }
    }
  }
}

ArgumentDoc argument_doc(const CLI::Option& option) {
  ArgumentDoc doc;
  doc.positional = option.get_positional() && !option.nonpositional();
  if (doc.positional) {
    doc.names.push_back(option.get_name(true));
  } else {
    for (const auto& s : option.get_snames()) doc.names.push_back("-" + s);
    for (const auto& l : option.get_lnames()) doc.names.push_back("--" + l);
  }
  read_type(option, doc);
  doc.description = option.get_description();
  doc.required = option.get_required();
  doc.many = option.get_items_expected_max() > 1;
  return doc;
}

bool visible(const CLI::Option* option) { return !option->get_group().empty(); }

// Every command's -h, --help is said once, not per command.
CommandDoc command_doc(const CLI::App& command) {
  CommandDoc doc{command.get_name(), command.get_description(), {}, {}};
  const auto listed = [&command](const CLI::Option* o) {
    return visible(o) && o != command.get_help_ptr();
  };
  for (const CLI::Option* option : command.get_options(listed)) {
    ArgumentDoc argument = argument_doc(*option);
    (argument.positional ? doc.positionals : doc.options).push_back(std::move(argument));
  }
  return doc;
}

std::vector<CommandDoc> commands_of(const CLI::App& app) {
  std::vector<CommandDoc> commands;
  const auto shown = [](const CLI::App* c) { return !c->get_group().empty(); };
  for (const CLI::App* command : app.get_subcommands(shown)) {
    commands.push_back(command_doc(*command));
  }
  return commands;
}

std::vector<ArgumentDoc> global_options(const CLI::App& app) {
  std::vector<ArgumentDoc> options;
  for (const CLI::Option* option : app.get_options(visible)) {
    options.push_back(argument_doc(*option));
  }
  return options;
}

std::string join(const std::vector<std::string>& words, std::string_view separator) {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty()) out += separator;
    out += word;
  }
  return out;
}

// --- roff -------------------------------------------------------------------------------

/// Text for roff: backslashes escaped, a leading dot or quote made literal. `literal`: also
/// every hyphen as \- (options and commands, so that they can be copied).
std::string roff_text(std::string_view text, bool literal) {
  std::string out;
  for (const char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-' && (literal || out.empty() || out.back() == ' ' || out.back() == '(' ||
                            out.ends_with("\\-"))) {
      out += "\\-";  // an option (--runs) in running text stays copyable
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out.front() == '.' || out.front() == '\'')) out.insert(0, "\\&");
  return out;
}

/// A description: `code` spans in bold, with literal hyphens.
std::string roff_description(std::string_view text) {
  std::string out;
  bool code = false;
  std::size_t from = 0;
  for (std::size_t at = text.find('`'); at != std::string_view::npos; at = text.find('`', from)) {
    out += roff_text(text.substr(from, at - from), code);
    out += code ? "\\fR" : "\\fB";
    code = !code;
    from = at + 1;
  }
  out += roff_text(text.substr(from), code);
  if (code) out += "\\fR";
  if (!out.empty() && (out.front() == '.' || out.front() == '\'')) out.insert(0, "\\&");
  return out;
}

std::string roff_argument_head(const ArgumentDoc& a) {
  if (a.positional) return fmt::format("\\fI{}\\fR{}", a.names.front(), a.many ? "..." : "");
  std::vector<std::string> names;
  for (const auto& n : a.names) names.push_back("\\fB" + roff_text(n, true) + "\\fR");
  std::string head = join(names, ", ");
  if (!a.choices.empty()) {
    head += " \\fI" + join(a.choices, "\\fR|\\fI") + "\\fR";
  } else if (!a.type.empty()) {
    head += " \\fI" + a.type + "\\fR";
  }
  return head;
}

std::string roff_argument(const ArgumentDoc& a) {
  std::string text = ".TP\n" + roff_argument_head(a) + "\n" + roff_description(a.description);
  if (!a.range.empty()) text += "; " + roff_text(a.range, false);
  if (a.required) text += "; required";
  return text + "\n";
}

std::string usage_line(const CommandDoc& c) {
  std::string line = "\\fBlyncupdate " + c.name + "\\fR";
  for (const auto& p : c.positionals) {
    const std::string name = "\\fI" + p.names.front() + "\\fR" + (p.many ? "..." : "");
    line += p.required ? " " + name : " [" + name + "]";
  }
  for (const auto& o : c.options) {
    if (o.required) line += " " + roff_argument_head(o);
  }
  return line + " [\\fIOPTIONS\\fR]";
}

std::string roff_command(const CommandDoc& c) {
  std::string text =
      ".SS " + c.name + "\n" + usage_line(c) + "\n.PP\n" + roff_description(c.description) + ".\n";
  for (const auto& p : c.positionals) text += roff_argument(p);
  for (const auto& o : c.options) text += roff_argument(o);
  return text;
}

// What the parser does not hold. Exit codes: commands.hpp and live_command.hpp.
constexpr std::string_view manual_exit_status = R"(.SH "EXIT STATUS"
.TP
.B {}
The command completed without a violation.
.TP
.B {}
At least one violation, or a static-analysis finding of severity error (with
\fB\-\-strict\fR, also a warning or an unproved bound).
.TP
.B {}
Bad input or usage: every problem is printed (\fIfile\fB:\fIline\fB:\fIcol\fB: error:\fR for
JSON syntax, \fIfile\fB: error: \fI/json/pointer\fB:\fR for content), nothing is run and
nothing is written.
.TP
.B {}
Internal or environment failure.
.TP
.B {}
\fBlive\fR only: interrupted at a safe point by Ctrl-C or SIGTERM; \fB\-\-resume\fR continues.
)";

constexpr std::string_view manual_rest = R"(.SH ENVIRONMENT
.TP
.B NO_COLOR
When set to anything, text output is plain; otherwise it is coloured on a terminal only
(violations and errors red, warnings yellow, a clean result green).
.TP
.B PATH
Where \fBlive \-\-transport ssh\fR finds \fBssh\fR(1).
.SH FILES
.TP
.I /usr/share/lyncupdate/scenarios/
The shipped scenarios, runbooks and command catalogue, as files to read or copy. The binary
carries its own copy: a shipped scenario is named by its name (\fBcontoso\fR), a file by a path.
.TP
.I /usr/share/lyncupdate/schema/lyncupdate\-output.schema.json
The JSON Schema (draft 2020-12) of every JSON document \fBlyncupdate\fR writes.
.TP
.I /usr/share/doc/lyncupdate/
The README, the JSON output format (\fIjson.md\fR), the scenario format and the domain notes.
.TP
.IR SCENARIO .journal
The journal \fBlive\fR writes in the current folder unless \fB\-\-journal\fR names another.
.SH EXAMPLES
.nf
.RS 4
lyncupdate simulate                       # the default scenario, contoso
lyncupdate simulate \-\-seed 7              # another draw of the durations
lyncupdate check contoso                  # static analysis and violations
lyncupdate export contoso > my\-site.json  # a self\-contained copy to edit
lyncupdate simulate my\-site.json \-\-runs 1000 \-\-json
lyncupdate verify my\-site.json \-\-operators 1 \-\-counterexample cex.json
lyncupdate plan my\-site.json \-\-max\-risk 0.01 \-o planned.json
lyncupdate report enterprise \-\-runs 1000 \-o enterprise.html
lyncupdate live my\-site.json \-\-dry\-run
.RE
.fi
.SH "SEE ALSO"
.BR lyncupdate\-scenario (5),
.BR ssh (1),
.BR ssh_config (5)
.PP
Microsoft, "Update a Back End Server or Standard Edition server in Lync Server 2013".
)";

std::string roff_header(const CLI::App& app) {
  std::string text = fmt::format(
      ".\\\" Generated from the command-line definitions by `lyncupdate _generate man`.\n"
      ".TH LYNCUPDATE 1 \"\" \"{}\" \"User Commands\"\n.SH NAME\n"
      "lyncupdate \\- rehearse, verify and run Lync Server 2013 cumulative updates\n"
      ".SH SYNOPSIS\n.B lyncupdate\n.I COMMAND\n[\\fIOPTIONS\\fR] [\\fIARGUMENTS\\fR]\n.br\n"
      ".B lyncupdate\n.RB [ \\-\\-help | \\-\\-version ]\n.SH DESCRIPTION\n{}\n.PP\n",
      version::tool(), roff_description(app.get_description()));
  text +=
      "\\fISCENARIO\\fR is a file path (anything with a \\fB/\\fR, ending in \\fB.json\\fR, or an "
      "existing file) or the name of a shipped scenario (" +
      roff_text(join(loader::shipped_scenario_names(), ", "), true) +
      "); without it the embedded default, \\fBcontoso\\fR, runs. The same scenario and seed "
      "give byte-identical output. The scenario format is in \\fBlyncupdate\\-scenario\\fR(5).\n";
  return text;
}

std::string manual(const CLI::App& app) {
  std::string text = roff_header(app);
  text += ".SH OPTIONS\n";
  for (const auto& o : global_options(app)) text += roff_argument(o);
  text += ".SH COMMANDS\nEvery command also takes \\fB\\-h\\fR, \\fB\\-\\-help\\fR.\n";
  for (const auto& c : commands_of(app)) text += roff_command(c);
  text += fmt::format(manual_exit_status, static_cast<int>(exit_clean),
                      static_cast<int>(exit_violations), static_cast<int>(exit_bad_input),
                      static_cast<int>(exit_internal), exit_interrupted);
  return text + std::string(manual_rest);
}

// --- bash -------------------------------------------------------------------------------

/// The words bash offers for an option's value or a positional: choices, scenario names and
/// files, files, or nothing (a number).
std::string bash_value_words(const ArgumentDoc& a) {
  if (!a.choices.empty())
    return "COMPREPLY=($(compgen -W '" + join(a.choices, " ") + "' -- \"$cur\"))";
  if (a.names_scenario()) return "_lyncupdate_scenarios";
  if (a.type == "FILE") return "_lyncupdate_files";
  return "COMPREPLY=()";
}

std::string bash_command_case(const CommandDoc& c) {
  std::vector<std::string> words;
  std::string values;
  for (const auto& o : c.options) {
    words.insert(words.end(), o.names.begin(), o.names.end());
    if (o.type.empty()) continue;
    values += fmt::format("        {}) {}; return ;;\n", join(o.names, "|"), bash_value_words(o));
  }
  words.insert(words.end(), {"-h", "--help"});
  std::string positional = "_lyncupdate_files";
  if (!c.positionals.empty()) positional = bash_value_words(c.positionals.front());
  return fmt::format(
      "    {})\n      case $prev in\n{}      esac\n"
      "      if [[ $cur == -* ]]; then\n"
      "        COMPREPLY=($(compgen -W '{}' -- \"$cur\"))\n"
      "      else\n        {}\n      fi\n      ;;\n",
      c.name, values, join(words, " "), positional);
}

std::string bash(const CLI::App& app) {
  const auto commands = commands_of(app);
  std::vector<std::string> names;
  for (const auto& c : commands) names.push_back(c.name);
  std::vector<std::string> globals;
  for (const auto& o : global_options(app)) {
    globals.insert(globals.end(), o.names.begin(), o.names.end());
  }
  std::string cases;
  for (const auto& c : commands) cases += bash_command_case(c);
  return fmt::format(R"(# bash completion for lyncupdate {0}
# Generated from its command-line definitions by `lyncupdate _generate bash`.

_lyncupdate_files() {{
  compopt -o filenames 2>/dev/null
  COMPREPLY=($(compgen -f -- "$cur"))
}}

_lyncupdate_scenarios() {{
  compopt -o filenames 2>/dev/null
  COMPREPLY=($(compgen -W '{1}' -- "$cur") $(compgen -f -- "$cur"))
}}

_lyncupdate() {{
  local cur=${{COMP_WORDS[COMP_CWORD]}}
  local prev=${{COMP_WORDS[COMP_CWORD - 1]}}
  local command= i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${{COMP_WORDS[i]}} in
      {2}) command=${{COMP_WORDS[i]}}; break ;;
    esac
  done
  case $command in
    '')
      COMPREPLY=($(compgen -W '{3} {4}' -- "$cur"))
      ;;
{5}  esac
}}

complete -F _lyncupdate lyncupdate
)",
                     version::full(), join(loader::shipped_scenario_names(), " "), join(names, "|"),
                     join(names, " "), join(globals, " "), cases);
}

// --- zsh --------------------------------------------------------------------------------

/// Text inside a single-quoted zsh word, in an _arguments description: no quote, bracket or
/// colon left to end it early.
std::string zsh_description(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else if (c == '[' || c == ']') {
      out += '\\';
      out += c;
    } else if (c == ':') {
      out += " -";
    } else if (c != '`') {
      out += c;
    }
  }
  return out;
}

std::string zsh_value_action(const ArgumentDoc& a) {
  if (!a.choices.empty()) return "(" + join(a.choices, " ") + ")";
  if (a.names_scenario()) return "_lyncupdate_scenarios";
  if (a.type == "FILE") return "_files";
  return " ";
}

std::string zsh_option_spec(const ArgumentDoc& o) {
  const std::string description = zsh_description(o.description);
  std::string value;
  if (!o.type.empty()) value = ":" + zsh_description(o.type) + ":" + zsh_value_action(o);
  std::string names = o.names.size() > 1 ? "{" + join(o.names, ",") + "}" : o.names.front();
  if (o.names.size() > 1) {
    return "'(" + join(o.names, " ") + ")'" + names + "'[" + description + "]" + value + "'";
  }
  return "'" + names + "[" + description + "]" + value + "'";
}

std::string zsh_command_case(const CommandDoc& c) {
  std::string specs;
  for (const auto& o : c.options) specs += " \\\n        " + zsh_option_spec(o);
  for (const auto& p : c.positionals) {
    specs += fmt::format(" \\\n        '{}:{}:{}'", p.many ? "*" : "1",
                         zsh_description(p.names.front()), zsh_value_action(p));
  }
  return fmt::format("    {})\n      _arguments -s{}\n      ;;\n", c.name, specs);
}

std::string zsh(const CLI::App& app) {
  const auto commands = commands_of(app);
  std::string described;
  std::string cases;
  for (const auto& c : commands) {
    described += "    '" + c.name + ":" + zsh_description(c.description) + "'\n";
    cases += zsh_command_case(c);
  }
  return fmt::format(R"(#compdef lyncupdate
# zsh completion for lyncupdate {0}
# Generated from its command-line definitions by `lyncupdate _generate zsh`.

_lyncupdate_scenarios() {{
  _alternative 'scenarios:shipped scenario:({1})' 'files:file:_files'
}}

_lyncupdate() {{
  local -a commands
  commands=(
{2}  )
  if (( CURRENT == 2 )); then
    _describe -t commands 'lyncupdate command' commands
    _arguments '(- *)--help[print help]' '(- *)--version[print the version]'
    return
  fi
  shift words
  (( CURRENT-- ))
  case $words[1] in
{3}  esac
}}

_lyncupdate "$@"
)",
                     version::full(), join(loader::shipped_scenario_names(), " "), described,
                     cases);
}

}  // namespace

std::string render_manual_page(const CLI::App& app) { return manual(app); }

std::string render_bash_completion(const CLI::App& app) { return bash(app); }

std::string render_zsh_completion(const CLI::App& app) { return zsh(app); }

CLI::App* add_generate_command(CLI::App& app, GenerateOptions& options) {
  CLI::App* generate = app.add_subcommand(std::string(generate_name),
                                          "write the manual page or a shell completion script");
  generate->group("");  // hidden: not in --help, the manual or the completions
  generate->add_option("WHAT", options.what, "man, bash or zsh")
      ->required()
      ->check(CLI::IsMember({"man", "bash", "zsh"}));
  generate->add_option("-o,--output", options.output, "the file to write (atomically)");
  return generate;
}

int generate_command(const CLI::App& app, const GenerateOptions& options) {
  std::string text;
  if (options.what == "man") {
    text = render_manual_page(app);
  } else if (options.what == "bash") {
    text = render_bash_completion(app);
  } else {
    text = render_zsh_completion(app);
  }
  if (options.output.empty()) {
    write_out(text);
    return exit_clean;
  }
  if (auto written = loader::write_file_atomically(options.output, text); !written) {
    write_err(fmt::format("lyncupdate _generate: {}\n", written.error()));
    return exit_internal;
  }
  return exit_clean;
}

}  // namespace lyncupdate::app
