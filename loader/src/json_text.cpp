#include "json_text.hpp"

#include <algorithm>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "lyncupdate/model/printable.hpp"

namespace lyncupdate::loader::detail {
namespace {

// The "last read" context nlohmann quotes may be a whole line of binary garbage; the end of it,
// next to the error, is what helps.
constexpr std::size_t max_context_bytes = 40;

// Counts nesting and keys without building anything, and stops at the first problem.
class Prescan {
 public:
  // Which problem stopped the scan, if any.
  enum class Stop { none, too_deep, too_many_members, syntax };

  bool null() { return element(); }
  bool boolean(bool /*value*/) { return element(); }
  bool number_integer(Json::number_integer_t /*value*/) { return element(); }
  bool number_unsigned(Json::number_unsigned_t /*value*/) { return element(); }
  bool number_float(Json::number_float_t /*value*/, const Json::string_t& /*text*/) {
    return element();
  }
  bool string(Json::string_t& /*value*/) { return element(); }
  bool binary(Json::binary_t& /*value*/) { return element(); }
  bool start_object(std::size_t /*size*/) { return open(true); }
  bool start_array(std::size_t /*size*/) { return open(false); }
  bool end_object() {
    frames_.pop_back();
    return true;
  }
  bool end_array() {
    frames_.pop_back();
    return true;
  }

  bool key(Json::string_t& name) {
    Frame& frame = frames_.back();
    if (!frame.keys.insert(name).second) {
      duplicates_.push_back({pointer_of_member(name), name});
    }
    if (frame.keys.size() > max_object_members) {
      stop_ = Stop::too_many_members;
      stop_pointer_ = pointer_of_member(name);
      stop_pointer_.erase(stop_pointer_.rfind('/'));
      return false;
    }
    frame.key = name;
    return true;
  }

  bool parse_error(std::size_t position, const std::string& last_token,
                   const Json::exception& error) {
    stop_ = Stop::syntax;
    // nlohmann gives the number of bytes read, the offending one included.
    error_offset_ = position > 0 ? position - 1 : 0;
    error_message_ = error.what();
    last_token_ = last_token;
    return false;
  }

  Stop stop() const { return stop_; }
  const std::string& stop_pointer() const { return stop_pointer_; }
  std::size_t error_offset() const { return error_offset_; }
  const std::string& error_message() const { return error_message_; }
  const std::string& last_token() const { return last_token_; }
  std::vector<DuplicateKey> take_duplicates() { return std::move(duplicates_); }

 private:
  struct Frame {
    bool object = false;
    std::size_t next_index = 0;  // arrays: index of the next element
    std::string key;             // objects: the member being read
    std::set<std::string, std::less<>> keys;
  };

  bool element() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().next_index;
    return true;
  }

  bool open(bool object) {
    element();
    if (frames_.size() >= max_nesting) {
      stop_ = Stop::too_deep;
      return false;
    }
    frames_.push_back({object, 0, {}, {}});
    return true;
  }

  // Pointer of member `name` of the innermost object.
  std::string pointer_of_member(std::string_view name) const {
    std::string pointer;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
      const Frame& frame = frames_[i];
      pointer += '/';
      pointer +=
          frame.object ? escape_pointer_token(frame.key) : std::to_string(frame.next_index - 1);
    }
    return pointer + "/" + escape_pointer_token(name);
  }

  std::vector<Frame> frames_;
  std::vector<DuplicateKey> duplicates_;
  Stop stop_ = Stop::none;
  std::string stop_pointer_;
  std::size_t error_offset_ = 0;
  std::string error_message_;
  std::string last_token_;
};

// Offset of the bracket that opens nesting level `max_nesting + 1`. Only called once the
// prescan has accepted everything before it, so strings and escapes are well formed there.
std::size_t offset_of_excess_nesting(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_nesting) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return text.size();
}

// Bytes as a reader can see them: valid UTF-8 and printable ASCII stay, anything else becomes
// \xNN.
std::string printable(std::string_view bytes) {
  std::string out;
  for (std::size_t i = 0; i < bytes.size();) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    const std::size_t length = byte < 0x80 ? 1 : model::utf8_sequence_length(bytes, i);
    // Control characters arrive as <U+XXXX> from nlohmann; DEL and broken UTF-8 do not.
    const bool valid = length > 0 && byte >= 0x20 && byte != 0x7F;
    if (valid) {
      out.append(bytes.substr(i, length));
      i += length;
    } else {
      out += fmt::format("\\x{:02x}", byte);
      ++i;
    }
  }
  return out;
}

// The last `max_context_bytes` of printable(token): the part next to the error.
std::string printable_tail(std::string_view token) {
  std::string out = printable(token);
  if (out.size() <= max_context_bytes) return out;
  std::size_t cut = out.size() - max_context_bytes;
  // Do not start in the middle of a UTF-8 sequence.
  while (cut < out.size() && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) ++cut;
  return "..." + out.substr(cut);
}

// nlohmann's explanation without its exception id, position and parser context:
// "[json.exception.parse_error.101] parse error at line 1, column 4: syntax error while
// parsing value - unexpected ']'; expected '[', '{', or a literal" becomes
// "unexpected ']'; expected '[', '{', or a literal".
std::string clean_explanation(std::string_view what, std::string_view last_token) {
  if (what.starts_with("[json.exception.")) {
    if (const std::size_t end = what.find("] "); end != std::string_view::npos) {
      what.remove_prefix(end + 2);
    }
  }
  if (what.starts_with("parse error")) {
    if (const std::size_t colon = what.find(": "); colon != std::string_view::npos) {
      what.remove_prefix(colon + 2);
    }
  }
  if (what.starts_with("syntax error")) {
    if (const std::size_t dash = what.find(" - "); dash != std::string_view::npos) {
      what.remove_prefix(dash + 3);
    }
  }
  // Re-quote the raw bytes nlohmann copied from the input.
  const std::string quoted_token = fmt::format("'{}'", last_token);
  if (const std::size_t at = what.find(quoted_token);
      !last_token.empty() && at != std::string_view::npos) {
    return fmt::format("{}'{}'{}", printable(what.substr(0, at)), printable_tail(last_token),
                       printable(what.substr(at + quoted_token.size())));
  }
  return printable(what);
}

Diagnostic at_offset(std::string_view file, std::string_view text, std::size_t offset,
                     std::string message) {
  const TextPosition position = position_of(text, offset);
  Diagnostic diagnostic;
  diagnostic.file = std::string(file);
  diagnostic.line = position.line;
  diagnostic.column = position.column;
  diagnostic.message = std::move(message);
  return diagnostic;
}

}  // namespace

TextPosition position_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const std::string_view before = text.substr(0, offset);
  const auto newlines = std::ranges::count(before, '\n');
  const std::size_t line_start =
      before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
  // Files are capped far below two billion lines or columns (max_file_bytes), but text given
  // directly is not.
  constexpr auto int_max = static_cast<std::size_t>(std::numeric_limits<int>::max());
  return {static_cast<int>(std::min(static_cast<std::size_t>(newlines) + 1, int_max)),
          static_cast<int>(std::min(offset - line_start + 1, int_max))};
}

std::expected<ParsedJson, Diagnostic> parse_json(std::string_view text, std::string_view file) {
  if (std::ranges::all_of(text,
                          [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; })) {
    return std::unexpected(at_offset(file, text, text.size(),
                                     "syntax error: the file is empty; expected a JSON value"));
  }
  Prescan prescan;
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  Json::sax_parse(begin, end, &prescan);
  switch (prescan.stop()) {
    case Prescan::Stop::none:
      break;
    case Prescan::Stop::too_deep:
      return std::unexpected(at_offset(file, text, offset_of_excess_nesting(text),
                                       fmt::format("nesting deeper than {} levels", max_nesting)));
    case Prescan::Stop::too_many_members: {
      Diagnostic diagnostic;
      diagnostic.file = std::string(file);
      diagnostic.pointer = prescan.stop_pointer();
      diagnostic.message = fmt::format("more than {} members in one object", max_object_members);
      return std::unexpected(std::move(diagnostic));
    }
    case Prescan::Stop::syntax:
      return std::unexpected(at_offset(
          file, text, prescan.error_offset(),
          "syntax error: " + clean_explanation(prescan.error_message(), prescan.last_token())));
  }
  ParsedJson parsed;
  // The prescan accepted the text, so this parse succeeds; without exceptions regardless.
  parsed.root = Json::parse(begin, end, nullptr, /*allow_exceptions=*/false);
  if (parsed.root.is_discarded()) {
    return std::unexpected(at_offset(file, text, 0, "syntax error: the text is not valid JSON"));
  }
  parsed.duplicate_keys = prescan.take_duplicates();
  return parsed;
}

}  // namespace lyncupdate::loader::detail
