#pragma once
// The parts of the static analysis, one per source file; runbook_analysis.cpp runs them all
// and groups what they find across servers.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lyncupdate/checker/runbook_analysis.hpp"
#include "lyncupdate/model/resolve.hpp"

namespace lyncupdate::check::detail {

/// A finding on one server, before grouping.
struct ServerFinding {
  std::string_view rule;
  Severity severity = Severity::error;
  std::vector<std::string> steps;
  std::string message;
};

/// Precedence graph of one server's steps: cycles, ordering violations, preconditions nothing
/// establishes, the assemblies rule, duplicate and dead steps (precedence.cpp).
std::vector<ServerFinding> precedence_findings(const model::ResolvedServer& server);

/// The `Install-CsDatabase` form for the server's role (role_check.cpp).
/// With the mirrored runbook, `Install-CsDatabase -Update` against mirrored databases only as
/// the scenario allows (DOMAIN.md section 4).
std::vector<ServerFinding> role_findings(const model::ResolvedServer& server,
                                         const model::Scenario& scenario);

/// Every command, probe and unattended check of the server's steps bound against the
/// scenario's catalogue for its product; database steps that are not one Install-CsDatabase;
/// -WhatIf on steps that declare effects (command_check.cpp). Nothing without a catalogue.
std::vector<ServerFinding> command_findings(const model::ResolvedServer& server,
                                            const model::Scenario& scenario);

/// The guaranteed longest back-end outage of one server against the limit (worst_case.cpp).
std::vector<ServerFinding> outage_bound_findings(const model::ResolvedServer& server,
                                                 const model::Limits& limits, bool strict);

/// The guaranteed longest plan against the maintenance window (worst_case.cpp).
std::optional<Finding> window_bound_finding(const model::ResolvedPlan& plan, bool strict);

/// The longest a step can take, retries and the installer's restart included; nothing when its
/// distribution is unbounded (worst_case.cpp).
std::optional<Duration> step_upper_bound(const model::ResolvedStep& step);

/// Whether `command` invokes `cmdlet` in any of its statements and pipelines: the command name,
/// a module qualifier dropped, compared without regard to case as PowerShell does. False for a
/// command line the reader cannot read.
bool invokes(std::string_view command, std::string_view cmdlet);

}  // namespace lyncupdate::check::detail
