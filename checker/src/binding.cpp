// PowerShell's parameter binding, reduced to what tells whether a command means what the
// runbook says (binding.hpp lists the rules and what is left out). Binding goes on after the
// first problem so that the role check still sees every named parameter, but only the first
// problem is reported: PowerShell too stops at the first.

#include "lyncupdate/checker/binding.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

namespace lyncupdate::check {
namespace {

namespace rule = rules;
using model::iequals;
using model::istarts_with;

bool matches_pattern(std::string_view pattern, std::string_view argument) {
  const std::size_t open = pattern.find('<');
  if (open == std::string_view::npos) return iequals(pattern, argument);
  return argument.size() > open && istarts_with(argument, pattern.substr(0, open));
}

// "-A, -B", in the order given, or sorted by name so that the message does not depend on the
// order of the reference page.
std::string dashed_list(const model::Cmdlet& cmdlet, std::vector<std::size_t> indices,
                        bool sorted = false) {
  if (sorted) {
    std::ranges::sort(indices, {}, [&](std::size_t i) { return cmdlet.parameters[i].name; });
  }
  std::string out;
  for (const std::size_t i : indices) {
    if (!out.empty()) out += ", ";
    out += "-" + cmdlet.parameters[i].name;
  }
  return out;
}

bool in_set(const model::ParameterSet& set, std::size_t parameter) {
  return std::ranges::find(set.parameters, parameter) != set.parameters.end();
}

// A value the binder may judge: a literal, not a variable, expression or array.
bool literal(const Element& value) {
  return value.kind == ElementKind::word && value.text.find(',') == std::string::npos &&
         !value.text.empty() &&
         !std::ranges::all_of(value.text, [](char c) { return c >= '0' && c <= '9'; });
}

class Binder {
 public:
  Binder(const Command& command, const model::Catalogue& catalogue, model::Product product,
         std::size_t position)
      : command_(command), catalogue_(catalogue), product_(product), position_(position) {
    out_.name = command.elements.front().text;
  }

  Binding run() {
    if (!resolve_name()) return std::move(out_);
    if (out_.program) {
      bind_native();
    } else {
      bind_named();
      resolve_set();
    }
    return std::move(out_);
  }

 private:
  void fail(std::string_view rule_id, std::string message, std::string page = {}) {
    if (out_.problem) return;
    if (page.empty())
      page = out_.cmdlet ? out_.cmdlet->page : out_.program ? out_.program->page : "";
    out_.problem = BindingProblem{rule_id, std::move(message), std::move(page)};
  }

  const model::Cmdlet& cmdlet() const { return *out_.cmdlet; }

  // The command by name, module-qualified name or program path; false when unknown.
  bool resolve_name() {
    const Element& first = command_.elements.front();
    if (first.kind != ElementKind::word) {
      fail(rule::unknown_command,
           fmt::format("its command name {} is computed, so no catalogue entry can be checked",
                       first.text));
      return false;
    }
    std::string_view name = first.text;
    const std::size_t slash = name.find_last_of("\\/");
    if (slash != std::string_view::npos) {
      const std::string_view prefix = name.substr(0, slash);
      const std::string_view base = name.substr(slash + 1);
      if (prefix.find_first_of("\\/:.") == std::string_view::npos && catalogue_.cmdlet(base)) {
        return resolve_module_qualified(prefix, base);
      }
      name = base;  // a path: the program is found by its file name
    }
    if ((out_.cmdlet = catalogue_.cmdlet(name))) return check_cmdlet_product();
    if ((out_.program = catalogue_.program(name))) {
      if (!out_.program->products.has(product_)) {
        fail(rule::not_in_product, fmt::format("{} is not part of {} (only {})", out_.program->name,
                                               model::product_title(product_),
                                               model::product_titles(out_.program->products)));
      }
      return true;
    }
    const auto suggestion = closest_command(name, catalogue_);
    const model::Cmdlet* suggested = suggestion ? catalogue_.cmdlet(*suggestion) : nullptr;
    const model::NativeProgram* program = suggestion ? catalogue_.program(*suggestion) : nullptr;
    fail(rule::unknown_command,
         fmt::format("{} is no cmdlet or program the catalogue knows{}", name,
                     suggestion ? fmt::format("; did you mean {}?", *suggestion) : ""),
         suggested ? suggested->page
         : program ? program->page
                   : "");
    return false;
  }

  bool resolve_module_qualified(std::string_view module, std::string_view base) {
    out_.cmdlet = catalogue_.cmdlet(base);
    const std::string_view expected = cmdlet().product_cmdlet ? model::product_module(product_)
                                                              : std::string_view(cmdlet().module);
    if (!iequals(module, expected)) {
      fail(rule::unknown_command,
           fmt::format("{} names module {}, but {} on {} is in module {}", out_.name, module,
                       cmdlet().name, model::product_title(product_), expected));
      return false;
    }
    return check_cmdlet_product();
  }

  bool check_cmdlet_product() {
    if (!cmdlet().products.has(product_)) {
      fail(rule::not_in_product,
           fmt::format("{} is not in {} (only in {})", cmdlet().name,
                       model::product_title(product_), model::product_titles(cmdlet().products)));
    }
    return true;
  }

  // PowerShell's parameter name resolution: exact name or alias, else a unique prefix among
  // the names and aliases of the parameters the product has.
  std::optional<std::size_t> resolve_parameter(std::string_view name) {
    const auto& params = cmdlet().parameters;
    const auto names = [](const model::CmdletParameter& p, auto&& test) {
      return test(p.name) || std::ranges::any_of(p.aliases, test);
    };
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (names(params[i], [&](std::string_view n) { return iequals(n, name); })) return i;
    }
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < params.size(); ++i) {
      if (!params[i].products.has(product_)) continue;
      if (names(params[i], [&](std::string_view n) { return istarts_with(n, name); })) {
        candidates.push_back(i);
      }
    }
    if (candidates.size() == 1) return candidates.front();
    if (candidates.empty()) {
      fail(rule::unknown_parameter, fmt::format("{} has no parameter -{}", cmdlet().name, name));
    } else {
      fail(rule::ambiguous_parameter,
           fmt::format("-{} is ambiguous for {}: it may be {}", name, cmdlet().name,
                       dashed_list(cmdlet(), candidates, true)));
    }
    return std::nullopt;
  }

  void check_value(std::size_t index, const Element& value) {
    const model::CmdletParameter& p = cmdlet().parameters[index];
    if (p.values.empty() || !literal(value)) return;
    if (std::ranges::any_of(p.values,
                            [&](const std::string& v) { return iequals(v, value.text); })) {
      return;
    }
    std::string values;
    for (const std::string& v : p.values) values += (values.empty() ? "" : ", ") + v;
    fail(rule::invalid_parameter_value,
         fmt::format("-{} of {} is {}, which is none of its values ({})", p.name, cmdlet().name,
                     value.text, values));
  }

  // One named parameter at elements[k]; returns the index of the last element it used.
  std::size_t bind_parameter(std::size_t k) {
    const Element& e = command_.elements[k];
    const auto index = resolve_parameter(e.text);
    if (!index) return k;
    const model::CmdletParameter& p = cmdlet().parameters[*index];
    if (out_.find(p.name)) {
      fail(rule::duplicate_parameter, fmt::format("{} is given -{} twice", cmdlet().name, p.name));
    }
    if (!p.products.has(product_)) {
      fail(rule::not_in_product,
           fmt::format("-{} of {} is not in {} (only in {})", p.name, cmdlet().name,
                       model::product_title(product_), model::product_titles(p.products)));
    }
    BoundParameter bound{*index, true, std::nullopt};
    if (p.is_switch) {
      if (e.has_value) {
        if (iequals(e.value, "$false")) {
          bound.set = false;
        } else if (!iequals(e.value, "$true")) {
          fail(rule::invalid_parameter_value,
               fmt::format("-{} of {} is a switch: it takes :$true or :$false, not :{}", p.name,
                           cmdlet().name, e.value));
        }
      }
    } else if (e.has_value) {
      Element value;
      value.kind = e.value_kind;
      value.text = e.value;
      bound.value = std::move(value);
    } else if (k + 1 < command_.elements.size() &&
               command_.elements[k + 1].kind != ElementKind::parameter) {
      bound.value = command_.elements[++k];
    } else {
      fail(rule::missing_parameter_value,
           fmt::format("-{} of {} needs a value and has none", p.name, cmdlet().name));
    }
    if (bound.value) check_value(*index, *bound.value);
    out_.parameters.push_back(std::move(bound));
    return k;
  }

  void bind_named() {
    for (std::size_t k = 1; k < command_.elements.size(); ++k) {
      if (command_.elements[k].kind == ElementKind::parameter) {
        k = bind_parameter(k);
      } else {
        positional_.push_back(&command_.elements[k]);
      }
    }
  }

  // The sets that hold every bound parameter; on none, the problem names a conflicting pair.
  std::vector<const model::ParameterSet*> candidate_sets() {
    std::vector<const model::ParameterSet*> sets;
    for (const auto& set : cmdlet().sets) sets.push_back(&set);
    std::vector<std::size_t> so_far;
    for (const BoundParameter& b : out_.parameters) {
      if (cmdlet().parameters[b.index].common) continue;
      std::erase_if(sets, [&](const model::ParameterSet* s) { return !in_set(*s, b.index); });
      if (sets.empty()) {
        report_conflict(so_far, b.index);
        return sets;
      }
      so_far.push_back(b.index);
    }
    return sets;
  }

  std::string sets_of(std::size_t parameter) const {
    std::string out;
    for (const auto& set : cmdlet().sets) {
      if (in_set(set, parameter)) out += (out.empty() ? "" : ", ") + set.name;
    }
    return out.empty() ? "none" : out;
  }

  void report_conflict(const std::vector<std::size_t>& earlier, std::size_t parameter) {
    const auto& params = cmdlet().parameters;
    for (const std::size_t q : earlier) {
      const bool together = std::ranges::any_of(
          cmdlet().sets, [&](const auto& s) { return in_set(s, q) && in_set(s, parameter); });
      if (together) continue;
      fail(rule::parameter_set_conflict,
           fmt::format("{} takes parameters from two parameter sets: -{} ({}) and -{} ({})",
                       cmdlet().name, params[q].name, sets_of(q), params[parameter].name,
                       sets_of(parameter)));
      return;
    }
    fail(rule::parameter_set_conflict,
         fmt::format("{} has no parameter set with {} and -{} together", cmdlet().name,
                     dashed_list(cmdlet(), earlier), params[parameter].name));
  }

  // The set's positional parameters still unbound, in position order.
  std::vector<std::size_t> open_positions(const model::ParameterSet& set) const {
    std::vector<std::size_t> out;
    for (const auto& [parameter, position] : set.positional) {
      if (!out_.find(cmdlet().parameters[parameter].name)) out.push_back(parameter);
    }
    return out;
  }

  std::vector<std::size_t> missing_mandatory(const model::ParameterSet& set) const {
    const auto open = open_positions(set);
    std::vector<std::size_t> out;
    for (const std::size_t m : set.mandatory) {
      const auto at = std::ranges::find(open, m);
      const bool positional =
          at != open.end() && static_cast<std::size_t>(at - open.begin()) < positional_.size();
      if (!out_.find(cmdlet().parameters[m].name) && !positional) out.push_back(m);
    }
    return out;
  }

  void resolve_set() {
    auto sets = candidate_sets();
    if (sets.empty()) return;
    std::erase_if(sets, [&](const model::ParameterSet* s) {
      const auto open = open_positions(*s);
      const bool rest = !open.empty() && cmdlet().parameters[open.back()].remaining_arguments;
      return open.size() < positional_.size() && !rest;
    });
    if (sets.empty()) {
      fail(rule::unknown_parameter, fmt::format("{} has no positional parameter for {}",
                                                cmdlet().name, positional_.back()->text));
      return;
    }
    const auto complete = std::ranges::find_if(
        sets, [&](const model::ParameterSet* s) { return missing_mandatory(*s).empty(); });
    const model::ParameterSet* chosen = complete != sets.end() ? *complete : sets.front();
    if (complete == sets.end() && position_ == 0) {
      const auto fewest = std::ranges::min_element(
          sets, {}, [&](const model::ParameterSet* s) { return missing_mandatory(*s).size(); });
      chosen = *fewest;
      const std::size_t missing = missing_mandatory(*chosen).front();
      fail(rule::missing_mandatory_parameter,
           fmt::format("{} lacks its mandatory parameter -{}{}", cmdlet().name,
                       cmdlet().parameters[missing].name,
                       cmdlet().sets.size() > 1 ? fmt::format(" (parameter set {})", chosen->name)
                                                : std::string()));
    }
    out_.set = chosen;
    const auto open = open_positions(*chosen);
    for (std::size_t a = 0; a < positional_.size() && a < open.size(); ++a) {
      // The last positional parameter takes the rest when it takes remaining arguments.
      check_value(open[a], *positional_[a]);
      out_.parameters.push_back(BoundParameter{open[a], true, *positional_[a]});
    }
  }

  void bind_native() {
    std::vector<std::string>& args = out_.arguments;
    for (std::size_t k = 1; k < command_.elements.size(); ++k) {
      const Element& e = command_.elements[k];
      if (e.kind != ElementKind::word && e.kind != ElementKind::parameter) return;  // unknown
      args.push_back(element_source(e));
    }
    const model::NativeProgram& program = *out_.program;
    const auto fits = [&](const model::NativeForm& form) {
      return form.size() == args.size() &&
             std::ranges::equal(form, args,
                                [](const auto& p, const auto& a) { return matches_pattern(p, a); });
    };
    if (!program.forms.empty()) {
      if (std::ranges::any_of(program.forms, fits)) return;
      std::string forms;
      for (const auto& form : program.forms) {
        std::string joined = program.name;
        for (const auto& word : form) joined += " " + word;
        forms += (forms.empty() ? "" : ", ") + joined;
      }
      std::string given = program.name;
      for (const auto& a : args) given += " " + a;
      fail(rule::unknown_parameter,
           fmt::format("{} is no form {} accepts ({})", given, program.name, forms));
      return;
    }
    std::vector<bool> used(program.switches.size(), false);
    for (const std::string& a : args) {
      std::size_t s = 0;
      while (s < program.switches.size() && (used[s] || !matches_pattern(program.switches[s], a)))
        ++s;
      if (s == program.switches.size()) {
        std::string all;
        for (const auto& sw : program.switches) all += (all.empty() ? "" : ", ") + sw;
        fail(rule::unknown_parameter,
             fmt::format("{} takes no argument {} here (it takes {}, each once)", program.name, a,
                         all.empty() ? "none" : all));
        return;
      }
      used[s] = true;
    }
  }

  const Command& command_;
  const model::Catalogue& catalogue_;
  model::Product product_;
  std::size_t position_;
  Binding out_;
  std::vector<const Element*> positional_;
};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const bool same = iequals(a.substr(i - 1, 1), b.substr(j - 1, 1));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

const BoundParameter* Binding::find(std::string_view parameter) const {
  if (!cmdlet) return nullptr;
  const auto it = std::ranges::find_if(parameters, [&](const BoundParameter& b) {
    return cmdlet->parameters[b.index].name == parameter;
  });
  return it == parameters.end() ? nullptr : &*it;
}

bool Binding::is_set(std::string_view parameter) const {
  const BoundParameter* b = find(parameter);
  return b != nullptr && b->set;
}

std::optional<std::string> Binding::value(std::string_view parameter) const {
  const BoundParameter* b = find(parameter);
  if (b == nullptr || !b->value || b->value->kind != ElementKind::word) return std::nullopt;
  return b->value->text;
}

Binding bind_command(const Command& command, const model::Catalogue& catalogue,
                     model::Product product, std::size_t pipeline_position) {
  return Binder(command, catalogue, product, pipeline_position).run();
}

std::optional<std::string> closest_command(std::string_view name,
                                           const model::Catalogue& catalogue) {
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(1, name.size() / 3) + 1;
  const auto consider = [&](const std::string& candidate) {
    const std::size_t d = edit_distance(name, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  };
  for (const auto& c : catalogue.cmdlets) consider(c.name);
  for (const auto& p : catalogue.programs) consider(p.name);
  return best;
}

}  // namespace lyncupdate::check
