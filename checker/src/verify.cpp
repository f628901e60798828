// Exhaustive plan checking in worst-case time: a breadth-first search over the choices
// operators make, with hashed states (verify.hpp).
//
// A state is taken at an instant when every step ending then has ended and no free operator
// has taken work yet. Its successor for one choice of servers to start: the chosen steps
// start (in plan order), time jumps to the next end of a running step, and every step ending
// then ends (in the order they started). This is the executor's own order of events at an
// instant (it hands out operators in a dispatch event queued behind the step ends), so a
// schedule found here replays in `simulate` with the same trace.

#include "lyncupdate/checker/verify.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstring>
#include <deque>
#include <limits>

#include <fmt/format.h>

#include "analysis_parts.hpp"
#include "lyncupdate/checker/monitors.hpp"

namespace lyncupdate::check {
namespace {

using Clock = std::chrono::steady_clock;
using Word = std::int64_t;

constexpr Word up = -1;  // down_since of a server that is available

// The per-server facts the search needs, precomputed.
struct ServerFacts {
  std::vector<Word> duration;  // worst-case duration of each step, ms
  // down[p]: unavailable at position p, where position 2k is "before step k" and 2k + 1
  // "step k running" (its start effects applied); 2 * steps is "done".
  std::vector<char> down;
  std::size_t stage = 0;
  std::uint16_t partner = sim::no_index;
};

// A state as words: [now, stage, then per server: position | remaining << 16, down_since].
class StateView {
 public:
  explicit StateView(Word* words) : w_(words) {}
  Word& now() { return w_[0]; }
  Word& stage() { return w_[1]; }
  std::uint16_t position(std::size_t s) const {
    return static_cast<std::uint16_t>(w_[2 + 2 * s] & 0xffff);
  }
  Word remaining(std::size_t s) const { return w_[2 + 2 * s] >> 16; }
  void set(std::size_t s, std::uint16_t position, Word remaining) {
    w_[2 + 2 * s] = static_cast<Word>(position) | (remaining << 16);
  }
  Word& down_since(std::size_t s) { return w_[3 + 2 * s]; }

 private:
  Word* w_;
};

std::uint64_t hash_words(const Word* words, std::size_t count) {
  std::uint64_t h = 0x9e3779b97f4a7c15ULL;
  for (std::size_t i = 0; i < count; ++i) {
    h ^= static_cast<std::uint64_t>(words[i]);
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
  }
  return h;
}

// What happened during one transition, for the counterexample.
struct Log {
  std::vector<VerifyEvent>* events = nullptr;
  std::vector<model::ResolvedStart>* starts = nullptr;
};

// Where an invariant broke, found while applying a transition.
struct Breach {
  std::string_view rule;
  TimePoint time{};
  std::uint16_t server = sim::no_index;
};

class Search {
 public:
  Search(const model::ResolvedPlan& plan, const VerifyOptions& options, VerifyResult& result)
      : plan_(plan), options_(options), result_(result) {
    const model::Limits& limits = plan.scenario->limits;
    limit_ = limits.backend_outage_limit.count();
    window_ = limits.window_length.count();
    n_ = plan.servers.size();
    operators_ = options.operators.value_or(plan.operators);
    if (operators_ == 0) operators_ = std::max<std::size_t>(n_, 1);
    result.operators = operators_;
    if (options.max_servers_down) {
      max_down_ = options.max_servers_down;
    } else if (limits.max_servers_down) {
      max_down_ = static_cast<std::size_t>(*limits.max_servers_down);
    }
    result.max_servers_down = max_down_;
    words_ = 2 + 2 * n_;
    const std::vector<std::uint16_t> partners = mirror_partners(plan);
    for (std::size_t s = 0; s < n_; ++s) {
      const model::ResolvedServer& server = plan.servers[s];
      ServerFacts facts;
      facts.stage = server.stage;
      facts.partner = partners[s];
      model::ServerState state = model::initial_server_state();
      const auto slot = static_cast<std::size_t>(model::StateVariable::backend);
      facts.down.push_back(state[slot] == model::values::unavailable ? 1 : 0);
      for (const model::ResolvedStep& step : server.steps) {
        const auto bound = detail::step_upper_bound(step);
        facts.duration.push_back(bound ? bound->count() : 0);
        for (const auto& c : step.on_start) state[static_cast<std::size_t>(c.variable)] = c.value;
        facts.down.push_back(state[slot] == model::values::unavailable ? 1 : 0);
        for (const auto& c : step.on_finish) state[static_cast<std::size_t>(c.variable)] = c.value;
        facts.down.push_back(state[slot] == model::values::unavailable ? 1 : 0);
      }
      servers_.push_back(std::move(facts));
    }
  }

  // Steps without an upper bound, as "server: step" names.
  std::string unbounded_steps() const {
    std::string names;
    for (std::size_t s = 0; s < n_; ++s) {
      for (std::size_t k = 0; k < plan_.servers[s].steps.size(); ++k) {
        if (detail::step_upper_bound(plan_.servers[s].steps[k])) continue;
        if (!names.empty()) names += ", ";
        names += fmt::format("{} on {}", plan_.servers[s].steps[k].definition->id,
                             plan_.servers[s].target.fqdn);
      }
    }
    return names;
  }

  void run() {
    const Clock::time_point started = Clock::now();
    if (const std::string names = unbounded_steps(); !names.empty()) {
      result_.status = VerifyStatus::unbounded;
      result_.stop_reason = fmt::format(
          "no worst case: these steps have no upper bound (a lognormal without max_min): {}",
          names);
      return;
    }
    for (const auto& stage : plan_.stages) {
      if (stage.size() > 64) {
        result_.status = VerifyStatus::incomplete;
        result_.stop_reason = "a stage has more than 64 servers; the search handles at most 64";
        return;
      }
    }
    std::vector<Word> initial(words_, 0);
    StateView view(initial.data());
    for (std::size_t s = 0; s < n_; ++s) {
      view.set(s, 0, 0);
      view.down_since(s) = up;
    }
    settle(view);
    insert(initial.data(), no_parent, 0);
    std::vector<Word> next(words_);
    for (std::size_t head = 0; head < parents_.size(); ++head) {
      if ((head & 1023) == 0 && options_.time_budget.count() > 0 &&
          Clock::now() - started > options_.time_budget) {
        result_.status = VerifyStatus::incomplete;
        result_.stop_reason = fmt::format(
            "the time bound of {} was reached",
            format_duration(std::chrono::duration_cast<Duration>(options_.time_budget)));
        break;
      }
      if (expand(head, next)) break;
    }
    result_.states = parents_.size();
    result_.elapsed = Clock::now() - started;
  }

 private:
  static constexpr std::uint32_t no_parent = std::numeric_limits<std::uint32_t>::max();

  const Word* state(std::size_t index) const { return arena_.data() + index * words_; }

  // Moves to the next stage while the current one is done. Returns false at the plan's end.
  bool settle(StateView& view) const {
    for (;;) {
      const auto stage = static_cast<std::size_t>(view.stage());
      if (stage >= plan_.stages.size()) return false;
      for (const std::size_t s : plan_.stages[stage]) {
        if (view.position(s) < 2 * plan_.servers[s].steps.size()) return true;
      }
      ++view.stage();
    }
  }

  // Stores a new state; false if it was known.
  bool insert(const Word* words, std::uint32_t parent, std::uint64_t choice) {
    if (slots_.empty() || (parents_.size() + 1) * 2 > slots_.size()) grow();
    const std::uint64_t mask = slots_.size() - 1;
    for (std::uint64_t at = hash_words(words, words_) & mask;; at = (at + 1) & mask) {
      const std::uint32_t slot = slots_[at];
      if (slot == no_parent) {
        slots_[at] = static_cast<std::uint32_t>(parents_.size());
        arena_.insert(arena_.end(), words, words + words_);
        parents_.push_back(parent);
        choices_.push_back(choice);
        return true;
      }
      if (std::memcmp(state(slot), words, words_ * sizeof(Word)) == 0) return false;
    }
  }

  void grow() {
    std::vector<std::uint32_t> slots(std::max<std::size_t>(1024, slots_.size() * 2), no_parent);
    const std::uint64_t mask = slots.size() - 1;
    for (std::uint32_t i = 0; i < parents_.size(); ++i) {
      std::uint64_t at = hash_words(state(i), words_) & mask;
      while (slots[at] != no_parent) at = (at + 1) & mask;
      slots[at] = i;
    }
    slots_ = std::move(slots);
  }

  // Servers of the current stage waiting for an operator, and how many operators are free.
  std::pair<std::vector<std::uint16_t>, std::size_t> waiting(StateView& view) const {
    std::vector<std::uint16_t> ready;
    std::size_t running = 0;
    const auto stage = static_cast<std::size_t>(view.stage());
    for (const std::size_t s : plan_.stages[stage]) {
      const std::uint16_t p = view.position(s);
      if (p % 2 == 1) {
        ++running;
      } else if (p < 2 * plan_.servers[s].steps.size()) {
        ready.push_back(static_cast<std::uint16_t>(s));
      }
    }
    return {ready, operators_ > running ? operators_ - running : 0};
  }

  // Expands state `index`; true when the search is over.
  bool expand(std::size_t index, std::vector<Word>& next) {
    std::vector<Word> current(state(index), state(index) + words_);
    StateView view(current.data());
    if (view.stage() >= static_cast<Word>(plan_.stages.size())) {
      // The plan's end: the longest window is the latest end.
      result_.longest_window = std::max(result_.longest_window, Duration(view.now()));
      return false;
    }
    const auto [ready, free] = waiting(view);
    const std::size_t take = std::min(free, ready.size());
    if (take < ready.size() && take > 0) ++result_.choice_points;
    // Every choice of `take` waiting servers, in lexicographic order.
    std::vector<std::size_t> pick(take);
    for (std::size_t i = 0; i < take; ++i) pick[i] = i;
    for (;;) {
      std::uint64_t choice = 0;
      for (const std::size_t i : pick) choice |= std::uint64_t{1} << i;
      std::copy(current.begin(), current.end(), next.begin());
      StateView successor(next.data());
      ++result_.transitions;
      if (auto breach = apply(successor, ready, choice, {})) {
        record(index, choice, *breach);
        return true;
      }
      if (insert(next.data(), static_cast<std::uint32_t>(index), choice) &&
          parents_.size() >= options_.max_states) {
        result_.status = VerifyStatus::incomplete;
        result_.stop_reason =
            fmt::format("the bound of {} states was reached", options_.max_states);
        return true;
      }
      // The next combination.
      std::size_t i = take;
      while (i > 0 && pick[i - 1] == ready.size() - take + i - 1) --i;
      if (i == 0) return false;
      ++pick[i - 1];
      for (std::size_t j = i; j < take; ++j) pick[j] = pick[j - 1] + 1;
    }
  }

  // Updates a server's availability after a move; reports the first breach of the pairwise
  // and count invariants.
  void moved(StateView& view, std::size_t s, Word now, std::optional<Breach>& breach) const {
    const ServerFacts& facts = servers_[s];
    const bool down = facts.down[view.position(s)] != 0;
    const bool was_down = view.down_since(s) != up;
    if (down == was_down) return;
    if (!down) {
      view.down_since(s) = up;
      return;
    }
    view.down_since(s) = now;
    if (breach) return;
    const TimePoint at = TimePoint{} + Duration(now);
    if (facts.partner != sim::no_index && view.down_since(facts.partner) != up) {
      breach = Breach{rules::mirror_pair_down, at, static_cast<std::uint16_t>(s)};
      return;
    }
    if (max_down_) {
      std::size_t count = 0;
      for (std::size_t t = 0; t < n_; ++t) count += view.down_since(t) != up ? 1U : 0U;
      if (count > *max_down_)
        breach = Breach{rules::servers_down_limit, at, static_cast<std::uint16_t>(s)};
    }
  }

  // One transition: start the chosen servers' steps, jump to the next end, end every step
  // ending then. Returns the first breach, if any.
  std::optional<Breach> apply(StateView& view, const std::vector<std::uint16_t>& ready,
                              std::uint64_t choice, Log log) const {
    std::optional<Breach> breach;
    const Word now = view.now();
    for (std::size_t i = 0; i < ready.size(); ++i) {
      if ((choice >> i & 1) == 0) continue;
      const std::uint16_t s = ready[i];
      const std::uint16_t p = view.position(s);
      const std::uint16_t step = static_cast<std::uint16_t>(p / 2);
      view.set(s, static_cast<std::uint16_t>(p + 1), servers_[s].duration[step]);
      if (log.events) log.events->push_back({TimePoint{} + Duration(now), true, s, step});
      if (log.starts) log.starts->push_back({s, step});
      moved(view, s, now, breach);
    }
    // The next instant at which a step ends.
    Word delta = std::numeric_limits<Word>::max();
    for (std::size_t s = 0; s < n_; ++s) {
      if (view.position(s) % 2 == 1) delta = std::min(delta, view.remaining(s));
    }
    if (delta == std::numeric_limits<Word>::max()) return breach;  // cannot happen: see settle
    const Word then = now + delta;
    // An outage reaching the limit before or at that instant.
    if (!breach) {
      Word first = std::numeric_limits<Word>::max();
      std::uint16_t who = sim::no_index;
      for (std::size_t s = 0; s < n_; ++s) {
        const Word since = view.down_since(s);
        if (since != up && since + limit_ <= then && since + limit_ < first) {
          first = since + limit_;
          who = static_cast<std::uint16_t>(s);
        }
      }
      if (who != sim::no_index) {
        breach = Breach{rules::backend_outage_limit, TimePoint{} + Duration(first), who};
      }
    }
    // Steps ending at `then`, in the order they started (then plan order).
    std::vector<std::pair<Word, std::uint16_t>> ending;
    for (std::size_t s = 0; s < n_; ++s) {
      const std::uint16_t p = view.position(s);
      if (p % 2 == 0) continue;
      const Word left = view.remaining(s) - delta;
      if (left > 0) {
        view.set(s, p, left);
        continue;
      }
      ending.emplace_back(then - servers_[s].duration[p / 2], static_cast<std::uint16_t>(s));
    }
    std::ranges::sort(ending);
    view.now() = then;
    for (const auto& [start, s] : ending) {
      const std::uint16_t p = view.position(s);
      view.set(s, static_cast<std::uint16_t>(p + 1), 0);
      if (log.events) {
        log.events->push_back(
            {TimePoint{} + Duration(then), false, s, static_cast<std::uint16_t>(p / 2)});
      }
      moved(view, s, then, breach);
    }
    if (!settle(view)) {
      // The plan's end: an outage never restored that reached the limit, or the window.
      for (std::size_t s = 0; s < n_ && !breach; ++s) {
        const Word since = view.down_since(s);
        if (since != up && then - since >= limit_) {
          breach = Breach{rules::backend_outage_limit, TimePoint{} + Duration(since + limit_),
                          static_cast<std::uint16_t>(s)};
        }
      }
      if (!breach && then > window_) {
        breach = Breach{rules::window_overrun, TimePoint{} + Duration(then), sim::no_index};
      }
    }
    return breach;
  }

  // Rebuilds the path to state `index`, then the breaking transition, then the rest of the
  // plan in plan order, logging every event and start.
  void record(std::size_t index, std::uint64_t choice, const Breach& breach) {
    std::vector<std::uint64_t> choices{choice};
    for (std::size_t at = index; parents_[at] != no_parent; at = parents_[at]) {
      choices.push_back(choices_[at]);
    }
    std::ranges::reverse(choices);
    std::vector<Word> words(words_, 0);
    StateView view(words.data());
    for (std::size_t s = 0; s < n_; ++s) {
      view.set(s, 0, 0);
      view.down_since(s) = up;
    }
    settle(view);
    for (std::size_t i = 0; i < choices.size(); ++i) {
      apply(view, waiting(view).first, choices[i], {&result_.counterexample, &result_.schedule});
    }
    // The rest of the plan, operators taking the waiting servers first in the plan.
    while (view.stage() < static_cast<Word>(plan_.stages.size())) {
      const auto [ready, free] = waiting(view);
      const std::size_t take = std::min(free, ready.size());
      apply(view, ready, take == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << take) - 1,
            {nullptr, &result_.schedule});
    }
    // The counterexample stops at the breach.
    std::erase_if(result_.counterexample,
                  [&](const VerifyEvent& e) { return e.time > breach.time; });
    result_.status = VerifyStatus::violated;
    result_.violation =
        Violation{breach.rule, breach.time, breach.server, sim::no_index, describe(breach)};
  }

  std::string describe(const Breach& breach) const {
    const model::Limits& limits = plan_.scenario->limits;
    const auto clock = [&](TimePoint t) { return format_clock(t, limits.window_start); };
    if (breach.rule == rules::window_overrun) {
      const TimePoint close = TimePoint{} + limits.window_length;
      return fmt::format(
          "in worst-case time the plan can end at {}, {} after the window closes "
          "at {}",
          clock(breach.time), format_duration(breach.time - close), clock(close));
    }
    const std::string& fqdn = plan_.servers[breach.server].target.fqdn;
    if (breach.rule == rules::backend_outage_limit) {
      return fmt::format(
          "in worst-case time {} can stay unavailable for {} or more, reaching "
          "the limit at {}",
          fqdn, format_duration(limits.backend_outage_limit), clock(breach.time));
    }
    if (breach.rule == rules::mirror_pair_down) {
      return fmt::format(
          "{} can become unavailable at {} while its mirror partner {} is "
          "unavailable",
          fqdn, clock(breach.time), plan_.servers[servers_[breach.server].partner].target.fqdn);
    }
    return fmt::format(
        "{} can become unavailable at {} while {} other servers are, more than "
        "the limit of {}",
        fqdn, clock(breach.time), *max_down_, *max_down_);
  }

  const model::ResolvedPlan& plan_;
  const VerifyOptions& options_;
  VerifyResult& result_;
  std::size_t n_ = 0;
  std::size_t words_ = 0;
  std::size_t operators_ = 0;
  std::optional<std::size_t> max_down_;
  Word limit_ = 0;
  Word window_ = 0;
  std::vector<ServerFacts> servers_;
  std::vector<Word> arena_;             // states, words_ each
  std::vector<std::uint32_t> parents_;  // per state: the state it came from
  std::vector<std::uint64_t> choices_;  // per state: the choice that led to it
  std::vector<std::uint32_t> slots_;    // open-addressing hash table of state indices
};

}  // namespace

std::optional<Duration> worst_case_duration(const model::ResolvedStep& step) {
  return detail::step_upper_bound(step);
}

VerifyResult verify_plan(const model::ResolvedPlan& plan, const VerifyOptions& options) {
  VerifyResult result;
  Search search(plan, options, result);
  search.run();
  return result;
}

}  // namespace lyncupdate::check
