// A small reader of PowerShell's argument mode (about_Parsing, about_Quoting_Rules,
// about_Special_Characters): enough to split the commands a runbook holds into what the binder
// needs, and to refuse clearly what it does not understand rather than guess.

#include "lyncupdate/checker/command_line.hpp"

#include <cctype>
#include <optional>

#include <fmt/format.h>

#include "lyncupdate/model/runbook.hpp"

namespace lyncupdate::check {
namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

bool ends_statement(char c) { return c == ';' || c == '\n'; }

// Characters that end a bare word in argument mode.
bool ends_word(char c) {
  return blank(c) || ends_statement(c) || c == '|' || c == '(' || c == ')' || c == '{' || c == '}';
}

bool starts_name(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }

class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {}

  std::expected<CommandLine, std::string> read() {
    while (true) {
      while (i_ < s_.size() && blank(s_[i_])) ++i_;
      if (i_ >= s_.size()) break;
      const char c = s_[i_];
      if (ends_statement(c)) {
        if (!end_statement()) return fail("an empty pipeline element after |");
        ++i_;
      } else if (c == '|') {
        if (peek(1) == '|') return fail("|| is not supported");
        if (command_.elements.empty()) return fail("an empty pipeline element before |");
        pipeline_.push_back(std::move(command_));
        command_ = {};
        piped_ = true;
        ++i_;
      } else if (c == '&' && peek(1) == '&') {
        return fail("&& is not supported");
      } else if (c == '&' && command_.elements.empty()) {
        ++i_;  // the call operator: the next element names the command
      } else if (c == '.' && command_.elements.empty() &&
                 (i_ + 1 >= s_.size() || blank(s_[i_ + 1]))) {
        ++i_;  // dot-sourcing runs the command as the call operator does, for our purposes
      } else if (c == '>' || (std::isdigit(static_cast<unsigned char>(c)) != 0 && peek(1) == '>')) {
        return fail("redirections are not supported");
      } else if (c == '#') {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else {
        auto element = read_element();
        if (!element) return std::unexpected(element.error());
        command_.elements.push_back(std::move(*element));
      }
    }
    if (!end_statement()) return fail("an empty pipeline element after |");
    return std::move(line_);
  }

 private:
  char peek(std::size_t ahead) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }

  static std::unexpected<std::string> fail(std::string message) {
    return std::unexpected(std::move(message));
  }

  // Closes the current command and pipeline; false when a `|` had nothing after it.
  bool end_statement() {
    if (!command_.elements.empty()) {
      pipeline_.push_back(std::move(command_));
      command_ = {};
    } else if (piped_) {
      return false;
    }
    if (!pipeline_.empty()) line_.statements.push_back(std::move(pipeline_));
    pipeline_ = {};
    piped_ = false;
    return true;
  }

  std::expected<Element, std::string> read_element() {
    // A dash and a letter is a parameter, except as the command name.
    if (s_[i_] == '-' && starts_name(peek(1)) && !command_.elements.empty()) {
      return read_parameter();
    }
    return read_value();
  }

  std::expected<Element, std::string> read_parameter() {
    Element e;
    e.kind = ElementKind::parameter;
    ++i_;
    while (i_ < s_.size() && !ends_word(s_[i_]) && s_[i_] != ':') e.text.push_back(s_[i_++]);
    if (i_ < s_.size() && s_[i_] == ':') {
      ++i_;
      e.has_value = true;
      while (i_ < s_.size() && blank(s_[i_])) ++i_;  // `-Name: value`
      if (i_ >= s_.size() || ends_statement(s_[i_]) || s_[i_] == '|') {
        return fail(fmt::format("-{}: has no value after the colon", e.text));
      }
      auto value = read_value();
      if (!value) return value;
      e.value_kind = value->kind;
      e.value = std::move(value->text);
    }
    return e;
  }

  std::expected<Element, std::string> read_value() {
    const char c = s_[i_];
    if (c == '{' || c == '(' || ((c == '$' || c == '@') && peek(1) == '(')) return read_block();
    if (c == ')' || c == '}') return fail(fmt::format("an unmatched {}", c));
    if (c == '$' && (starts_name(peek(1)) || peek(1) == '{')) {
      Element e;
      e.kind = ElementKind::variable;
      e.text = std::string(1, c);
      ++i_;
      while (i_ < s_.size() && !ends_word(s_[i_])) e.text.push_back(s_[i_++]);
      return e;
    }
    return read_word();
  }

  // A bare word, possibly with quoted parts, up to the next blank or separator.
  std::expected<Element, std::string> read_word() {
    Element e;
    while (i_ < s_.size() && !ends_word(s_[i_])) {
      const char c = s_[i_];
      if (c == '\'') {
        if (!single_quoted(e.text)) return fail("an unterminated single-quoted string");
        e.quoted = true;
      } else if (c == '"') {
        if (!double_quoted(e)) return fail("an unterminated double-quoted string");
        e.quoted = true;
      } else if (c == '`') {
        if (i_ + 1 >= s_.size()) return fail("a backtick at the end of the line");
        e.text.push_back(s_[i_ + 1]);
        i_ += 2;
      } else {
        if (c == '$') e.kind = ElementKind::expandable;
        e.text.push_back(c);
        ++i_;
      }
    }
    return e;
  }

  bool single_quoted(std::string& out) {
    ++i_;
    while (i_ < s_.size()) {
      if (s_[i_] == '\'') {
        if (peek(1) != '\'') {
          ++i_;
          return true;
        }
        out.push_back('\'');
        i_ += 2;
      } else {
        out.push_back(s_[i_++]);
      }
    }
    return false;
  }

  bool double_quoted(Element& e) {
    ++i_;
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (c == '"') {
        if (peek(1) != '"') {
          ++i_;
          return true;
        }
        e.text.push_back('"');
        i_ += 2;
      } else if (c == '`' && i_ + 1 < s_.size()) {
        const char next = s_[i_ + 1];
        e.text.push_back(next == 'n' ? '\n' : next == 't' ? '\t' : next == 'r' ? '\r' : next);
        i_ += 2;
      } else {
        if (c == '$') e.kind = ElementKind::expandable;
        e.text.push_back(c);
        ++i_;
      }
    }
    return false;
  }

  // `{...}`, `(...)`, `$(...)` or `@(...)` with what it nests, quoted strings included.
  std::expected<Element, std::string> read_block() {
    const std::size_t begin = i_;
    if (s_[i_] == '$' || s_[i_] == '@') ++i_;
    std::string closers;
    do {
      const char c = s_[i_];
      if (c == '{' || c == '(') {
        closers.push_back(c == '{' ? '}' : ')');
      } else if (c == '}' || c == ')') {
        if (c != closers.back()) return fail(fmt::format("an unmatched {}", c));
        closers.pop_back();
      } else if (c == '\'' || c == '"') {
        std::string ignored;
        Element scratch;
        if (c == '\'' ? !single_quoted(ignored) : !double_quoted(scratch)) break;
        continue;
      } else if (c == '`') {
        ++i_;
      }
      ++i_;
    } while (!closers.empty() && i_ < s_.size());
    if (!closers.empty()) {
      return fail(closers.front() == '}' ? "an unterminated script block" : "an unterminated (");
    }
    Element e;
    e.kind = ElementKind::block;
    e.text = std::string(s_.substr(begin, i_ - begin));
    return e;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  CommandLine line_;
  PipelineCommands pipeline_;
  Command command_;
  bool piped_ = false;
};

}  // namespace

std::expected<CommandLine, std::string> read_command_line(std::string_view text) {
  return Reader(text).read();
}

CommandLine command_line_of(const std::vector<std::vector<std::string>>& pipeline) {
  PipelineCommands commands;
  for (const auto& stage : pipeline) {
    Command command;
    for (std::size_t a = 0; a < stage.size(); ++a) {
      Element e;
      if (a > 0 && model::is_bare_parameter_name(stage[a])) {
        e.kind = ElementKind::parameter;
        e.text = stage[a].substr(1);
      } else {
        e.text = stage[a];
        e.quoted = true;
      }
      command.elements.push_back(std::move(e));
    }
    commands.push_back(std::move(command));
  }
  CommandLine line;
  line.statements.push_back(std::move(commands));
  return line;
}

std::string element_source(const Element& element) {
  if (element.kind != ElementKind::parameter) return element.text;
  if (!element.has_value) return "-" + element.text;
  return fmt::format("-{}:{}", element.text, element.value);
}

}  // namespace lyncupdate::check
