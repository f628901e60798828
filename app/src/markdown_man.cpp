// lyncupdate_markdown_man: writes a manual page (roff, man(7) macros) from one of the
// project's Markdown documents, at build time, so that the page and the document cannot
// drift: `lyncupdate-scenario(5)` is docs/scenario-format.md.
//
//   lyncupdate_markdown_man INPUT.md OUTPUT NAME SECTION SUMMARY SOURCE
//
// It reads the Markdown the docs use, not all of CommonMark: `#` headings (the first is the
// title, dropped: NAME carries SUMMARY; `#` and `##` become sections, `###` subsections),
// paragraphs, `- ` and `1. ` lists with indented continuation lines, fenced code blocks, and
// pipe tables. A table becomes a tagged list: the first cell of a row is the tag, each other
// non-empty cell follows as "header: cell". Inline `code` and **bold** are bold, *emphasis*
// italic, [text](target) is the text and, when different, the target in parentheses.

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

// A UTF-8 sequence starting at text[at] as groff's \[uXXXX] (groff reads bytes; man-db
// would convert, groff alone would not). Advances `at` past it.
std::string unicode_escape(std::string_view text, std::size_t& at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  unsigned code = lead & (length == 4 ? 0x07u : length == 3 ? 0x0Fu : 0x1Fu);
  for (std::size_t i = 1; i < length && at + i < text.size(); ++i) {
    code = (code << 6) | (static_cast<unsigned char>(text[at + i]) & 0x3Fu);
  }
  at += length;
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "\\[u%04X]", code);
  return buffer;
}

std::string escape(std::string_view text, bool literal_hyphens) {
  std::string out;
  for (std::size_t at = 0; at < text.size();) {
    if (static_cast<unsigned char>(text[at]) >= 0x80) {
      out += unicode_escape(text, at);
      continue;
    }
    const char c = text[at++];
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-' && literal_hyphens) {
      out += "\\-";
    } else {
      out += c;
    }
  }
  return out;
}

// The closing delimiter of a span opened at `at`, or npos.
std::size_t closing(std::string_view line, std::size_t at, std::string_view delimiter) {
  return line.find(delimiter, at + delimiter.size());
}

std::string inline_markup(std::string_view line);

// A link [text](target) starting at `at`; consumes it and returns true when it is one.
bool link(std::string_view line, std::size_t& at, std::string& out) {
  const std::size_t text_end = line.find("](", at);
  if (text_end == std::string_view::npos) return false;
  const std::size_t target_end = line.find(')', text_end);
  if (target_end == std::string_view::npos) return false;
  const std::string_view text = line.substr(at + 1, text_end - at - 1);
  const std::string_view target = line.substr(text_end + 2, target_end - text_end - 2);
  out += inline_markup(text);
  const bool same = text == target || (text.size() > 2 && text.front() == '`' &&
                                       text.substr(1, text.size() - 2) == target);
  if (!same) out += " (" + escape(target, false) + ")";
  at = target_end + 1;
  return true;
}

std::string inline_markup(std::string_view line) {
  std::string out;
  std::size_t at = 0;
  while (at < line.size()) {
    const char c = line[at];
    std::size_t end = std::string_view::npos;
    if (c == '`' && (end = closing(line, at, "`")) != std::string_view::npos) {
      out += "\\fB" + escape(line.substr(at + 1, end - at - 1), true) + "\\fR";
      at = end + 1;
    } else if (line.substr(at, 2) == "**" &&
               (end = closing(line, at, "**")) != std::string_view::npos) {
      out += "\\fB" + inline_markup(line.substr(at + 2, end - at - 2)) + "\\fR";
      at = end + 2;
    } else if (c == '*' && at + 1 < line.size() && line[at + 1] != ' ' &&
               (end = closing(line, at, "*")) != std::string_view::npos) {
      out += "\\fI" + inline_markup(line.substr(at + 1, end - at - 1)) + "\\fR";
      at = end + 1;
    } else if (c == '[' && link(line, at, out)) {
      continue;
    } else {
      out += escape(line.substr(at, 1), false);
      ++at;
    }
  }
  return out;
}

// A line of running text: a leading dot or quote would be a roff request.
std::string text_line(std::string_view line) {
  std::string out = inline_markup(line);
  if (!out.empty() && (out.front() == '.' || out.front() == '\'')) out.insert(0, "\\&");
  return out;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(' ');
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(' ');
  return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> table_cells(std::string_view row) {
  std::vector<std::string> cells;
  std::string cell;
  bool code = false;
  for (std::size_t i = 1; i < row.size(); ++i) {  // row[0] is the leading '|'
    const char c = row[i];
    if (c == '`') code = !code;
    if (c == '\\' && i + 1 < row.size() && row[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (c == '|' && !code) {
      cells.push_back(trim(cell));
      cell.clear();
    } else {
      cell += c;
    }
  }
  return cells;
}

/// Converts the document line by line; `lines` holds the whole input.
class Converter {
 public:
  explicit Converter(std::vector<std::string> lines) : lines_(std::move(lines)) {}

  std::string run() {
    while (at_ < lines_.size()) step();
    return out_;
  }

 private:
  void step() {
    const std::string& line = lines_[at_];
    if (line.starts_with("```")) return code_block();
    if (line.starts_with("|")) return table();
    if (line.starts_with("#")) return heading(line);
    if (line.starts_with("- ")) return list_item(".IP \\(bu 2", 2);
    if (line.size() > 2 && std::isdigit(static_cast<unsigned char>(line[0])) &&
        line.substr(1, 2) == ". ") {
      return list_item(".IP " + line.substr(0, 2) + " 4", 3);
    }
    if (trim(line).empty()) {
      paragraph_open_ = false;
      ++at_;
      return;
    }
    if (!paragraph_open_) out_ += ".PP\n";
    paragraph_open_ = true;
    out_ += text_line(trim(line)) + "\n";
    ++at_;
  }

  void heading(const std::string& line) {
    const std::size_t level = line.find_first_not_of('#');
    const std::string title = trim(std::string_view(line).substr(level));
    ++at_;
    paragraph_open_ = false;
    if (!title_seen_ && level == 1) {
      title_seen_ = true;
      return;
    }
    out_ += (level <= 2 ? ".SH \"" : ".SS \"") + inline_markup(title) + "\"\n";
  }

  void list_item(const std::string& request, std::size_t marker) {
    out_ += request + "\n" + text_line(trim(std::string_view(lines_[at_]).substr(marker))) + "\n";
    ++at_;
    while (at_ < lines_.size() && lines_[at_].starts_with("  ") && !trim(lines_[at_]).empty()) {
      out_ += text_line(trim(lines_[at_])) + "\n";
      ++at_;
    }
    paragraph_open_ = false;
  }

  void code_block() {
    ++at_;
    out_ += ".PP\n.RS 4\n.nf\n";
    while (at_ < lines_.size() && !lines_[at_].starts_with("```")) {
      std::string line = escape(lines_[at_], true);
      if (!line.empty() && (line.front() == '.' || line.front() == '\'')) line.insert(0, "\\&");
      out_ += line + "\n";
      ++at_;
    }
    ++at_;  // the closing fence
    out_ += ".fi\n.RE\n";
    paragraph_open_ = false;
  }

  void table() {
    const std::vector<std::string> header = table_cells(lines_[at_]);
    at_ += 2;  // the header and the |---| line
    while (at_ < lines_.size() && lines_[at_].starts_with("|")) {
      const std::vector<std::string> cells = table_cells(lines_[at_]);
      out_ += ".TP\n" + text_line(cells.empty() ? std::string() : cells.front()) + "\n";
      bool first = true;
      for (std::size_t i = 1; i < cells.size() && i < header.size(); ++i) {
        if (cells[i].empty()) continue;
        if (!first) out_ += ".br\n";
        first = false;
        out_ += inline_markup(header[i]) + ": " + inline_markup(cells[i]) + "\n";
      }
      ++at_;
    }
    paragraph_open_ = false;
  }

  std::vector<std::string> lines_;
  std::size_t at_ = 0;
  std::string out_;
  bool paragraph_open_ = false;
  bool title_seen_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fputs("usage: lyncupdate_markdown_man INPUT.md OUTPUT NAME SECTION SUMMARY SOURCE\n",
               stderr);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "lyncupdate_markdown_man: %s: cannot read\n", argv[1]);
    return 3;
  }
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const std::string name = argv[3];
  std::string page = ".\\\" Generated from " + std::filesystem::path(argv[1]).filename().string() +
                     " by lyncupdate_markdown_man. Do not edit.\n";
  page += ".TH " + escape(name, true) + " " + argv[4] + " \"\" \"" + argv[6] +
          "\" \"File Formats\"\n.SH NAME\n" + escape(name, true) + " \\- " + argv[5] +
          "\n.SH DESCRIPTION\n";
  page += Converter(std::move(lines)).run();
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  out << page;
  if (!out.flush()) {
    std::fprintf(stderr, "lyncupdate_markdown_man: %s: cannot write\n", argv[2]);
    return 3;
  }
  return 0;
}
