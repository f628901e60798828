// The import itself: document -> published topology -> derived topology -> users -> scenario
// document -> loaded (so that what is written is what the loader accepts) -> sequential plan
// (the planner's, from the loaded scenario) -> the final text, loaded once more.

#include "lyncupdate/importer/importer.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "lyncupdate/importer/derive.hpp"
#include "lyncupdate/importer/topology_xml.hpp"
#include "lyncupdate/importer/users_csv.hpp"
#include "lyncupdate/model/fqdn.hpp"
#include "lyncupdate/planner/planner.hpp"

namespace lyncupdate::importer {
namespace {

using Problems = std::vector<loader::Diagnostic>;

std::string thousands(std::int64_t n) {
  std::string digits = std::to_string(n);
  for (auto i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<std::size_t>(i), ",");
  }
  return digits;
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", thousands(static_cast<std::int64_t>(n)), n == 1 ? one : many);
}

std::string users_text(std::int64_t n) {
  return plural(static_cast<std::size_t>(n), "user", "users");
}

// Users from the CSV: every pool and Standard Edition server gets its count (0 when the file
// names it nowhere); users of other pools are warnings, not errors: the export may be older
// than the topology.
std::string assign_counted_users(const UserCounts& counts, const std::string& file,
                                 model::Topology& topology, std::vector<std::string>& warnings) {
  std::map<std::string, bool> known;
  const auto take = [&](const std::string& fqdn) {
    const std::string key = model::fqdn_key(fqdn);
    known[key] = true;
    const auto it = counts.by_pool.find(key);
    return it == counts.by_pool.end() ? std::int64_t{0} : it->second;
  };
  for (auto& pool : topology.pools) pool.users = take(pool.fqdn);
  for (auto& server : topology.standard_edition_servers) server.users = take(server.fqdn);
  std::vector<std::string> unknown;
  std::int64_t unknown_users = 0;
  for (const auto& [key, users] : counts.by_pool) {
    if (known.contains(key)) continue;
    unknown.push_back(fmt::format("{} ({})", counts.spelling.at(key), thousands(users)));
    unknown_users += users;
  }
  std::string text = fmt::format("Users per pool from {} ({})", file, users_text(counts.total));
  if (!unknown.empty()) {
    warnings.push_back(
        fmt::format("{} of {} homed on registrar pools that are not Front End "
                    "pools or Standard Edition servers of the topology are left "
                    "out: {}",
                    users_text(unknown_users), file, fmt::join(unknown, ", ")));
    text += fmt::format("; {} of pools not in the topology left out: {}", users_text(unknown_users),
                        fmt::join(unknown, ", "));
  }
  if (counts.without_pool > 0) {
    warnings.push_back(fmt::format("{} of {} without a registrar pool left out",
                                   users_text(counts.without_pool), file));
    text += fmt::format("; {} without a registrar pool left out", users_text(counts.without_pool));
  }
  return text + ".";
}

// Without a CSV: an explicit estimate on every pool, marked as an assumption where it is.
std::string assign_estimated_users(const ImportProfile& profile, model::Topology& topology,
                                   std::vector<std::string>& warnings) {
  for (auto& pool : topology.pools) {
    pool.users = profile.users_per_front_end * static_cast<std::int64_t>(pool.front_ends.size());
    pool.assumed = fmt::format(
        "users: ASSUMED estimate, {} per front end (no users file was given; docs/domain-notes.md, "
        "\"Assumed numbers\"): import again with --users from Get-CsUser",
        thousands(profile.users_per_front_end));
  }
  for (auto& server : topology.standard_edition_servers) {
    server.users = profile.users_per_standard_edition;
    server.assumed = fmt::format(
        "users: ASSUMED estimate, {} per Standard Edition server (no users file was given; "
        "docs/domain-notes.md, \"Assumed numbers\"): import again with --users from Get-CsUser",
        thousands(profile.users_per_standard_edition));
  }
  warnings.push_back(fmt::format(
      "no --users file: every pool's users are an ASSUMED estimate ({} per front end, {} per "
      "Standard Edition server), marked \"assumed\" on each pool",
      thousands(profile.users_per_front_end), thousands(profile.users_per_standard_edition)));
  return fmt::format(
      "Users per pool are an ASSUMED estimate ({} per front end, {} per Standard "
      "Edition server; each pool's \"assumed\" says so): export them with Get-CsUser "
      "and import again with --users.",
      thousands(profile.users_per_front_end), thousands(profile.users_per_standard_edition));
}

// DOMAIN.md section 4: the topology cannot say whether Install-CsDatabase -Update may run
// against the mirrored databases; the scenario assumes it may (CU2), as enterprise-rollout.
void mark_mirrored_update(model::Topology& topology) {
  for (auto& pool : topology.pools) {
    if (!pool.back_end.mirror) continue;
    const std::string note =
        "mirrored_database_update: ASSUMED true, as community notes say from CU2; the cmdlet "
        "reference says Install-CsDatabase -Update cannot run against mirrored databases "
        "(DOMAIN.md section 4): set false if your servers say so";
    pool.assumed = pool.assumed.empty() ? note : pool.assumed + "; " + note;
  }
}

std::string pool_sentence(const model::EnterprisePool& pool, const std::string& site) {
  std::string text = fmt::format(
      "{}{}: {} in {}, back end {}", pool.fqdn, site.empty() ? "" : fmt::format(" (site {})", site),
      plural(pool.front_ends.size(), "front end", "front ends"),
      plural(pool.upgrade_domains.size(), "upgrade domain", "upgrade domains"), pool.back_end.fqdn);
  if (!pool.back_end.collocated_stores.empty()) {
    std::vector<std::string_view> stores;
    for (const auto store : pool.back_end.collocated_stores)
      stores.push_back(model::store_name(store));
    text += fmt::format(" with collocated {} stores", fmt::join(stores, " and "));
  }
  if (pool.back_end.mirror) text += fmt::format(", mirrored to {}", *pool.back_end.mirror);
  if (pool.back_end.witness) text += fmt::format(" with witness {}", *pool.back_end.witness);
  if (pool.backup_pool) text += fmt::format(", backup pool {}", *pool.backup_pool);
  return text;
}

std::string description(const std::string& file, const DerivedTopology& derived,
                        const std::string& users, const ImportProfile& profile) {
  const model::Topology& topology = derived.topology;
  std::string text = fmt::format("Imported by lyncupdate import from {} ({}). ", file,
                                 model::product_title(profile.product));
  if (!topology.pools.empty()) {
    std::vector<std::string> pools;
    for (std::size_t i = 0; i < topology.pools.size(); ++i) {
      pools.push_back(pool_sentence(topology.pools[i], derived.pool_sites[i]));
    }
    text += fmt::format("{}: {}. ", plural(pools.size(), "Enterprise pool", "Enterprise pools"),
                        fmt::join(pools, "; "));
  }
  if (!topology.standard_edition_servers.empty()) {
    std::vector<std::string> servers;
    for (std::size_t i = 0; i < topology.standard_edition_servers.size(); ++i) {
      const auto& server = topology.standard_edition_servers[i];
      const std::string& site = derived.standard_edition_sites[i];
      servers.push_back(fmt::format(
          "{}{}{}", server.fqdn, site.empty() ? "" : fmt::format(" (site {})", site),
          server.backup_pool ? fmt::format(", backup pool {}", *server.backup_pool) : ""));
    }
    text += fmt::format(
        "{}: {}. ", plural(servers.size(), "Standard Edition server", "Standard Edition servers"),
        fmt::join(servers, "; "));
  }
  for (const std::string& note : derived.notes) text += fmt::format("Note: {}. ", note);
  text += users + " ";
  if (!derived.others.empty()) {
    std::vector<std::string> others;
    for (const OtherServer& other : derived.others) {
      others.push_back(fmt::format(
          "{} {}{}{} [{}]", other.kind, other.fqdn,
          other.site.empty() ? "" : fmt::format(" (site {})", other.site),
          other.machines.empty() ? ""
                                 : fmt::format(", machines {}", fmt::join(other.machines, ", ")),
          fmt::join(other.roles, ", ")));
    }
    text += fmt::format("Not updated by this scenario (their update is not modelled): {}. ",
                        fmt::join(others, "; "));
  }
  text += fmt::format(
      "Runbooks, timing and plan: the shipped runbooks of {}, every duration "
      "ASSUMED as in the shipped scenarios (timing.assumed), and the sequential "
      "plan (one back end, mirror, Standard Edition server or upgrade domain per "
      "stage); `lyncupdate plan` searches for a faster safe one.",
      model::product_title(profile.product));
  return text;
}

// A problem of the scenario import wrote: the import's fault, not the input's.
Problems internal(Problems problems) {
  for (auto& problem : problems) {
    problem.internal = true;
    problem.message = "the imported scenario does not load: " + problem.message;
  }
  return problems;
}

Problems model_problems(const std::vector<model::ModelError>& errors) {
  Problems problems;
  for (const auto& error : errors) {
    loader::Diagnostic diagnostic;
    diagnostic.file = "<imported scenario>";
    diagnostic.pointer = error.pointer;
    diagnostic.message = error.message;
    problems.push_back(std::move(diagnostic));
  }
  return problems;
}

// The window the sequential plan needs: the format's default (four hours), or its P95 estimate
// rounded up to a whole hour when that is longer, within the format's week. ASSUMED
// (docs/domain-notes.md): the organisation's change window replaces it.
Duration window_for(Duration estimate) {
  constexpr auto hour = std::chrono::duration_cast<Duration>(std::chrono::hours(1));
  constexpr auto week = std::chrono::duration_cast<Duration>(std::chrono::hours(24 * 7));
  const Duration rounded = hour * ((estimate + hour - Duration(1)) / hour);
  return std::clamp(rounded, model::Limits{}.window_length, week);
}

}  // namespace

std::expected<ImportResult, std::vector<loader::Diagnostic>> import_topology(
    const ImportRequest& request) {
  const ImportProfile& profile = request.profile;
  auto published = read_topology_xml(request.topology.bytes, request.topology.name);
  std::optional<UserCounts> counts;
  Problems problems;
  if (!published) problems = std::move(published.error());
  if (request.users) {
    auto read = read_users_csv(request.users->bytes, request.users->name);
    if (read) {
      counts = std::move(*read);
    } else {
      problems.insert(problems.end(), read.error().begin(), read.error().end());
    }
  }
  std::optional<DerivedTopology> derived;
  if (published) {
    auto result = derive_topology(*published, profile, request.topology.name);
    if (result) {
      derived = std::move(*result);
    } else {
      problems.insert(problems.begin(), result.error().begin(), result.error().end());
    }
  }
  if (!problems.empty()) {
    std::ranges::stable_sort(
        problems, [](const loader::Diagnostic& a, const loader::Diagnostic& b) {
          return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
        });
    return std::unexpected(std::move(problems));
  }

  ImportResult result;
  std::string name = std::filesystem::path(request.topology.name).stem().string();
  result.name = name.empty() ? "imported" : name;
  const std::string users =
      counts
          ? assign_counted_users(*counts, request.users->name, derived->topology, result.warnings)
          : assign_estimated_users(profile, derived->topology, result.warnings);
  mark_mirrored_update(derived->topology);
  if (!derived->others.empty()) {
    std::vector<std::string> others;
    for (const OtherServer& other : derived->others) {
      others.push_back(fmt::format("{} {}", other.kind, other.fqdn));
    }
    result.warnings.push_back(
        fmt::format("{} of other roles, listed in the description, are not "
                    "updated by the scenario (their update is not "
                    "modelled): {}",
                    plural(others.size(), "server", "servers"), fmt::join(others, ", ")));
  }

  loader::ScenarioDocument document;
  document.name = result.name;
  document.description = description(
      std::filesystem::path(request.topology.name).filename().string(), *derived, users, profile);
  document.topology = std::move(derived->topology);
  document.runbook = profile.runbook;
  if (!document.topology.pools.empty()) document.front_end_runbook = profile.front_end_runbook;
  if (std::ranges::any_of(document.topology.pools,
                          [](const auto& pool) { return pool.back_end.mirror.has_value(); })) {
    document.mirrored_backend_runbook = profile.mirrored_backend_runbook;
    document.mirror_runbook = profile.mirror_runbook;
  }
  document.timing_from = profile.timing_from;
  document.live.update_version = request.update_version;
  // Every server in one stage, only so that the loader resolves the scenario; the planner then
  // orders them.
  document.plan.stages.emplace_back();
  for (const auto& target : model::update_targets(document.topology)) {
    document.plan.stages[0].push_back(target.fqdn);
  }
  auto draft = loader::scenario_document_text(document);
  if (!draft) return std::unexpected(draft.error());
  const auto loaded = loader::load_scenario_text(*draft, "<imported scenario>", {});
  if (!loaded) return std::unexpected(internal(loaded.error()));
  model::Scenario planned = *loaded;
  planned.plan.stages = planner::sequential_stages(planned);
  document.plan.stages = planned.plan.stages;
  const auto estimate = planner::plan_estimate_p95(planned);
  if (!estimate) return std::unexpected(internal(model_problems(estimate.error())));
  document.limits.window_length = window_for(*estimate);
  document.description += fmt::format(
      " The maintenance window opens at 22:00 and lasts {} hours: the default four, or the "
      "sequential plan's estimate with every step at its 95th percentile rounded up to the hour "
      "when that is longer; an assumption, replace it with your change window (limits.window).",
      std::chrono::duration_cast<std::chrono::hours>(document.limits.window_length).count());
  auto text = loader::scenario_document_text(document);
  if (!text) return std::unexpected(text.error());
  if (auto again = loader::load_scenario_text(*text, "<imported scenario>", {}); !again) {
    return std::unexpected(internal(again.error()));
  }
  result.scenario = std::move(*text);
  return result;
}

}  // namespace lyncupdate::importer
