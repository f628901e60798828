// The command catalogue: scenarios/catalogue/cmdlets.json (generated from Microsoft's cmdlet
// reference, format 1) and scenarios/catalogue/native.json (hand-written: native programs and
// the Windows PowerShell cmdlets the runbooks use; docs/catalogue-native.md). Both ship inside
// the binary and are read once per process; a problem in them is a bug of the build, reported
// as an internal error rather than as bad input.

#include <array>

#include <fmt/format.h>

#include "json_text.hpp"
#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/scenarios/shipped.hpp"
#include "readers.hpp"
#include "values.hpp"

namespace lyncupdate::loader {
namespace detail {
namespace {

using namespace std::string_view_literals;

constexpr std::array cmdlet_required{"name"sv,     "module"sv,     "page"sv,
                                     "products"sv, "parameters"sv, "sets"sv};
constexpr std::array cmdlet_optional{"aliases"sv, "note"sv};
constexpr std::array parameter_required{"name"sv, "switch"sv, "type"sv};
constexpr std::array parameter_optional{"aliases"sv, "products"sv, "values"sv, "remaining"sv};
constexpr std::array set_required{"name"sv, "parameters"sv, "mandatory"sv};
constexpr std::array set_optional{"positional"sv};
constexpr std::array program_required{"name"sv, "page"sv, "products"sv};
constexpr std::array program_optional{"forms"sv, "switches"sv, "note"sv};

// about_CommonParameters
// (https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_commonparameters):
// every cmdlet has these, with these aliases. InformationAction and InformationVariable came
// with Windows PowerShell 5.0.
struct Common {
  std::string_view name;
  std::string_view alias;
  bool is_switch;
  bool action;  ///< takes an ActionPreference value
};
constexpr std::array<Common, 11> common_parameters{{
    {"Verbose", "vb", true, false},
    {"Debug", "db", true, false},
    {"ErrorAction", "ea", false, true},
    {"WarningAction", "wa", false, true},
    {"InformationAction", "infa", false, true},
    {"ErrorVariable", "ev", false, false},
    {"WarningVariable", "wv", false, false},
    {"InformationVariable", "iv", false, false},
    {"OutVariable", "ov", false, false},
    {"OutBuffer", "ob", false, false},
    {"PipelineVariable", "pv", false, false},
}};

// The ActionPreference values Windows PowerShell 5.1 accepts (about_Preference_Variables).
constexpr std::array action_values{"Continue"sv,         "Ignore"sv, "Inquire"sv,
                                   "SilentlyContinue"sv, "Stop"sv,   "Suspend"sv};

std::vector<std::string> read_strings(const Json& value, const Place& at, Problems& problems) {
  std::vector<std::string> out;
  if (!check_array(value, at, problems, "an array of strings")) return out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (auto s = read_non_empty_string(value[i], at / i, problems)) out.push_back(std::move(*s));
  }
  return out;
}

model::Products read_products(const Json& value, const Place& at, Problems& problems) {
  model::Products out;
  const auto names = read_strings(value, at, problems);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (const auto p = model::parse_product(names[i])) {
      out.add(*p);
    } else {
      problems.report(at / i, fmt::format("unknown product {}; expected \"lync2013\", "
                                          "\"sfb2015\", \"sfb2019\" or \"sfbse\"",
                                          quote(names[i])));
    }
  }
  return out;
}

std::string read_text(const Json& object, std::string_view key, const Place& at,
                      Problems& problems) {
  const Json* value = member(object, key);
  if (value == nullptr) return {};
  return read_non_empty_string(*value, at / key, problems).value_or("");
}

model::CmdletParameter read_parameter(const Json& value, const Place& at,
                                      model::Products cmdlet_products, Problems& problems) {
  model::CmdletParameter p;
  if (!check_object(value, at, {parameter_required, parameter_optional}, problems)) return p;
  p.name = read_text(value, "name", at, problems);
  p.type = read_text(value, "type", at, problems);
  if (const Json* s = member(value, "switch")) {
    if (s->is_boolean()) {
      p.is_switch = s->get<bool>();
    } else {
      problems.report(at / "switch", "expected true or false");
    }
  }
  if (const Json* a = member(value, "aliases"))
    p.aliases = read_strings(*a, at / "aliases", problems);
  p.products = cmdlet_products;
  if (const Json* pr = member(value, "products")) {
    p.products = read_products(*pr, at / "products", problems);
  }
  if (const Json* v = member(value, "values")) p.values = read_strings(*v, at / "values", problems);
  if (const Json* r = member(value, "remaining")) {
    if (r->is_boolean()) {
      p.remaining_arguments = r->get<bool>();
    } else {
      problems.report(at / "remaining", "expected true or false");
    }
  }
  return p;
}

std::optional<std::size_t> parameter_index(const model::Cmdlet& cmdlet, std::string_view name) {
  for (std::size_t i = 0; i < cmdlet.parameters.size(); ++i) {
    if (cmdlet.parameters[i].name == name) return i;
  }
  return std::nullopt;
}

std::vector<std::size_t> read_indices(const Json& value, const Place& at,
                                      const model::Cmdlet& cmdlet, Problems& problems) {
  std::vector<std::size_t> out;
  const auto names = read_strings(value, at, problems);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (const auto index = parameter_index(cmdlet, names[i])) {
      out.push_back(*index);
    } else {
      problems.report(at / i,
                      fmt::format("{} is no parameter of {}", quote(names[i]), cmdlet.name));
    }
  }
  return out;
}

model::ParameterSet read_set(const Json& value, const Place& at, const model::Cmdlet& cmdlet,
                             Problems& problems) {
  model::ParameterSet set;
  if (!check_object(value, at, {set_required, set_optional}, problems)) return set;
  set.name = read_text(value, "name", at, problems);
  if (const Json* p = member(value, "parameters")) {
    set.parameters = read_indices(*p, at / "parameters", cmdlet, problems);
  }
  if (const Json* m = member(value, "mandatory")) {
    set.mandatory = read_indices(*m, at / "mandatory", cmdlet, problems);
  }
  const Json* positional = member(value, "positional");
  if (positional == nullptr ||
      !check_array(*positional, at / "positional", problems, "an array of [name, position]")) {
    return set;
  }
  for (std::size_t i = 0; i < positional->size(); ++i) {
    const Json& pair = (*positional)[i];
    const Place here = at / "positional" / i;
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() ||
        !pair[1].is_number_integer()) {
      problems.report(here, "expected [parameter name, position]");
      continue;
    }
    const auto index = parameter_index(cmdlet, pair[0].get<std::string>());
    if (!index) {
      problems.report(here, fmt::format("{} is no parameter of {}",
                                        quote(pair[0].get<std::string>()), cmdlet.name));
      continue;
    }
    set.positional.emplace_back(*index, pair[1].get<int>());
  }
  std::ranges::stable_sort(set.positional, {}, [](const auto& p) { return p.second; });
  return set;
}

void add_common_parameters(model::Cmdlet& cmdlet) {
  for (const Common& c : common_parameters) {
    model::CmdletParameter p;
    p.name = std::string(c.name);
    p.aliases = {std::string(c.alias)};
    p.is_switch = c.is_switch;
    p.type = c.is_switch ? "SwitchParameter" : c.action ? "ActionPreference" : "String";
    p.products = model::Products::all();
    p.common = true;
    if (c.action) p.values.assign(action_values.begin(), action_values.end());
    cmdlet.parameters.push_back(std::move(p));
  }
}

model::Cmdlet read_cmdlet(const Json& value, const Place& at, bool product_cmdlet,
                          Problems& problems) {
  model::Cmdlet c;
  c.product_cmdlet = product_cmdlet;
  if (!check_object(value, at, {cmdlet_required, cmdlet_optional}, problems)) return c;
  c.name = read_text(value, "name", at, problems);
  c.module = read_text(value, "module", at, problems);
  c.page = read_text(value, "page", at, problems);
  if (const Json* a = member(value, "aliases"))
    c.aliases = read_strings(*a, at / "aliases", problems);
  if (const Json* p = member(value, "products"))
    c.products = read_products(*p, at / "products", problems);
  if (const Json* ps = member(value, "parameters");
      ps && check_array(*ps, at / "parameters", problems, "an array of parameters")) {
    for (std::size_t i = 0; i < ps->size(); ++i) {
      c.parameters.push_back(read_parameter((*ps)[i], at / "parameters" / i, c.products, problems));
    }
  }
  if (const Json* ss = member(value, "sets");
      ss && check_array(*ss, at / "sets", problems, "an array of parameter sets")) {
    if (ss->empty()) problems.report(at / "sets", "expected at least one parameter set");
    for (std::size_t i = 0; i < ss->size(); ++i) {
      c.sets.push_back(read_set((*ss)[i], at / "sets" / i, c, problems));
    }
  }
  add_common_parameters(c);
  return c;
}

model::NativeProgram read_program(const Json& value, const Place& at, Problems& problems) {
  model::NativeProgram p;
  if (!check_object(value, at, {program_required, program_optional}, problems)) return p;
  p.name = read_text(value, "name", at, problems);
  p.page = read_text(value, "page", at, problems);
  if (const Json* pr = member(value, "products"))
    p.products = read_products(*pr, at / "products", problems);
  if (const Json* forms = member(value, "forms");
      forms && check_array(*forms, at / "forms", problems, "an array of argument lists")) {
    for (std::size_t i = 0; i < forms->size(); ++i) {
      p.forms.push_back(read_strings((*forms)[i], at / "forms" / i, problems));
    }
  }
  if (const Json* s = member(value, "switches"))
    p.switches = read_strings(*s, at / "switches", problems);
  return p;
}

// Parses one embedded file into `document`; false (with the problem reported) when it is not
// JSON.
bool parse_into(std::string_view text, Document& document, std::vector<Diagnostic>& errors) {
  auto parsed = parse_json(text, document.name);
  if (!parsed) {
    errors.push_back(std::move(parsed.error()));
    return false;
  }
  document.root = std::move(parsed->root);
  return true;
}

void read_cmdlets_file(const Json& root, const Place& at, model::Catalogue& out,
                       Problems& problems) {
  constexpr std::array required{"format"sv, "source"sv, "cmdlets"sv};
  if (!check_object(root, at, {required, {}}, problems, "a catalogue object")) return;
  if (const Json* f = member(root, "format"); f && *f != 1) {
    problems.report(at / "format", "expected format 1");
  }
  if (const Json* s = member(root, "source"); s && s->is_object()) {
    out.source.repository = read_text(*s, "repository", at / "source", problems);
    out.source.commit = read_text(*s, "commit", at / "source", problems);
    out.source.path = read_text(*s, "path", at / "source", problems);
  }
  const Json* cmdlets = member(root, "cmdlets");
  if (cmdlets == nullptr ||
      !check_array(*cmdlets, at / "cmdlets", problems, "an array of cmdlets")) {
    return;
  }
  out.cmdlets.reserve(out.cmdlets.size() + cmdlets->size());
  for (std::size_t i = 0; i < cmdlets->size(); ++i) {
    out.cmdlets.push_back(read_cmdlet((*cmdlets)[i], at / "cmdlets" / i, true, problems));
  }
}

void read_native_file(const Json& root, const Place& at, model::Catalogue& out,
                      Problems& problems) {
  constexpr std::array required{"about"sv, "programs"sv, "cmdlets"sv};
  if (!check_object(root, at, {required, {}}, problems, "a catalogue object")) return;
  if (const Json* ps = member(root, "programs");
      ps && check_array(*ps, at / "programs", problems, "an array of programs")) {
    for (std::size_t i = 0; i < ps->size(); ++i) {
      out.programs.push_back(read_program((*ps)[i], at / "programs" / i, problems));
    }
  }
  if (const Json* cs = member(root, "cmdlets");
      cs && check_array(*cs, at / "cmdlets", problems, "an array of cmdlets")) {
    for (std::size_t i = 0; i < cs->size(); ++i) {
      out.cmdlets.push_back(read_cmdlet((*cs)[i], at / "cmdlets" / i, false, problems));
    }
  }
}

}  // namespace
}  // namespace detail

CatalogueResult read_catalogue(std::string_view cmdlets_json, std::string_view native_json) {
  using detail::Document;
  std::vector<Diagnostic> errors;
  Document cmdlets{"<shipped:catalogue/cmdlets>", {}, {}};
  Document native{"<shipped:catalogue/native>", {}, {}};
  const bool parsed = detail::parse_into(cmdlets_json, cmdlets, errors) &
                      detail::parse_into(native_json, native, errors);
  if (!parsed) return std::unexpected(std::move(errors));
  model::Catalogue out;
  detail::Problems problems;
  detail::read_cmdlets_file(cmdlets.root, detail::Place{&cmdlets, ""}, out, problems);
  detail::read_native_file(native.root, detail::Place{&native, ""}, out, problems);
  if (problems.count() != 0) return std::unexpected(std::move(problems).take_sorted());
  return out;
}

const CatalogueResult& shipped_catalogue() {
  // Read on first use, once per process: a function-local static is initialised once even
  // when threads race, and never changes after.
  static const CatalogueResult catalogue = []() -> CatalogueResult {
    const auto cmdlets = scenarios::shipped_file("catalogue/cmdlets");
    const auto native = scenarios::shipped_file("catalogue/native");
    if (!cmdlets || !native) {
      Diagnostic missing;
      missing.file = "<shipped:catalogue>";
      missing.message = "the catalogue is not embedded in this build";
      return std::unexpected(std::vector<Diagnostic>{missing});
    }
    try {
      return read_catalogue(*cmdlets, *native);
    } catch (const std::exception& error) {
      Diagnostic failed;
      failed.file = "<shipped:catalogue>";
      failed.message = fmt::format("cannot read the catalogue: {}", error.what());
      return std::unexpected(std::vector<Diagnostic>{failed});
    }
  }();
  return catalogue;
}

}  // namespace lyncupdate::loader
