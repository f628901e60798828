#pragma once
/// \file
/// Renderings of a Monte Carlo batch (`simulate --runs N`, `merge`): percentiles, the
/// chance of reaching the outage limit, faults and violations by rule. Both depend only on
/// the batch's result, so a merged batch renders exactly as an unsharded one.

#include <string>

#include "lyncupdate/montecarlo/summary.hpp"
#include "lyncupdate/reports/style.hpp"

namespace lyncupdate::reports {

/// The terminal table.
std::string render_montecarlo_text(const mc::BatchSummary& summary, const TextStyle& style = {});

/// The `lyncupdate/montecarlo/1` document of docs/json.md, two spaces of indent, ending in a
/// newline.
std::string render_montecarlo_json(const mc::BatchSummary& summary);

}  // namespace lyncupdate::reports
