#pragma once
/// \file
/// Machine-readable results (`--json`), in the `lyncupdate/run` schema of docs/json.md.

#include <string>
#include <string_view>

#include "lyncupdate/reports/run_view.hpp"

namespace lyncupdate::reports {

/// The JSON document of a `simulate` (with timeline) or `check` (violations only) run, two
/// spaces of indent, ending in a newline.
std::string render_run_json(const RunView& view, std::string_view command, bool with_timeline);

}  // namespace lyncupdate::reports
