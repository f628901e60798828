#pragma once
/// \file
/// The "Static analysis" section of `check`: the findings of check::analyse_plan.

#include <span>
#include <string>

#include "lyncupdate/checker/runbook_analysis.hpp"
#include "lyncupdate/reports/style.hpp"

namespace lyncupdate::reports {

/// The findings, errors and warnings first in the order found, then the informational ones;
/// or one line saying there are none.
std::string render_findings_text(std::span<const check::Finding> findings,
                                 const TextStyle& style = {});

}  // namespace lyncupdate::reports
