// Runs every part of the static analysis and groups findings that are the same on several
// servers, so that a runbook mistake is reported once rather than once per server.

#include "lyncupdate/checker/runbook_analysis.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "analysis_parts.hpp"

namespace lyncupdate::check {
namespace {

using detail::ServerFinding;

// One distinct finding and the servers (indices into ResolvedPlan::servers) it was found on.
struct Group {
  ServerFinding finding;
  std::vector<std::size_t> servers;
};

bool same(const ServerFinding& a, const ServerFinding& b) {
  return a.rule == b.rule && a.severity == b.severity && a.steps == b.steps &&
         a.message == b.message;
}

void collect(std::vector<Group>& groups, std::vector<ServerFinding> findings, std::size_t server) {
  for (ServerFinding& f : findings) {
    const auto it =
        std::ranges::find_if(groups, [&](const Group& g) { return same(g.finding, f); });
    if (it != groups.end()) {
      it->servers.push_back(server);
    } else {
      groups.push_back(Group{std::move(f), {server}});
    }
  }
}

// "all servers", "all <role> servers" for every server of a role with two or more, or FQDNs.
void ungroup(const model::ResolvedPlan& plan, Group& group, std::vector<Finding>& out) {
  const auto emit = [&](std::string server) {
    out.push_back(Finding{group.finding.rule, group.finding.severity, std::move(server),
                          group.finding.steps, group.finding.message});
  };
  if (plan.servers.size() > 1 && group.servers.size() == plan.servers.size()) {
    emit("all servers");
    return;
  }
  std::array<std::size_t, model::role_count> planned{};
  std::array<std::size_t, model::role_count> found{};
  for (const auto& server : plan.servers) ++planned[static_cast<std::size_t>(server.target.role)];
  for (const std::size_t s : group.servers) {
    ++found[static_cast<std::size_t>(plan.servers[s].target.role)];
  }
  std::array<bool, model::role_count> whole_role{};
  for (std::size_t r = 0; r < model::role_count; ++r) {
    whole_role[r] = planned[r] >= 2 && found[r] == planned[r];
  }
  std::array<bool, model::role_count> emitted{};
  for (const std::size_t s : group.servers) {
    const auto role = static_cast<std::size_t>(plan.servers[s].target.role);
    if (!whole_role[role]) {
      emit(plan.servers[s].target.fqdn);
    } else if (!emitted[role]) {
      emit(fmt::format("all {} servers", model::role_name(plan.servers[s].target.role)));
      emitted[role] = true;
    }
  }
}

}  // namespace

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::info:
      return "info";
    case Severity::warning:
      return "warning";
    case Severity::error:
      return "error";
  }
  return "";
}

std::vector<Finding> analyse_plan(const model::ResolvedPlan& plan, const AnalysisOptions& options) {
  std::vector<Group> groups;
  for (std::size_t s = 0; s < plan.servers.size(); ++s) {
    collect(groups, detail::precedence_findings(plan.servers[s]), s);
    collect(groups, detail::left_stopped_findings(plan.servers[s]), s);
  }
  for (std::size_t s = 0; s < plan.servers.size(); ++s) {
    collect(groups, detail::role_findings(plan.servers[s], *plan.scenario), s);
    collect(groups, detail::settle_findings(plan.servers[s]), s);
    collect(groups, detail::mirrored_pair_findings(plan.servers[s], *plan.scenario), s);
  }
  for (std::size_t s = 0; s < plan.servers.size(); ++s) {
    collect(groups, detail::command_findings(plan.servers[s], *plan.scenario), s);
  }
  for (std::size_t s = 0; s < plan.servers.size(); ++s) {
    collect(groups,
            detail::outage_bound_findings(plan.servers[s], plan.scenario->limits, options.strict),
            s);
  }
  std::vector<Finding> out;
  for (Group& group : groups) ungroup(plan, group, out);
  if (auto window = detail::window_bound_finding(plan, options.strict)) {
    out.push_back(std::move(*window));
  }
  if (options.strict) {
    for (Finding& f : out) {
      if (f.severity == Severity::warning) f.severity = Severity::error;
    }
  }
  return out;
}

bool has_errors(std::span<const Finding> findings) {
  return std::ranges::any_of(findings,
                             [](const Finding& f) { return f.severity == Severity::error; });
}

}  // namespace lyncupdate::check
