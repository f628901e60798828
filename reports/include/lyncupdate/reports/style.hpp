#pragma once
/// \file
/// Colour in terminal output: only on a terminal, never when NO_COLOR is set
/// (https://no-color.org), and never in files, pipes or golden tests.

#include <cstdint>
#include <string>
#include <string_view>

namespace lyncupdate::reports {

/// What a piece of text means, which decides its colour.
enum class Tone : std::uint8_t {
  good,     ///< green: nothing wrong
  warning,  ///< yellow: worth a look
  bad,      ///< red: a violation or an error
  faint,    ///< dim: notes
};

/// How text renderers decorate their output.
struct TextStyle {
  bool color = false;

  /// `text` wrapped in the ANSI colour of `tone` when colour is on; `text` unchanged when off.
  std::string paint(Tone tone, std::string_view text) const;
};

/// Colour when the output is a terminal and `no_color` (the NO_COLOR environment variable's
/// value, or null when unset) is unset or empty.
TextStyle text_style_for(bool output_is_terminal, const char* no_color);

}  // namespace lyncupdate::reports
