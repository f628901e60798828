#pragma once
/// \file
/// What `verify` prints: the outcome of the exhaustive search, as text or JSON.

#include <optional>
#include <string>

#include "lyncupdate/checker/verify.hpp"
#include "lyncupdate/model/resolve.hpp"
#include "lyncupdate/reports/style.hpp"

namespace lyncupdate::reports {

/// What the search was run on, and where the counterexample was saved, if it was.
struct VerifyContext {
  std::string file;  ///< the replay scenario; "" when none was written
  /// `verify --cap-factor`: unbounded lognormal steps were capped at this factor times P95.
  std::optional<double> cap_factor;
};

/// The outcome for people: what was searched, proved or the counterexample step by step.
std::string render_verify_text(const model::ResolvedPlan& plan, const check::VerifyResult& result,
                               const VerifyContext& replay, const TextStyle& style);

/// The outcome as JSON (schema lyncupdate/verify/1, docs/json.md). Deterministic: the wall
/// time of the search is not part of it.
std::string render_verify_json(const model::ResolvedPlan& plan, const check::VerifyResult& result,
                               const VerifyContext& replay);

}  // namespace lyncupdate::reports
