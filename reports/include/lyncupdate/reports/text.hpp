#pragma once
/// \file
/// Plain-text renderings for a terminal or a change ticket.

#include <string>

#include "lyncupdate/reports/run_view.hpp"
#include "lyncupdate/reports/style.hpp"

namespace lyncupdate::reports {

/// `simulate`: the timeline of each server, each back end's outage against the limit, the
/// violations and the end of the run.
std::string render_simulation_text(const RunView& view, const TextStyle& style = {});

/// `check`: the violations only, or one line saying there are none.
std::string render_check_text(const RunView& view, const TextStyle& style = {});

}  // namespace lyncupdate::reports
