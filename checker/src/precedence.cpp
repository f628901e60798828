// The precedence graph of one server's runbook. A vertex per step; an edge u -> v says "u must
// come before v", derived from the declared conditions:
//   - v requires c and u is the step that last changed the state to c before v: u -> v;
//   - v requires c and nothing before v establishes it, but u (later) does: u -> v, an edge
//     against the runbook's order, reported as an ordering violation unless it closes a cycle;
//   - a step w that undoes c must not fall between u and v: w -> u when w comes before u,
//     v -> w when w comes after v.
// A cycle means that no order of the steps satisfies the declarations at all.

#include <algorithm>
#include <cstddef>
#include <deque>
#include <map>
#include <optional>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/graph/topological_sort.hpp>
#include <fmt/format.h>

#include "analysis_parts.hpp"

namespace lyncupdate::check::detail {
namespace {

using model::Conditions;
using model::ResolvedStep;
using model::ServerState;
using model::StateValue;
using model::StateVariable;

std::size_t slot(StateVariable v) { return static_cast<std::size_t>(v); }

void apply(ServerState& state, const Conditions& conditions) {
  for (const model::Condition& c : conditions) state[slot(c.variable)] = c.value;
}

// The value a step leaves `v` at when it finishes, if it assigns `v` at all.
std::optional<StateValue> net_value(const ResolvedStep& step, StateVariable v) {
  std::optional<StateValue> value;
  for (const model::Condition& c : step.on_start) {
    if (c.variable == v) value = c.value;
  }
  for (const model::Condition& c : step.on_finish) {
    if (c.variable == v) value = c.value;
  }
  return value;
}

std::string text(StateVariable v, StateValue x) {
  return fmt::format("{}={}", model::variable_name(v), model::value_name(v, x));
}

const std::string& id(const ResolvedStep& step) { return step.definition->id; }

class PrecedenceAnalysis {
 public:
  explicit PrecedenceAnalysis(const model::ResolvedServer& server)
      : steps_(server.steps), needed_(server.steps.size(), false) {}

  std::vector<ServerFinding> run() {
    replay();
    const std::optional<std::size_t> install = check_second_stop();
    for (std::size_t b = 0; b < steps_.size(); ++b) {
      for (const model::Condition& c : steps_[b].requires_) {
        // Reported once, as the assemblies rule, rather than as a bare precondition.
        const bool assemblies_rule = install && b > *install && !second_stop_.empty() &&
                                     c.variable == StateVariable::assemblies;
        requirement(b, c.variable, c.value, assemblies_rule);
      }
    }
    std::vector<ServerFinding> out = cycles();
    for (Pending& p : pending_) {
      if (!p.backward || component_[p.from] != component_[p.to] ||
          component_size_[component_[p.from]] == 1) {
        out.push_back(std::move(p.finding));
      }
    }
    std::ranges::move(second_stop_, std::back_inserter(out));
    redundant_steps(out);
    return out;
  }

 private:
  struct Edge {
    std::size_t from = 0;
    std::size_t to = 0;
    std::string reason;  // why `from` must come before `to`
  };
  // An ordering finding, kept back until cycles are known: a cycle explains it better.
  struct Pending {
    ServerFinding finding;
    std::size_t from = 0;
    std::size_t to = 0;
    bool backward = false;
  };

  // The state before each step, after its start and after its finish, running them in order.
  void replay() {
    ServerState state = model::initial_server_state();
    for (const ResolvedStep& step : steps_) {
      before_.push_back(state);
      apply(state, step.on_start);
      after_start_.push_back(state);
      apply(state, step.on_finish);
      after_.push_back(state);
    }
  }

  bool changes(std::size_t i, StateVariable v) const {
    return after_[i][slot(v)] != before_[i][slot(v)];
  }

  // The last step before `b` that changed `v`, if any.
  std::optional<std::size_t> last_change(std::size_t b, StateVariable v) const {
    for (std::size_t j = b; j-- > 0;) {
      if (changes(j, v)) return j;
    }
    return std::nullopt;
  }

  void add_edge(std::size_t from, std::size_t to, std::string reason) {
    edges_.push_back(Edge{from, to, std::move(reason)});
  }

  void requirement(std::size_t b, StateVariable v, StateValue x, bool assemblies_rule) {
    const std::string& need = id(steps_[b]);
    const std::string cond = text(v, x);
    const std::optional<std::size_t> changer = last_change(b, v);
    if (before_[b][slot(v)] == x) {
      if (changer) {
        needed_[*changer] = true;
        add_edge(*changer, b, fmt::format("{} requires {}", need, cond));
      }
      // Steps that undo the condition must stay outside the interval it is needed in.
      for (std::size_t w = 0; w < steps_.size(); ++w) {
        const auto value = net_value(steps_[w], v);
        if (w == b || !value || *value == x || (changer && w == *changer)) continue;
        if (changer && w < *changer) {
          add_edge(w, *changer,
                   fmt::format("{} sets {}, which {} needs as {}", id(steps_[w]), text(v, *value),
                               need, model::value_name(v, x)));
        } else if (w > b) {
          add_edge(b, w, fmt::format("{} requires {}, which {} undoes", need, cond, id(steps_[w])));
        }
      }
      return;
    }
    if (assemblies_rule) return;
    std::optional<std::size_t> earlier;  // nearest establisher before b
    std::optional<std::size_t> later;    // nearest establisher after b
    for (std::size_t e = 0; e < steps_.size(); ++e) {
      if (e == b || net_value(steps_[e], v) != x) continue;
      if (e < b) earlier = e;
      if (e > b && !later) later = e;
    }
    if (earlier) {
      // Established, then undone before b by the last change.
      const std::size_t undo = *changer;
      needed_[*earlier] = true;
      add_edge(*earlier, b, fmt::format("{} requires {}", need, cond));
      pending_.push_back(Pending{
          ServerFinding{
              rules::runbook_order,
              Severity::error,
              {id(steps_[undo]), id(steps_[*earlier]), need},
              fmt::format("{} must not run between {} and {}: {} requires {}, which {} "
                          "establishes and {} undoes ({})",
                          id(steps_[undo]), id(steps_[*earlier]), need, need, cond,
                          id(steps_[*earlier]), id(steps_[undo]), text(v, after_[undo][slot(v)]))},
          undo, b, false});
      return;
    }
    if (later) {
      needed_[*later] = true;
      add_edge(*later, b, fmt::format("{} requires {}", need, cond));
      pending_.push_back(Pending{
          ServerFinding{rules::runbook_order,
                        Severity::error,
                        {id(steps_[*later]), need},
                        fmt::format("{} must come before {}: {} requires {}, which only {} "
                                    "establishes, later in the runbook",
                                    id(steps_[*later]), need, need, cond, id(steps_[*later]))},
          *later, b, true});
      return;
    }
    if (changer) {
      // It held before the update, but a step undid it and nothing restores it.
      pending_.push_back(Pending{
          ServerFinding{
              rules::precondition_never_established,
              Severity::error,
              {need, id(steps_[*changer])},
              fmt::format("{} requires {}, which {} undoes ({}) and no step "
                          "establishes again",
                          need, cond, id(steps_[*changer]), text(v, after_[*changer][slot(v)]))},
          b, b, false});
      return;
    }
    pending_.push_back(Pending{
        ServerFinding{rules::precondition_never_established,
                      Severity::error,
                      {need},
                      fmt::format("{} requires {}, which no step establishes and which does not "
                                  "hold before the update",
                                  need, cond)},
        b, b, false});
  }

  // DOMAIN.md section 1: the installer leaves new assemblies in the Global Assembly Cache;
  // only a second Stop-CsWindowsService picks them up, and it must come before the databases
  // are updated or the services are started. Read from the commands, not the declarations,
  // so that deleting the step together with its declared conditions is still caught.
  std::optional<std::size_t> check_second_stop() {
    std::optional<std::size_t> install;
    for (std::size_t i = 0; i < steps_.size() && !install; ++i) {
      if (steps_[i].definition->kind == model::StepKind::install ||
          net_value(steps_[i], StateVariable::assemblies) == model::values::assemblies_pending) {
        install = i;
      }
    }
    if (!install) return std::nullopt;
    for (std::size_t j = *install + 1; j < steps_.size(); ++j) {
      const std::string& command = steps_[j].command;
      if (invokes(command, "Stop-CsWindowsService")) break;
      if (invokes(command, "Install-CsDatabase") || invokes(command, "Start-CsWindowsService")) {
        second_stop_.push_back(ServerFinding{
            rules::missing_second_stop,
            Severity::error,
            {id(steps_[j]), id(steps_[*install])},
            fmt::format("{} runs after {} with no Stop-CsWindowsService in between: the services "
                        "must be stopped again to pick up the assemblies the installer placed "
                        "in the Global Assembly Cache (article step 9)",
                        id(steps_[j]), id(steps_[*install]))});
        break;
      }
    }
    return install;
  }

  // Cycles in the precedence graph: boost::topological_sort rejects them, and the strongly
  // connected components name the steps on each.
  std::vector<ServerFinding> cycles() {
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
    Graph graph(steps_.size());
    for (const Edge& e : edges_) boost::add_edge(e.from, e.to, graph);
    component_.assign(steps_.size(), 0);
    for (std::size_t i = 0; i < steps_.size(); ++i) component_[i] = i;
    component_size_.assign(steps_.size(), 1);
    std::vector<Graph::vertex_descriptor> order;
    try {
      boost::topological_sort(graph, std::back_inserter(order));
      return {};
    } catch (const boost::not_a_dag&) {
      // Reported below with the steps involved.
    }
    const std::size_t count = boost::strong_components(
        graph, boost::make_iterator_property_map(component_.begin(),
                                                 boost::get(boost::vertex_index, graph)));
    component_size_.assign(count, 0);
    for (const std::size_t c : component_) ++component_size_[c];
    std::vector<ServerFinding> out;
    std::vector<bool> reported(count, false);
    for (std::size_t start = 0; start < steps_.size(); ++start) {
      const std::size_t c = component_[start];
      if (component_size_[c] < 2 || reported[c]) continue;
      reported[c] = true;
      out.push_back(cycle_through(start));
    }
    return out;
  }

  // The shortest cycle through `start` within its component, as a finding.
  ServerFinding cycle_through(std::size_t start) {
    const std::size_t c = component_[start];
    std::vector<std::optional<std::size_t>> via(steps_.size());  // edge index that reached it
    std::deque<std::size_t> queue{start};
    std::optional<std::size_t> closing;
    while (!queue.empty() && !closing) {
      const std::size_t u = queue.front();
      queue.pop_front();
      for (std::size_t e = 0; e < edges_.size(); ++e) {
        const Edge& edge = edges_[e];
        if (edge.from != u || component_[edge.to] != c) continue;
        if (edge.to == start) {
          closing = e;
          break;
        }
        if (!via[edge.to]) {
          via[edge.to] = e;
          queue.push_back(edge.to);
        }
      }
    }
    std::vector<std::size_t> path{*closing};
    for (std::size_t at = edges_[*closing].from; at != start; at = edges_[*via[at]].from) {
      path.push_back(*via[at]);
    }
    std::ranges::reverse(path);
    ServerFinding finding{rules::runbook_cycle, Severity::error, {}, {}};
    std::vector<std::string> parts;
    for (const std::size_t e : path) {
      const Edge& edge = edges_[e];
      finding.steps.push_back(id(steps_[edge.from]));
      parts.push_back(fmt::format("{} before {} ({})", id(steps_[edge.from]), id(steps_[edge.to]),
                                  edge.reason));
    }
    finding.message =
        fmt::format("no order of the steps satisfies their conditions: {}", fmt::join(parts, ", "));
    return finding;
  }

  bool declares_effects(std::size_t i) const {
    return !steps_[i].on_start.empty() || !steps_[i].on_finish.empty();
  }

  bool no_op(std::size_t i) const {
    return after_start_[i] == before_[i] && after_[i] == before_[i];
  }

  // Nothing needs what the step establishes, and the state at the end is the same without it.
  bool dead(std::size_t i) const {
    return declares_effects(i) && !no_op(i) && !needed_[i] &&
           final_state_without(i) == after_.back();
  }

  // Duplicate steps (a repeat that changes nothing) and dead steps (nothing needs their
  // effects and the state at the end is the same without them).
  void redundant_steps(std::vector<ServerFinding>& out) const {
    for (std::size_t i = 0; i < steps_.size(); ++i) {
      const ResolvedStep& step = steps_[i];
      if (!declares_effects(i)) continue;
      if (no_op(i)) {
        std::vector<std::string> held;
        for (const model::Condition& c : step.on_start) held.push_back(text(c.variable, c.value));
        for (const model::Condition& c : step.on_finish) {
          const std::string t = text(c.variable, c.value);
          if (std::ranges::find(held, t) == held.end()) held.push_back(t);
        }
        std::optional<std::size_t> twin;
        for (std::size_t j = i; j-- > 0;) {
          if (steps_[j].command == step.command && steps_[j].on_start == step.on_start &&
              steps_[j].on_finish == step.on_finish) {
            twin = j;
            break;
          }
        }
        // A repeat of a dead step is not the mistake: the dead step is (reported below).
        if (twin && dead(*twin)) continue;
        if (twin) {
          out.push_back(ServerFinding{
              rules::duplicate_step,
              Severity::warning,
              {id(step), id(steps_[*twin])},
              fmt::format("{} repeats {} and changes nothing: {} already hold{} when it runs",
                          id(step), id(steps_[*twin]), fmt::join(held, ", "),
                          held.size() == 1 ? "s" : "")});
        } else {
          out.push_back(ServerFinding{
              rules::dead_step,
              Severity::warning,
              {id(step)},
              fmt::format("{} changes nothing: {} already hold{} when it runs", id(step),
                          fmt::join(held, ", "), held.size() == 1 ? "s" : "")});
        }
        continue;
      }
      if (!dead(i)) continue;
      out.push_back(ServerFinding{
          rules::dead_step,
          Severity::warning,
          {id(step)},
          fmt::format("{} establishes nothing a later step requires, and the state at the end is "
                      "the same without it",
                      id(step))});
    }
  }

  ServerState final_state_without(std::size_t skipped) const {
    ServerState state = model::initial_server_state();
    for (std::size_t i = 0; i < steps_.size(); ++i) {
      if (i == skipped) continue;
      apply(state, steps_[i].on_start);
      apply(state, steps_[i].on_finish);
    }
    return state;
  }

  const std::vector<ResolvedStep>& steps_;
  std::vector<ServerState> before_;
  std::vector<ServerState> after_start_;
  std::vector<ServerState> after_;
  std::vector<bool> needed_;  // the step establishes a condition a later step requires
  std::vector<Edge> edges_;
  std::vector<Pending> pending_;
  std::vector<ServerFinding> second_stop_;
  std::vector<std::size_t> component_;       // strongly connected component of each step
  std::vector<std::size_t> component_size_;  // steps in each component
};

}  // namespace

std::vector<ServerFinding> precedence_findings(const model::ResolvedServer& server) {
  if (server.steps.empty()) return {};
  return PrecedenceAnalysis(server).run();
}

}  // namespace lyncupdate::check::detail
