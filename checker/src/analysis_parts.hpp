#pragma once
// The parts of the static analysis, one per source file; runbook_analysis.cpp runs them all
// and groups what they find across servers.

#include <array>
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

/// A service that a runbook stops and must start again before it ends (services-left-stopped,
/// judged from the runbook by left_stopped_findings and at the end of every run by the
/// monitor of the same rule).
struct ServiceToRestart {
  model::StateVariable variable{};
  std::string_view name;      ///< "the Lync services"
  std::string_view is;        ///< "are" or "is", agreeing with `name`
  std::string_view it;        ///< "them" or "it"
  std::string_view meantime;  ///< what is lost while it stays stopped
  std::string_view restart;   ///< the command that starts it again, with its source
};

/// The Lync services (DOMAIN.md section 1: the article stops them in step 9 and never starts
/// them again) and IIS, W3SVC (article steps 5 and 10: stopped before the installer, started
/// again after it).
inline constexpr std::array<ServiceToRestart, 2> services_to_restart{{
    {model::StateVariable::lync_services, "the Lync services", "are", "them",
     "its users stay without service", "Start-CsWindowsService (DOMAIN.md section 1)"},
    {model::StateVariable::w3svc, "the World Wide Web service (W3SVC)", "is", "it",
     "its IIS web services stay down", "net start w3svc (article step 10)"},
}};

/// A service of services_to_restart that the runbook leaves stopped at its end: the step that
/// stopped it for good (the first of the steps that keep it stopped to the end).
std::vector<ServerFinding> left_stopped_findings(const model::ResolvedServer& server);

/// A front end's settle between upgrade domains (settle.cpp).
std::vector<ServerFinding> settle_findings(const model::ResolvedServer& server);

/// Precedence graph of one server's steps: cycles, ordering violations, preconditions nothing
/// establishes, the assemblies rule, duplicate and dead steps (precedence.cpp).
std::vector<ServerFinding> precedence_findings(const model::ResolvedServer& server);

/// The `Install-CsDatabase` form for the server's role (role_check.cpp).
/// With the mirrored runbook, `Install-CsDatabase -Update` against mirrored databases only as
/// the scenario allows (DOMAIN.md section 4).
std::vector<ServerFinding> role_findings(const model::ResolvedServer& server,
                                         const model::Scenario& scenario);

/// A mirror's runbook without Install-CsDatabase, and a principal holding the Central
/// Management store that fails the store over with the pool (mirrored_pair.cpp).
std::vector<ServerFinding> mirrored_pair_findings(const model::ResolvedServer& server,
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
