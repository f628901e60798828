#pragma once
/// \file
/// What the tests of `check::verify_plan` share: a small scenario of a mirrored back end and two
/// Standard Edition servers, a scenario held with its resolved plan, and the replay of a
/// counterexample's schedule in the simulator.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lyncupdate/checker/verify.hpp"
#include "lyncupdate/model/resolve.hpp"

namespace lyncupdate::verify_test {

/// A step timing fixed at `minutes`.
model::StepTiming fixed(int minutes);

/// A manual step `id` with these effects.
model::RunbookStep step(std::string id, model::Conditions on_start, model::Conditions on_finish);

/// A pool whose back end sql is mirrored to mirror, and two Standard Edition servers. Each
/// server runs a (1 min), b (2 min, takes it down) and c (3 min, brings it back): alone, a
/// server is down 5 minutes. Outage limit 30 minutes.
model::Scenario scenario();

/// A scenario and its resolved plan (which refers into it).
struct Planned {
  std::unique_ptr<model::Scenario> scenario;
  model::ResolvedPlan plan;
};

/// Resolves `s`; the plan must resolve.
Planned planned(model::Scenario s);

/// Runs `s` with the counterexample's schedule and worst-case durations in the simulator and
/// returns its violations as "rule server minute".
std::vector<std::string> replayed(model::Scenario s, const check::VerifyResult& result);

/// The violation of `result`, which must have one, as "rule server minute".
std::string found(const Planned& p, const check::VerifyResult& result);

/// Runs the search with `option` (VerifyOptions::reduce or ::symmetry) off and on, and checks
/// that both agree on everything but the counts: verdict, longest window, the violation, the
/// fewest transitions to it, the counterexample and the schedule that replays it; with it on,
/// no more states. Returns the result with it on; with `states_off`, the states stored with it
/// off go there.
check::VerifyResult same_either_way(bool check::VerifyOptions::*option, const Planned& p,
                                    check::VerifyOptions options, const std::string& what,
                                    std::uint64_t* states_off = nullptr);

/// How the searches of a sweep came out: verdicts, and those that `option` made smaller.
struct Sweep {
  std::size_t violated = 0;
  std::size_t proved = 0;
  std::size_t fewer = 0;
};

/// same_either_way for every combination of a plan (stages of `base`), 1 to 3 operators, an
/// outage limit and a window (minutes), and no limit on servers down or 2, with `options`
/// otherwise; `what` starts each combination's context.
Sweep sweep_either_way(bool check::VerifyOptions::*option, const model::Scenario& base,
                       const std::vector<std::vector<std::vector<std::string>>>& plans,
                       const std::vector<int>& limits, const std::vector<int>& windows,
                       const check::VerifyOptions& options, const std::string& what);

/// Checks that both verdicts are well represented in `sweep` (over 100 each) and that the
/// option made over 100 searches smaller.
void expect_both_verdicts_and_fewer_states(const Sweep& sweep);

/// Whether `lines` holds `line`.
bool contains(const std::vector<std::string>& lines, const std::string& line);

}  // namespace lyncupdate::verify_test
