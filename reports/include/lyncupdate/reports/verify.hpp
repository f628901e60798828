#pragma once
/// \file
/// What `verify` prints: the outcome of the exhaustive search, as text or JSON.

#include <string>

#include "lyncupdate/checker/verify.hpp"
#include "lyncupdate/model/resolve.hpp"
#include "lyncupdate/reports/style.hpp"

namespace lyncupdate::reports {

/// Where the counterexample was saved, if it was.
struct VerifyReplay {
  std::string file;  ///< the replay scenario; "" when none was written
};

/// The outcome for people: what was searched, proved or the counterexample step by step.
std::string render_verify_text(const model::ResolvedPlan& plan, const check::VerifyResult& result,
                               const VerifyReplay& replay, const TextStyle& style);

/// The outcome as JSON (schema lyncupdate/verify/1, docs/json.md). Deterministic: the wall
/// time of the search is not part of it.
std::string render_verify_json(const model::ResolvedPlan& plan, const check::VerifyResult& result,
                               const VerifyReplay& replay);

}  // namespace lyncupdate::reports
