#include <algorithm>
#include <array>
#include <initializer_list>
#include <map>
#include <span>

#include <fmt/format.h>

#include "json_text.hpp"
#include "lyncupdate/scenarios/shipped.hpp"
#include "readers.hpp"
#include "values.hpp"

namespace lyncupdate::loader::detail {
namespace {

using namespace std::string_view_literals;

constexpr std::array step_required{"id"sv, "title"sv, "kind"sv};
constexpr std::array step_optional{
    "command"sv,    "article_step"sv, "addition"sv, "requires"sv,        "on_start"sv,
    "on_finish"sv,  "variants"sv,     "retry"sv,    "reboot_required"sv, "probe"sv,
    "unattended"sv, "gate"sv,         "assumed"sv,  "only_on"sv};
constexpr std::array retry_required{"attempts"sv, "delay_min"sv};
constexpr std::array reboot_required_keys{"probability"sv, "reboot_min"sv};
// More tries than this is a loop, not a retry policy.
constexpr std::int64_t max_attempts = 100;
constexpr std::array<std::string_view, 0> no_keys{};
constexpr std::array variant_optional{"command"sv, "requires"sv, "on_start"sv, "on_finish"sv};

// Every kind, for messages; model::kind_name gives their spelling.
constexpr std::array all_kinds{model::StepKind::manual,  model::StepKind::command,
                               model::StepKind::install, model::StepKind::database,
                               model::StepKind::wait,    model::StepKind::reboot};

// The article has eleven steps (DOMAIN.md section 1).
constexpr std::int64_t article_steps = 11;

constexpr std::string_view shipped_runbook_prefix = "runbooks/";

bool is_step_id(std::string_view id) {
  const auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  };
  return !id.empty() && id.front() != '-' && std::ranges::all_of(id, allowed);
}

// Kinds whose work is a command (DOMAIN.md section 1): the ones a probe can be asked about.
bool is_command_kind(model::StepKind kind) {
  return kind == model::StepKind::command || kind == model::StepKind::install ||
         kind == model::StepKind::database;
}

std::vector<std::string> shipped_runbook_names() {
  std::vector<std::string> names;
  for (const auto& file : scenarios::shipped_files()) {
    if (file.name.starts_with(shipped_runbook_prefix)) {
      names.emplace_back(file.name.substr(shipped_runbook_prefix.size()));
    }
  }
  return names;
}

std::optional<model::Conditions> read_conditions(const Json& value, const Place& at,
                                                 Problems& problems) {
  if (!value.is_object()) {
    problems.report(at, fmt::format("expected an object mapping state variables to values, got {}",
                                    describe(value)));
    return std::nullopt;
  }
  const std::size_t before = problems.count();
  model::Conditions conditions;
  for (const auto& [name, state] : value.items()) {
    const Place place = at / name;
    const auto variable = model::parse_state_variable(name);
    if (!variable) {
      std::vector<std::string_view> names;
      for (const auto v : model::all_state_variables()) names.push_back(model::variable_name(v));
      problems.report(place, fmt::format("unknown state variable {}; the variables are: {}{}",
                                         quote(name), quoted_list(names), suggestion(name, names)));
      continue;
    }
    const auto values = model::value_names(*variable);
    if (!state.is_string()) {
      problems.report(place, fmt::format("expected one of {} ({}), got {}", quote(name),
                                         quoted_list(values), describe(state)));
      continue;
    }
    const auto& text = state.get_ref<const std::string&>();
    const auto parsed = model::parse_state_value(*variable, text);
    if (!parsed) {
      problems.report(place,
                      fmt::format("unknown value {} of {}; its values are: {}{}", quote(text),
                                  quote(name), quoted_list(values), suggestion(text, values)));
      continue;
    }
    conditions.push_back({*variable, *parsed});
  }
  if (problems.count() != before) return std::nullopt;
  return conditions;
}

std::optional<model::StepVariant> read_variant(const Json& value, const Place& at,
                                               Problems& problems) {
  const std::size_t before = problems.count();
  model::StepVariant variant;
  if (!check_object(value, at, {no_keys, variant_optional}, problems)) return std::nullopt;
  if (const Json* command = member(value, "command")) {
    variant.command = read_string(*command, at / "command", problems);
  }
  if (const Json* requires_ = member(value, "requires")) {
    variant.requires_ = read_conditions(*requires_, at / "requires", problems);
  }
  if (const Json* on_start = member(value, "on_start")) {
    variant.on_start = read_conditions(*on_start, at / "on_start", problems);
  }
  if (const Json* on_finish = member(value, "on_finish")) {
    variant.on_finish = read_conditions(*on_finish, at / "on_finish", problems);
  }
  if (problems.count() != before) return std::nullopt;
  return variant;
}

void read_variants(const Json& value, const Place& at, model::RunbookStep& step,
                   Problems& problems) {
  if (!value.is_object()) {
    problems.report(
        at, fmt::format("expected an object mapping roles to variants, got {}", describe(value)));
    return;
  }
  for (const auto& [name, variant_value] : value.items()) {
    const Place place = at / name;
    const auto role = model::parse_role(name);
    auto variant = read_variant(variant_value, place, problems);
    if (!role) {
      std::vector<std::string_view> names;
      for (std::size_t r = 0; r < model::role_count; ++r) {
        names.push_back(model::role_name(static_cast<model::Role>(r)));
      }
      problems.report(place, fmt::format("unknown role {}; the roles are: {}{}", quote(name),
                                         quoted_list(names), suggestion(name, names)));
      continue;
    }
    step.variants[static_cast<std::size_t>(*role)] = std::move(variant);
  }
}

std::optional<model::RetryPolicy> read_retry(const Json& value, const Place& at,
                                             Problems& problems) {
  const std::size_t before = problems.count();
  if (!check_object(value, at, {retry_required, no_keys}, problems)) return std::nullopt;
  model::RetryPolicy retry;
  if (const Json* attempts = member(value, "attempts")) {
    if (auto n = read_integer(*attempts, at / "attempts", problems, 1, max_attempts)) {
      retry.attempts = static_cast<int>(*n);
    }
  }
  if (const Json* delay = member(value, "delay_min")) {
    if (auto d = read_minutes(*delay, at / "delay_min", problems)) retry.delay = *d;
  }
  if (problems.count() != before) return std::nullopt;
  return retry;
}

std::optional<model::RebootOutcome> read_reboot(const Json& value, const Place& at,
                                                Problems& problems) {
  const std::size_t before = problems.count();
  if (!check_object(value, at, {reboot_required_keys, no_keys}, problems)) return std::nullopt;
  model::RebootOutcome reboot;
  if (const Json* probability = member(value, "probability")) {
    if (auto p = read_probability(*probability, at / "probability", problems)) {
      reboot.probability = *p;
    }
  }
  if (const Json* minutes = member(value, "reboot_min")) {
    if (auto d = read_minutes(*minutes, at / "reboot_min", problems)) reboot.duration = *d;
  }
  if (problems.count() != before) return std::nullopt;
  return reboot;
}

// Reads the JSON name of a `gate` or an `only_on` scope with `parse`, which gives nothing for an
// unknown name; `names` lists the known ones for the message.
template <typename Parse>
auto read_named(const Json& value, const Place& at, std::string_view noun,
                std::initializer_list<std::string_view> names, Parse parse, Problems& problems)
    -> decltype(parse(std::string_view{})) {
  auto text = read_string(value, at, problems);
  if (!text) return std::nullopt;
  auto parsed = parse(*text);
  if (!parsed) {
    problems.report(
        at,
        fmt::format("unknown {} {}; expected one of {}", noun, quote(*text),
                    quoted_list(std::span<const std::string_view>(names.begin(), names.end()))));
  }
  return parsed;
}

// Reads one step; `first_at` maps each step id read so far to the pointer of its step, and
// `id` receives the step's id whenever it is well formed, even if the step has other problems.
std::optional<model::RunbookStep> read_step(const Json& value, const Place& at,
                                            std::map<std::string, std::string>& first_at,
                                            std::optional<std::string>& id, Problems& problems) {
  id.reset();
  const std::size_t before = problems.count();
  model::RunbookStep step;
  if (!check_object(value, at, {step_required, step_optional}, problems)) return std::nullopt;
  if (const Json* id_value = member(value, "id")) {
    const Place place = at / "id";
    if (auto text = read_string(*id_value, place, problems)) {
      if (!is_step_id(*text)) {
        problems.report(place, fmt::format("expected a step id of lower-case letters, digits and "
                                           "hyphens, not starting with a hyphen, got {}",
                                           quote(*text)));
      } else {
        if (const auto [it, inserted] = first_at.emplace(*text, at.pointer); !inserted) {
          problems.report(
              place, fmt::format("duplicate step id {} (already at {})", quote(*text), it->second));
        }
        step.id = *text;
        id = *text;
      }
    }
  }
  if (const Json* title = member(value, "title")) {
    if (auto text = read_non_empty_string(*title, at / "title", problems)) step.title = *text;
  }
  bool kind_known = false;
  if (const Json* kind = member(value, "kind")) {
    const Place place = at / "kind";
    if (auto text = read_string(*kind, place, problems)) {
      if (const auto parsed = model::parse_step_kind(*text)) {
        step.kind = *parsed;
        kind_known = true;
      } else {
        std::vector<std::string_view> names;
        for (const auto k : all_kinds) names.push_back(model::kind_name(k));
        problems.report(place,
                        fmt::format("unknown step kind {}; expected one of {}{}", quote(*text),
                                    quoted_list(names), suggestion(*text, names)));
      }
    }
  }
  if (const Json* command = member(value, "command")) {
    if (auto text = read_string(*command, at / "command", problems)) step.command = *text;
  }
  const Json* article_step = member(value, "article_step");
  const Json* addition = member(value, "addition");
  if ((article_step == nullptr) == (addition == nullptr)) {
    problems.report(at, fmt::format("expected exactly one of \"article_step\" and \"addition\", "
                                    "got {}",
                                    article_step == nullptr ? "neither" : "both"));
  }
  if (article_step != nullptr) {
    step.article_step =
        read_integer(*article_step, at / "article_step", problems, 1, article_steps);
  }
  if (addition != nullptr) {
    if (auto text = read_non_empty_string(*addition, at / "addition", problems)) {
      step.addition = *text;
    }
  }
  if (const Json* assumed = member(value, "assumed")) {
    if (auto text = read_non_empty_string(*assumed, at / "assumed", problems)) {
      step.assumed = *text;
    }
  }
  if (const Json* requires_ = member(value, "requires")) {
    if (auto read = read_conditions(*requires_, at / "requires", problems)) step.requires_ = *read;
  }
  if (const Json* on_start = member(value, "on_start")) {
    if (auto read = read_conditions(*on_start, at / "on_start", problems)) step.on_start = *read;
  }
  if (const Json* on_finish = member(value, "on_finish")) {
    if (auto read = read_conditions(*on_finish, at / "on_finish", problems)) step.on_finish = *read;
  }
  if (const Json* variants = member(value, "variants")) {
    read_variants(*variants, at / "variants", step, problems);
  }
  if (const Json* retry = member(value, "retry")) {
    step.retry = read_retry(*retry, at / "retry", problems);
  }
  if (const Json* reboot = member(value, "reboot_required")) {
    // Only the cumulative-update installer asks for a restart (DOMAIN.md section 6).
    if (step.kind != model::StepKind::install) {
      problems.report(at / "reboot_required",
                      fmt::format("\"reboot_required\" applies to steps of kind \"install\" only, "
                                  "got kind {}",
                                  quote(model::kind_name(step.kind))));
    } else {
      step.reboot_required = read_reboot(*reboot, at / "reboot_required", problems);
    }
  }
  if (const Json* probe = member(value, "probe")) {
    // Only a step that runs a command can be asked afterwards whether it finished.
    if (kind_known && !is_command_kind(step.kind)) {
      problems.report(at / "probe",
                      fmt::format("\"probe\" applies to steps of kind \"command\", \"install\" "
                                  "or \"database\" only, got kind {}",
                                  quote(model::kind_name(step.kind))));
    } else {
      step.probe = read_command_check(*probe, at / "probe", problems);
    }
  }
  if (const Json* unattended = member(value, "unattended")) {
    // It stands in for the operator's confirmation, which only manual steps ask for.
    if (kind_known && step.kind != model::StepKind::manual) {
      problems.report(at / "unattended",
                      fmt::format("\"unattended\" applies to steps of kind \"manual\" only, got "
                                  "kind {}",
                                  quote(model::kind_name(step.kind))));
    } else {
      step.unattended = read_command_check(*unattended, at / "unattended", problems);
    }
  }
  if (const Json* gate = member(value, "gate")) {
    // The deployment answers a command it runs; a manual step has no answer to read.
    if (kind_known && step.kind != model::StepKind::command) {
      problems.report(at / "gate",
                      fmt::format("\"gate\" applies to steps of kind \"command\" only, got kind {}",
                                  quote(model::kind_name(step.kind))));
    } else {
      step.gate = read_named(*gate, at / "gate", "gate",
                             {model::gate_name(model::Gate::pool_upgrade_readiness)},
                             model::parse_gate, problems);
    }
  }
  if (const Json* scope = member(value, "only_on")) {
    step.only_on = read_named(*scope, at / "only_on", "scope",
                              {model::scope_name(model::StepScope::central_management_store)},
                              model::parse_step_scope, problems);
  }
  if (problems.count() != before) return std::nullopt;
  return step;
}

void read_steps(const Json& value, const Place& at, std::string_view what, RunbookRead& out,
                Problems& problems) {
  if (!check_array(value, at, problems, what)) return;
  if (value.empty()) {
    problems.report(at, "expected a non-empty array of steps, got an empty array");
    return;
  }
  std::map<std::string, std::string> first_at;
  std::vector<std::string> ids;
  bool all_ids = true;
  for (std::size_t i = 0; i < value.size(); ++i) {
    std::optional<std::string> id;
    auto step = read_step(value[i], at / i, first_at, id, problems);
    if (id) {
      ids.push_back(*std::move(id));
    } else {
      all_ids = false;
    }
    if (step) out.runbook.steps.push_back(*std::move(step));
  }
  if (all_ids) out.step_ids = std::move(ids);
}

// A runbook from another document: a file or a shipped runbook.
void read_runbook_document(std::string_view text, std::string document_name, const Place& at,
                           RunbookRead& out, Problems& problems) {
  auto parsed = parse_json(text, document_name);
  if (!parsed) {
    problems.report(std::move(parsed.error()), order_key(*at.document, at.pointer));
    return;
  }
  out.document = std::make_unique<Document>(Document{
      std::move(document_name), std::move(parsed->root), order_key(*at.document, at.pointer)});
  const Place root{out.document.get(), ""};
  for (const auto& duplicate : parsed->duplicate_keys) {
    problems.report(Place{out.document.get(), duplicate.pointer},
                    fmt::format("duplicate key {}", quote(duplicate.key)));
  }
  read_steps(out.document->root, root, "an array of steps", out, problems);
}

}  // namespace

RunbookRead read_runbook(const Json& value, const Place& at, const std::filesystem::path& base_dir,
                         Problems& problems) {
  RunbookRead out;
  if (value.is_array()) {
    out.runbook.name = "inline";
    read_steps(value, at, "an array of steps", out, problems);
    return out;
  }
  if (!value.is_string()) {
    problems.report(at,
                    fmt::format("expected an array of steps, the name of a shipped runbook or a "
                                "runbook file name ending in \".json\", got {}",
                                describe(value)));
    return out;
  }
  const auto& name = value.get_ref<const std::string&>();
  out.runbook.name = name;
  if (!name.ends_with(".json")) {
    const auto text = scenarios::shipped_file(std::string(shipped_runbook_prefix) + name);
    if (!text) {
      const auto names = shipped_runbook_names();
      problems.report(at, fmt::format("unknown shipped runbook {}; the shipped runbooks are: {}{}",
                                      quote(name), quoted_list(names), suggestion(name, names)));
      return out;
    }
    read_runbook_document(*text, fmt::format("<shipped:{}{}>", shipped_runbook_prefix, name), at,
                          out, problems);
    return out;
  }
  if (base_dir.empty()) {
    problems.report(at, fmt::format("cannot read runbook file {}: the scenario is not a file, so "
                                    "there is no folder to find it in; inline the steps or name a "
                                    "shipped runbook ({})",
                                    quote(name), quoted_list(shipped_runbook_names())));
    return out;
  }
  const std::filesystem::path relative(name);
  const std::filesystem::path path = base_dir == "." ? relative : base_dir / relative;
  const std::string shown = path.string();
  auto text = read_text_file(path);
  if (!text) {
    if (text.error().is_directory) {
      problems.report(at,
                      fmt::format("runbook file {} is a directory; expected a runbook JSON file",
                                  quote(shown)));
    } else {
      problems.report(
          at, fmt::format("cannot read runbook file {}: {}", quote(shown), text.error().reason));
    }
    return out;
  }
  read_runbook_document(*text, shown, at, out, problems);
  return out;
}

}  // namespace lyncupdate::loader::detail
