// Every command a plan would run, checked against the catalogue as PowerShell would bind it
// (binding.hpp): each step's command, probe and unattended check on each planned server, for
// the scenario's product. A `database` step must be one Install-CsDatabase command (the role
// check judges its form), and -WhatIf on a step that declares effects makes them a fiction.

#include <algorithm>

#include <fmt/format.h>

#include "analysis_parts.hpp"
#include "lyncupdate/checker/binding.hpp"
#include "lyncupdate/checker/command_line.hpp"

namespace lyncupdate::check::detail {
namespace {

class StepCommands {
 public:
  StepCommands(const model::ResolvedStep& step, const model::Scenario& scenario,
               std::vector<ServerFinding>& out)
      : step_(step), scenario_(scenario), catalogue_(*scenario.catalogue), out_(out) {}

  void check() {
    const std::string& id = step_.definition->id;
    if (!step_.command.empty()) {
      auto line = read_command_line(step_.command);
      if (!line) {
        add(rules::command_syntax,
            fmt::format("{}: its command cannot be read: {}", id, line.error()));
      } else {
        bind_all(*line, id, true);
        check_live_form(*line);
      }
      if (step_.definition->kind == model::StepKind::database) check_database_step(line);
    }
    if (step_.probe) bind_all(command_line_of(step_.probe->pipeline), id + "'s probe", false);
    if (step_.unattended) {
      bind_all(command_line_of(step_.unattended->pipeline), id + "'s unattended check", false);
    }
  }

 private:
  void add(std::string_view rule, std::string message) {
    out_.push_back(
        ServerFinding{rule, Severity::error, {step_.definition->id}, std::move(message)});
  }

  std::string cite(const std::string& page) const {
    if (!page.empty()) return page;
    return fmt::format("catalogue from {} {}", catalogue_.source.repository,
                       catalogue_.source.commit.substr(0, 12));
  }

  void bind_all(const CommandLine& line, const std::string& where, bool runs) {
    for (const PipelineCommands& pipeline : line.statements) {
      for (std::size_t p = 0; p < pipeline.size(); ++p) {
        const Binding b = bind_command(pipeline[p], catalogue_, scenario_.product, p);
        if (b.problem) {
          add(b.problem->rule,
              fmt::format("{}: {} ({})", where, b.problem->message, cite(b.problem->page)));
        } else if (runs && b.cmdlet && b.is_set("WhatIf") && declares_effects()) {
          add(rules::whatif_changes_nothing,
              fmt::format("{}: -WhatIf makes {} only report what it would do, so the effects the "
                          "step declares ({}) would not happen ({})",
                          where, b.cmdlet->name, effects(), b.cmdlet->page));
        }
      }
    }
  }

  // live-command-form: live mode runs the command as its blank-separated words, each passed
  // literally but a bare -Name (model::command_words): what PowerShell reads must be the same,
  // or the server would run something other than what was checked.
  void check_live_form(const CommandLine& powershell) {
    const std::vector<std::string> words = model::command_words(step_.command);
    const CommandLine live = command_line_of({words});
    const auto differs = [](const Element& a, const Element& b) {
      return a.kind != b.kind || a.text != b.text || a.has_value != b.has_value;
    };
    std::optional<std::size_t> first;  // the first word read otherwise
    if (powershell.statements.size() != 1 || powershell.statements.front().size() != 1) {
      first = std::ranges::find_if(
                  words,
                  [](const std::string& w) { return w.find_first_of(";|") != std::string::npos; }) -
              words.begin();
    } else {
      const std::vector<Element>& read = powershell.statements.front().front().elements;
      const std::vector<Element>& passed = live.statements.front().front().elements;
      for (std::size_t i = 0; i < std::max(read.size(), passed.size()) && !first; ++i) {
        if (i >= read.size() || i >= passed.size() || differs(read[i], passed[i])) first = i;
      }
    }
    if (!first || *first >= words.size()) return;
    add(rules::live_command_form,
        fmt::format("{}: live mode passes a step command's words literally, so {} would reach "
                    "the server as literal text, not as PowerShell reads it; write step commands "
                    "as plain words and bare parameter names",
                    step_.definition->id, words[*first]));
  }

  bool declares_effects() const { return !step_.on_start.empty() || !step_.on_finish.empty(); }

  std::string effects() const {
    std::string out;
    for (const auto* conditions : {&step_.on_start, &step_.on_finish}) {
      for (const model::Condition& c : *conditions) {
        if (!out.empty()) out += ", ";
        out += fmt::format("{} {}", model::variable_name(c.variable),
                           model::value_name(c.variable, c.value));
      }
    }
    return out;
  }

  // A database step is `Install-CsDatabase` alone; its form and -Update are the role check's
  // (database-variant).
  void check_database_step(const std::expected<CommandLine, std::string>& line) {
    if (!line) return;
    std::string runs;
    std::size_t commands = 0;
    for (const PipelineCommands& pipeline : line->statements) {
      for (const Command& command : pipeline) {
        ++commands;
        if (!runs.empty()) runs += ", ";
        runs += command.elements.front().text;
      }
    }
    const bool one = commands == 1;
    if (one) {
      const Binding b =
          bind_command(line->statements.front().front(), catalogue_, scenario_.product);
      if (b.cmdlet && b.cmdlet->name == "Install-CsDatabase") return;
    }
    add(rules::database_step_command,
        fmt::format("{} is a database step, but it runs {}{}; it must run one Install-CsDatabase "
                    "command with -Update, or the databases are not updated",
                    step_.definition->id, one ? "" : fmt::format("{} commands: ", commands), runs));
  }

  const model::ResolvedStep& step_;
  const model::Scenario& scenario_;
  const model::Catalogue& catalogue_;
  std::vector<ServerFinding>& out_;
};

}  // namespace

std::vector<ServerFinding> command_findings(const model::ResolvedServer& server,
                                            const model::Scenario& scenario) {
  std::vector<ServerFinding> out;
  if (scenario.catalogue == nullptr) return out;
  for (const model::ResolvedStep& step : server.steps) StepCommands(step, scenario, out).check();
  return out;
}

}  // namespace lyncupdate::check::detail
