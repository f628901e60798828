#include "lyncupdate/reports/style.hpp"

namespace lyncupdate::reports {

std::string TextStyle::paint(Tone tone, std::string_view text) const {
  if (!color) return std::string(text);
  std::string_view code;
  switch (tone) {
    case Tone::good:
      code = "\x1b[32m";
      break;
    case Tone::warning:
      code = "\x1b[33m";
      break;
    case Tone::bad:
      code = "\x1b[1;31m";
      break;
    case Tone::faint:
      code = "\x1b[2m";
      break;
  }
  std::string out(code);
  out += text;
  out += "\x1b[0m";
  return out;
}

TextStyle text_style_for(bool output_is_terminal, const char* no_color) {
  const bool disabled = no_color != nullptr && *no_color != '\0';
  return TextStyle{output_is_terminal && !disabled};
}

}  // namespace lyncupdate::reports
