#include "lyncupdate/loader/loader.hpp"

#include <array>
#include <exception>
#include <new>

#include <fmt/format.h>

#include "json_text.hpp"
#include "lyncupdate/scenarios/shipped.hpp"
#include "problems.hpp"
#include "readers.hpp"

namespace lyncupdate::loader {
namespace {

using detail::Json;

constexpr std::string_view runbook_prefix = "runbooks/";
constexpr std::string_view catalogue_prefix = "catalogue/";
// The scenario keys that hold a runbook, inline or by name.
constexpr std::array runbook_keys{"runbook", "front_end_runbook", "mirrored_backend_runbook",
                                  "mirror_runbook"};

std::string shipped_display_name(std::string_view name) {
  return fmt::format("<shipped:{}>", name);
}

std::vector<Diagnostic> one(std::string file, std::string message) {
  Diagnostic diagnostic;
  diagnostic.file = std::move(file);
  diagnostic.message = std::move(message);
  return {std::move(diagnostic)};
}

// The API promises values, never exceptions: the only ones left after validation are running
// out of memory and bugs, and both become a diagnostic instead of a crash.
template <typename Result, typename Body>
Result guarded(std::string_view file, Body&& body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return std::unexpected(one(std::string(file), "out of memory while loading"));
  } catch (const std::exception& error) {
    return std::unexpected(
        one(std::string(file), fmt::format("internal error while loading: {}", error.what())));
  }
}

std::optional<std::string_view> shipped_scenario_text(std::string_view name) {
  if (name.starts_with(runbook_prefix) || name.starts_with(catalogue_prefix)) return std::nullopt;
  return scenarios::shipped_file(name);
}

std::vector<Diagnostic> unknown_shipped_scenario(std::string_view name) {
  const auto names = shipped_scenario_names();
  return one(shipped_display_name(name),
             fmt::format("unknown shipped scenario {}; the shipped scenarios are: {}{}",
                         detail::quote(name), detail::quoted_list(names),
                         detail::suggestion(name, names)));
}

// A JSON pointer holds keys verbatim, control characters included; the terminal gets them
// escaped.
std::string printable_pointer(std::string_view pointer) {
  std::string out;
  for (const char c : pointer) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      out += fmt::format("\\u{:04x}", byte);
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string Diagnostic::render() const {
  if (line > 0) {
    if (column > 0) return fmt::format("{}:{}:{}: error: {}", file, line, column, message);
    return fmt::format("{}:{}: error: {}", file, line, message);
  }
  if (!pointer.empty()) {
    return fmt::format("{}: error: {}: {}", file, printable_pointer(pointer), message);
  }
  return fmt::format("{}: error: {}", file, message);
}

LoadResult load_scenario_file(const std::filesystem::path& path) {
  const std::string file = path.string();
  return guarded<LoadResult>(file, [&]() -> LoadResult {
    auto text = detail::read_text_file(path);
    if (!text) {
      if (text.error().is_directory) {
        return std::unexpected(one(file, "is a directory; expected a scenario JSON file"));
      }
      return std::unexpected(one(file, "cannot read file: " + text.error().reason));
    }
    // A relative runbook path is relative to the scenario's folder; "." when that is the
    // current one, because an empty base means "not from a file".
    std::filesystem::path base_dir = path.parent_path();
    if (base_dir.empty()) base_dir = ".";
    return detail::read_scenario(*text, file, base_dir);
  });
}

LoadResult load_shipped_scenario(std::string_view name) {
  const std::string file = shipped_display_name(name);
  return guarded<LoadResult>(file, [&]() -> LoadResult {
    const auto text = shipped_scenario_text(name);
    if (!text) return std::unexpected(unknown_shipped_scenario(name));
    return detail::read_scenario(*text, file, {});
  });
}

LoadResult load_scenario_text(std::string_view text, std::string_view display_name,
                              const std::filesystem::path& base_dir) {
  return guarded<LoadResult>(display_name, [&]() -> LoadResult {
    return detail::read_scenario(text, display_name, base_dir);
  });
}

std::expected<std::string, std::vector<Diagnostic>> export_shipped_scenario(std::string_view name) {
  using Result = std::expected<std::string, std::vector<Diagnostic>>;
  const std::string file = shipped_display_name(name);
  return guarded<Result>(file, [&]() -> Result {
    // Only a scenario that loads is exported: what the user copies must work as it is.
    if (auto loaded = load_shipped_scenario(name); !loaded) {
      return std::unexpected(std::move(loaded.error()));
    }
    const auto text = shipped_scenario_text(name);
    Json scenario = Json::parse(*text);
    for (const char* key : runbook_keys) {
      if (!scenario.contains(key) || !scenario[key].is_string()) continue;
      const auto runbook_text =
          scenarios::shipped_file(std::string(runbook_prefix) + scenario[key].get<std::string>());
      if (runbook_text) scenario[key] = Json::parse(*runbook_text);
    }
    return scenario.dump(2) + "\n";
  });
}

namespace {

// A duration as the minutes the format writes; read back, it gives the same milliseconds.
Json fixed_minutes(Duration duration) {
  return Json{{"distribution", "fixed"},
              {"minutes", static_cast<double>(duration.count()) / 60'000.0}};
}

// SCENARIO's JSON with its runbook inlined; the scenario must load.
std::expected<Json, std::vector<Diagnostic>> inlined_scenario(const std::string& scenario,
                                                              bool is_file,
                                                              const std::string& file) {
  auto loaded = is_file ? load_scenario_file(scenario) : load_shipped_scenario(scenario);
  if (!loaded) return std::unexpected(std::move(loaded.error()));
  std::filesystem::path base_dir;
  Json json;
  if (is_file) {
    auto text = detail::read_text_file(scenario);
    if (!text) return std::unexpected(one(file, "cannot read file: " + text.error().reason));
    json = Json::parse(*text);
    base_dir = std::filesystem::path(scenario).parent_path();
  } else {
    json = Json::parse(*shipped_scenario_text(scenario));
  }
  for (const char* key : runbook_keys) {
    if (!json.contains(key) || !json[key].is_string()) continue;
    Json& runbook = json[key];
    const std::string name = runbook.get<std::string>();
    if (name.ends_with(".json")) {
      auto text =
          detail::read_text_file(base_dir.empty() ? std::filesystem::path(name) : base_dir / name);
      if (!text) return std::unexpected(one(file, "cannot read runbook: " + text.error().reason));
      runbook = Json::parse(*text);
    } else {
      runbook = Json::parse(*scenarios::shipped_file(std::string(runbook_prefix) + name));
    }
  }
  return json;
}

}  // namespace

std::expected<std::string, std::vector<Diagnostic>> self_contained_scenario(
    const std::string& scenario, bool is_file) {
  using Result = std::expected<std::string, std::vector<Diagnostic>>;
  const std::string file = is_file ? scenario : shipped_display_name(scenario);
  return guarded<Result>(file, [&]() -> Result {
    auto json = inlined_scenario(scenario, is_file, file);
    if (!json) return std::unexpected(std::move(json.error()));
    return json->dump(2) + "\n";
  });
}

std::expected<std::string, std::vector<Diagnostic>> replay_scenario(const std::string& scenario,
                                                                    bool is_file,
                                                                    const ReplayEdits& edits) {
  using Result = std::expected<std::string, std::vector<Diagnostic>>;
  const std::string file = is_file ? scenario : shipped_display_name(scenario);
  return guarded<Result>(file, [&]() -> Result {
    auto inlined = inlined_scenario(scenario, is_file, file);
    if (!inlined) return std::unexpected(std::move(inlined.error()));
    Json json = std::move(*inlined);
    // The restart is part of the fixed duration; a replay never fails, so retries never run.
    for (const char* key : runbook_keys) {
      if (!json.contains(key)) continue;
      for (Json& step : json[key]) step.erase("reboot_required");
    }
    // Steps of servers outside the plan keep their timing: a runbook needs it for every step.
    Json steps = json["timing"]["steps"];
    Json servers = Json::object();
    for (const auto& [fqdn, durations] : edits.durations) {
      Json& server = servers[fqdn];
      for (const auto& [id, duration] : durations) {
        server[id] = fixed_minutes(duration);
        if (!steps.contains(id)) steps[id] = fixed_minutes(duration);
      }
    }
    json["timing"] = Json{{"steps", steps}, {"servers", servers}};
    Json schedule = Json::array();
    for (const auto& start : edits.schedule) {
      schedule.push_back(Json{{"server", start.server}, {"step", start.step}});
    }
    json["plan"]["operators"] = edits.operators;
    json["plan"]["schedule"] = std::move(schedule);
    if (edits.max_servers_down) json["limits"]["max_servers_down"] = *edits.max_servers_down;
    json["name"] = edits.name;
    json["description"] = edits.description;
    return json.dump(2) + "\n";
  });
}

std::vector<std::string> shipped_scenario_names() {
  std::vector<std::string> names;
  for (const auto& file : scenarios::shipped_files()) {
    if (!file.name.starts_with(runbook_prefix) && !file.name.starts_with(catalogue_prefix)) {
      names.emplace_back(file.name);
    }
  }
  return names;
}

}  // namespace lyncupdate::loader
