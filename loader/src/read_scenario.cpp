#include <algorithm>
#include <array>
#include <limits>
#include <span>

#include <fmt/format.h>

#include "json_text.hpp"
#include "lyncupdate/model/budget.hpp"
#include "lyncupdate/model/resolve.hpp"
#include "readers.hpp"
#include "values.hpp"

namespace lyncupdate::loader::detail {
namespace {

using namespace std::string_view_literals;

constexpr std::array scenario_required{"name"sv, "topology"sv, "runbook"sv, "timing"sv, "plan"sv};
constexpr std::array scenario_optional{"description"sv,
                                       "seed"sv,
                                       "limits"sv,
                                       "users"sv,
                                       "live"sv,
                                       "front_end_runbook"sv,
                                       "mirrored_backend_runbook"sv,
                                       "mirror_runbook"sv};
constexpr std::array plan_required{"stages"sv};
constexpr std::array plan_optional{"operators"sv, "schedule"sv};
constexpr std::array start_required{"server"sv, "step"sv};
constexpr std::array<std::string_view, 0> no_keys{};
constexpr std::array limits_optional{"backend_outage_limit_min"sv, "window"sv,
                                     "max_servers_down"sv};
constexpr std::array window_optional{"start"sv, "length_min"sv};

std::optional<std::uint64_t> read_seed(const Json& value, const Place& at, Problems& problems) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  problems.report(at, fmt::format("expected an integer between 0 and {}, got {}",
                                  std::numeric_limits<std::uint64_t>::max(),
                                  value.is_number() ? number_text(value) : describe(value)));
  return std::nullopt;
}

// The explicit order of step starts; whether it fits the plan is model::resolve_plan's question.
void read_schedule(const Json& value, const Place& at, Problems& problems, model::Plan& plan) {
  if (!check_array(value, at, problems, "an array of {\"server\": FQDN, \"step\": step id}")) {
    return;
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    const Place start_at = at / i;
    if (!check_object(value[i], start_at, {start_required, no_keys}, problems)) continue;
    const Json* server = member(value[i], "server");
    const Json* step = member(value[i], "step");
    if (server == nullptr || step == nullptr) continue;
    auto fqdn = read_fqdn(*server, start_at / "server", problems);
    auto id = read_non_empty_string(*step, start_at / "step", problems);
    if (fqdn && id) plan.schedule.push_back({*fqdn, *id});
  }
}

model::Plan read_plan(const Json& value, const Place& at, Problems& problems) {
  model::Plan plan;
  if (!check_object(value, at, {plan_required, plan_optional}, problems)) return plan;
  if (const Json* operators = member(value, "operators")) {
    if (auto count = read_integer(*operators, at / "operators", problems, 1, 1000)) {
      plan.operators = static_cast<int>(*count);
    }
  }
  if (const Json* schedule = member(value, "schedule")) {
    read_schedule(*schedule, at / "schedule", problems, plan);
  }
  const Json* stages = member(value, "stages");
  if (stages == nullptr) return plan;
  const Place stages_at = at / "stages";
  if (!check_array(*stages, stages_at, problems, "an array of stages (arrays of server FQDNs)")) {
    return plan;
  }
  if (stages->empty()) {
    problems.report(stages_at, "expected a non-empty array of stages, got an empty array");
  }
  for (std::size_t i = 0; i < stages->size(); ++i) {
    const Json& stage = (*stages)[i];
    const Place stage_at = stages_at / i;
    if (!check_array(stage, stage_at, problems, "an array of server FQDNs")) continue;
    if (stage.empty()) {
      problems.report(stage_at, "expected a non-empty array of server FQDNs, got an empty array");
    }
    auto& servers = plan.stages.emplace_back();
    for (std::size_t j = 0; j < stage.size(); ++j) {
      // Whether the server exists is model::resolve_plan's question; its name must be sound.
      if (auto fqdn = read_fqdn(stage[j], stage_at / j, problems)) servers.push_back(*fqdn);
    }
  }
  return plan;
}

// "22:00" as minutes after midnight.
std::optional<Duration> read_time_of_day(const Json& value, const Place& at, Problems& problems) {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text.size() == 5 && digit(text[0]) && digit(text[1]) && text[2] == ':' && digit(text[3]) &&
        digit(text[4])) {
      const int hours = (text[0] - '0') * 10 + (text[1] - '0');
      const int minutes = (text[3] - '0') * 10 + (text[4] - '0');
      if (hours < 24 && minutes < 60) {
        return std::chrono::hours(hours) + std::chrono::minutes(minutes);
      }
    }
  }
  problems.report(
      at, fmt::format("expected a time of day as \"HH:MM\", got {}",
                      value.is_string() ? quote(value.get<std::string>()) : describe(value)));
  return std::nullopt;
}

model::Limits read_limits(const Json& value, const Place& at, Problems& problems) {
  model::Limits limits;
  if (!check_object(value, at, {no_keys, limits_optional}, problems)) return limits;
  if (const Json* outage = member(value, "backend_outage_limit_min")) {
    if (auto read = read_minutes(*outage, at / "backend_outage_limit_min", problems)) {
      limits.backend_outage_limit = *read;
    }
  }
  if (const Json* down = member(value, "max_servers_down")) {
    if (auto count = read_integer(*down, at / "max_servers_down", problems, 1, 1000)) {
      limits.max_servers_down = static_cast<int>(*count);
    }
  }
  if (const Json* window = member(value, "window")) {
    const Place window_at = at / "window";
    if (check_object(*window, window_at, {no_keys, window_optional}, problems)) {
      if (const Json* start = member(*window, "start")) {
        if (auto read = read_time_of_day(*start, window_at / "start", problems)) {
          limits.window_start = *read;
        }
      }
      if (const Json* length = member(*window, "length_min")) {
        if (auto read = read_minutes(*length, window_at / "length_min", problems)) {
          limits.window_length = *read;
        }
      }
    }
  }
  return limits;
}

// A runbook read from its own document, and the key of the scenario that names it.
struct RunbookSource {
  std::string_view key;  // "runbook", "front_end_runbook", ...
  const Document* document = nullptr;
};

// model::resolve_plan points into the scenario as if its runbooks were inline; a runbook from
// another document is reported in that document.
Diagnostic resolve_diagnostic(const model::ModelError& error, const Document& scenario,
                              std::span<const RunbookSource> runbooks) {
  Diagnostic diagnostic;
  diagnostic.file = scenario.name;
  diagnostic.pointer = error.pointer;
  diagnostic.message = error.message;
  for (const RunbookSource& runbook : runbooks) {
    const std::string prefix = fmt::format("/{}/", runbook.key);
    if (runbook.document != nullptr && error.pointer.starts_with(prefix)) {
      diagnostic.file = runbook.document->name;
      diagnostic.pointer = error.pointer.substr(prefix.size() - 1);
    }
  }
  return diagnostic;
}

}  // namespace

LoadResult read_scenario(std::string_view text, std::string_view display_name,
                         const std::filesystem::path& base_dir) {
  auto parsed = parse_json(text, display_name);
  if (!parsed) return std::unexpected(std::vector<Diagnostic>{std::move(parsed.error())});
  const Document document{std::string(display_name), std::move(parsed->root), {}};
  const Place root{&document, ""};
  const Json& json = document.root;
  Problems problems;
  for (const auto& duplicate : parsed->duplicate_keys) {
    problems.report(Place{&document, duplicate.pointer},
                    fmt::format("duplicate key {}", quote(duplicate.key)));
  }

  model::Scenario scenario;
  // The checker reads commands against the shipped catalogue; a broken one is a bug of the
  // build, so every load fails with an internal error rather than checking nothing.
  const CatalogueResult& catalogue = shipped_catalogue();
  if (!catalogue) {
    std::vector<Diagnostic> diagnostics = catalogue.error();
    for (Diagnostic& d : diagnostics) {
      d.internal = true;
      d.message = "internal error: the embedded catalogue is corrupt: " + d.message;
    }
    return std::unexpected(std::move(diagnostics));
  }
  scenario.catalogue = &*catalogue;
  if (!check_object(json, root, {scenario_required, scenario_optional}, problems,
                    "a scenario object")) {
    return std::unexpected(std::move(problems).take_sorted());
  }
  if (const Json* name = member(json, "name")) {
    if (auto read = read_non_empty_string(*name, root / "name", problems)) scenario.name = *read;
  }
  if (const Json* description = member(json, "description")) {
    if (auto read = read_string(*description, root / "description", problems)) {
      scenario.description = *read;
    }
  }
  if (const Json* seed = member(json, "seed")) {
    if (auto read = read_seed(*seed, root / "seed", problems)) scenario.seed = *read;
  }
  bool topology_sound = false;
  if (const Json* topology = member(json, "topology")) {
    const std::size_t before = problems.count();
    scenario.topology = read_topology(*topology, root / "topology", problems);
    topology_sound = problems.count() == before;
  }
  RunbookRead runbook;
  if (const Json* value = member(json, "runbook")) {
    runbook = read_runbook(*value, root / "runbook", base_dir, problems);
    scenario.runbook = std::move(runbook.runbook);
  }
  // Timing is keyed by step id, so the two runbooks' ids must differ.
  RunbookRead front_end_runbook;
  std::optional<std::vector<std::string>> step_ids = runbook.step_ids;
  if (const Json* value = member(json, "front_end_runbook")) {
    const Place at = root / "front_end_runbook";
    front_end_runbook = read_runbook(*value, at, base_dir, problems);
    scenario.front_end_runbook = std::move(front_end_runbook.runbook);
    if (step_ids && front_end_runbook.step_ids) {
      for (const std::string& id : *front_end_runbook.step_ids) {
        if (std::ranges::find(*step_ids, id) != step_ids->end()) {
          problems.report(at, fmt::format("step id {} is also a step of \"runbook\"; the "
                                          "front-end runbook's step ids must differ, since "
                                          "timing is keyed by step id",
                                          quote(id)));
        }
      }
      step_ids->insert(step_ids->end(), front_end_runbook.step_ids->begin(),
                       front_end_runbook.step_ids->end());
    } else {
      step_ids.reset();
    }
  }
  // The mirrored runbook repeats the back-end runbook's steps (same ids, same timing) and adds
  // the failovers; the mirror's runbook repeats them and leaves out the database update.
  const auto read_variant_runbook = [&](std::string_view key, std::optional<model::Runbook>& out) {
    RunbookRead read;
    if (const Json* value = member(json, key)) {
      read = read_runbook(*value, root / key, base_dir, problems);
      out = std::move(read.runbook);
      if (step_ids && read.step_ids) {
        for (const std::string& id : *read.step_ids) {
          if (std::ranges::find(*step_ids, id) == step_ids->end()) step_ids->push_back(id);
        }
      } else {
        step_ids.reset();
      }
    }
    return read;
  };
  const RunbookRead mirrored_runbook =
      read_variant_runbook("mirrored_backend_runbook", scenario.mirrored_backend_runbook);
  const RunbookRead mirror_runbook =
      read_variant_runbook("mirror_runbook", scenario.mirror_runbook);
  if (const Json* timing = member(json, "timing")) {
    scenario.timing = read_timing(*timing, root / "timing", step_ids ? &*step_ids : nullptr,
                                  topology_sound ? &scenario.topology : nullptr, problems);
  }
  if (const Json* plan = member(json, "plan")) {
    scenario.plan = read_plan(*plan, root / "plan", problems);
  }
  if (const Json* limits = member(json, "limits")) {
    scenario.limits = read_limits(*limits, root / "limits", problems);
  }
  if (const Json* users = member(json, "users")) {
    scenario.users = read_users(*users, root / "users", problems);
  }
  if (const Json* live = member(json, "live")) {
    scenario.live = read_live(*live, root / "live", problems);
  }
  if (problems.count() != 0) return std::unexpected(std::move(problems).take_sorted());
  // More servers than the engine can number is refused before resolving them.
  if (auto problem = model::topology_size_problem(scenario.topology)) {
    return std::unexpected(std::vector<Diagnostic>{resolve_diagnostic(*problem, document, {})});
  }

  // Only a structurally sound scenario is resolved: on a broken one, resolution would report
  // consequences (an "unknown server" whose pool failed to load) rather than causes.
  const std::array<RunbookSource, 4> sources{{
      {"runbook", runbook.document.get()},
      {"front_end_runbook", front_end_runbook.document.get()},
      {"mirrored_backend_runbook", mirrored_runbook.document.get()},
      {"mirror_runbook", mirror_runbook.document.get()},
  }};
  const auto diagnostics_of = [&](const std::vector<model::ModelError>& errors) {
    std::vector<Diagnostic> diagnostics;
    for (const auto& error : errors) {
      diagnostics.push_back(resolve_diagnostic(error, document, sources));
    }
    return diagnostics;
  };
  auto resolved = model::resolve_plan(scenario);
  if (!resolved) return std::unexpected(diagnostics_of(resolved.error()));
  // Estimated before any command runs it: a scenario beyond the budget is refused here.
  if (auto over = model::budget_problems(*resolved); !over.empty()) {
    return std::unexpected(diagnostics_of(over));
  }
  return scenario;
}

}  // namespace lyncupdate::loader::detail
