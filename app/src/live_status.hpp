#pragma once
/// \file
/// Internal to the command line: `live --status`, and how live mode shows a command to people.

#include <filesystem>
#include <string>

#include "lyncupdate/live/powershell.hpp"
#include "lyncupdate/model/resolve.hpp"

namespace lyncupdate::app {

/// The line of the PowerShell script that runs `pipeline` (the script's first and last lines
/// are the same for every pipeline).
std::string script_line(const live::Pipeline& pipeline);

/// When a probe or unattended check holds, for people: "exit 0 with \"Stopped\" in the output".
std::string holds_when(const model::CommandCheck& check);

/// `live --status`: reads `journal` (written for the scenario text whose SHA-256 is `sha256`,
/// of which `plan` is the plan) and prints, per server, what is done, what failed, what
/// started without an outcome, and what `--resume` (and `--resume --retry-failed`) would do
/// next, with the probes it would run; and whether a session holds the journal now. Runs
/// nothing: no gate, no command, no probe. Exit code 0, or 2 for an unreadable journal or one
/// of another scenario text.
int live_status(const model::ResolvedPlan& plan, const std::string& sha256,
                const std::filesystem::path& journal);

}  // namespace lyncupdate::app
