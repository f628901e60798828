// Exhaustive plan checking in worst-case time: a breadth-first search over the choices
// operators make, with hashed states (verify.hpp).
//
// A state is taken at an instant when every step ending then has ended and no free operator
// has taken work yet. Its successor for one choice of servers to start: the chosen steps
// start (in plan order), time jumps to the next end of a running step, and every step ending
// then ends (in the order they started). This is the executor's own order of events at an
// instant (it hands out operators in a dispatch event queued behind the step ends), so a
// schedule found here replays in `simulate` with the same trace.
//
// The reduction (VerifyOptions::reduce) stores one state for states that no monitor can tell
// apart from here on, the first one the search reaches; their futures are the same (up to a
// shift in time), so the search visits states in the same order as without it, finds the
// same first violation along the same path, and the same longest window:
//  - a server that is unavailable but can no longer reach the outage limit in any ordering
//    forgets when it went down (normalise): only the outage monitor reads that time;
//  - a stage that starts with every server available, early enough that no ordering of the
//    rest of the plan can overrun the window (any time when the window is not part of the
//    proof: VerifyOptions::timing_limits), starts at one time whatever the time the
//    previous stage ended (rebase): from there the monitors see only time differences, and
//    the longest window adds the latest such start, kept apart per stage (frames).
//
// Symmetry (VerifyOptions::symmetry) stores one state for states that differ only by a
// permutation of interchangeable servers (classes_): servers of one stage with the same
// precomputed facts and no mirror partner; front ends also of one pool, one upgrade domain and
// one side of the quorum rule's "first N" (model::pool_quorum_rule), since the quorum and
// readiness answers count only how many front ends run in each of those groups
// (model/src/quorum.cpp). The hash table is keyed by the state with each class's per-server
// words sorted (key), but it stores the state as first reached: the search expands the same
// states in the same order as without symmetry, minus every state that permutes one stored
// before it, whose future is that state's future permuted. It finds the same first violation
// along the same path (an earlier permuted one would be an earlier violation of the stored
// state), the same longest window, and record() replays the stored choices as they are.
// That holds while a permutation keeps each transition's verdict. It keeps the state a
// transition ends in, but the moves of one instant run in plan order (starts) or start order
// (ends), so the states in between differ. Every check made in between is monotone (servers
// down, pool quorum, readiness: more servers down or stopped can only fail), so a transition
// that moves a member of a class is also judged on the worst mix of each server's state
// before and after its move at each instant (another_order_may_breach). If that could break
// an invariant where the actual order did not, merging is not exact for this plan, and the
// search starts over without symmetry (verify_plan).

#include "lyncupdate/checker/verify.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cstring>
#include <deque>
#include <limits>
#include <memory>
#include <numeric>

#include <fmt/format.h>

#include "analysis_parts.hpp"
#include "lyncupdate/checker/monitors.hpp"
#include "lyncupdate/model/fqdn.hpp"
#include "lyncupdate/model/mirror_failover.hpp"
#include "lyncupdate/model/quorum.hpp"

namespace lyncupdate::check {
namespace {

using Clock = std::chrono::steady_clock;
using Word = std::int64_t;

constexpr Word up = -1;  // down_since of a server that is available
// down_since of a server that is unavailable but can no longer reach the outage limit in any
// ordering (Search::normalise): when it went down is read by no monitor any more.
constexpr Word down_safely = -2;
constexpr std::uint16_t never = std::numeric_limits<std::uint16_t>::max();

// The per-server facts the search needs, precomputed.
struct ServerFacts {
  std::vector<Word> duration;  // worst-case duration of each step, ms
  // down[p]: unavailable at position p, where position 2k is "before step k" and 2k + 1
  // "step k running" (its start effects applied); 2 * steps is "done".
  std::vector<char> down;
  // work[k]: the worst-case durations of steps 0 to k - 1 summed.
  std::vector<Word> work;
  // up_step[p]: from position p, the server is available again once the steps before
  // up_step[p] have ended (and the next has started, if that is what restores it); never: it
  // stays unavailable to the end of its runbook.
  std::vector<std::uint16_t> up_step;
  std::size_t stage = 0;
  std::uint16_t partner = sim::no_index;
  // Back ends and Standard Edition servers: on_mirror[p]: its databases failed over to its
  // mirror (database_principal is mirror) at position p, which also leaves a principal's pool
  // without its quorum witness. Empty for front ends.
  std::vector<char> on_mirror;
  // Front ends: stopped[p]: its Lync services are stopped at position p; gate[k]: step k asks
  // for the pool's upgrade readiness. Empty for other roles.
  std::vector<char> stopped;
  std::vector<char> gate;
  // failover[k]: step k fails the pool's databases over to the mirror
  // (model::fails_over_to_mirror), judged when it starts.
  std::vector<char> failover;
  // The pool (topology index) whose quorum this server's moves can change, or -1.
  std::ptrdiff_t pool = -1;
  friend bool operator==(const ServerFacts&, const ServerFacts&) = default;
};

// Per pool: the planned server of each front end (topology order) and of the principal back
// end, or sim::no_index.
struct PoolFacts {
  std::vector<std::uint16_t> front_ends;
  std::uint16_t back_end = sim::no_index;
  std::size_t size = 0;
};

// A state as words: [now, stage, frame, then per server: position | remaining << 16,
// down_since]. frame: the stage whose start was rebased last (rebase), plus one; 0: none.
class StateView {
 public:
  explicit StateView(Word* words) : w_(words) {}
  Word& now() { return w_[0]; }
  Word& stage() { return w_[1]; }
  Word& frame() { return w_[2]; }
  std::uint16_t position(std::size_t s) const {
    return static_cast<std::uint16_t>(w_[3 + 2 * s] & 0xffff);
  }
  Word remaining(std::size_t s) const { return w_[3 + 2 * s] >> 16; }
  void set(std::size_t s, std::uint16_t position, Word remaining) {
    w_[3 + 2 * s] = static_cast<Word>(position) | (remaining << 16);
  }
  Word& down_since(std::size_t s) { return w_[4 + 2 * s]; }

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
  h *= 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 29);
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
  bool serving = false;  // mirror-pair-down: the server served the pool after a failover
  std::uint16_t step = sim::no_index;  // failover-to-unupdated-mirror: the step that started
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
    result.timing_limits = options.timing_limits;
    words_ = 3 + 2 * n_;
    const std::vector<std::uint16_t> partners = mirror_partners(plan);
    for (std::size_t s = 0; s < n_; ++s) {
      const model::ResolvedServer& server = plan.servers[s];
      ServerFacts facts;
      facts.stage = server.stage;
      facts.partner = partners[s];
      const bool front_end = server.target.role == model::Role::front_end;
      model::ServerState state = model::initial_server_state();
      const auto slot = static_cast<std::size_t>(model::StateVariable::backend);
      const auto services = static_cast<std::size_t>(model::StateVariable::lync_services);
      const auto principal = static_cast<std::size_t>(model::StateVariable::database_principal);
      const auto record_position = [&] {
        facts.down.push_back(state[slot] == model::values::unavailable ? 1 : 0);
        if (!front_end) {
          facts.on_mirror.push_back(state[principal] == model::values::on_mirror ? 1 : 0);
        }
        if (front_end) facts.stopped.push_back(state[services] == model::values::stopped ? 1 : 0);
      };
      record_position();
      for (const model::ResolvedStep& step : server.steps) {
        const auto bound = detail::step_upper_bound(step);
        facts.duration.push_back(bound ? bound->count() : 0);
        facts.failover.push_back(model::fails_over_to_mirror(step) ? 1 : 0);
        if (front_end) {
          facts.gate.push_back(step.definition->gate == model::Gate::pool_upgrade_readiness ? 1
                                                                                            : 0);
        }
        for (const auto& c : step.on_start) state[static_cast<std::size_t>(c.variable)] = c.value;
        record_position();
        for (const auto& c : step.on_finish) state[static_cast<std::size_t>(c.variable)] = c.value;
        record_position();
      }
      // Front ends and principal back ends move their pool's quorum.
      if (front_end ||
          (server.target.role != model::Role::standard_edition && !server.target.mirror)) {
        facts.pool = static_cast<std::ptrdiff_t>(server.target.index);
      }
      facts.work.push_back(0);
      for (const Word d : facts.duration) facts.work.push_back(facts.work.back() + d);
      facts.up_step.assign(facts.down.size(), never);
      for (std::size_t p = 0; p < facts.down.size(); ++p) {
        for (std::size_t q = p + 1; q < facts.down.size(); ++q) {
          if (facts.down[q] == 0) {
            facts.up_step[p] = static_cast<std::uint16_t>(q / 2);
            break;
          }
        }
      }
      servers_.push_back(std::move(facts));
    }
    const model::Topology& topology = plan.scenario->topology;
    pools_.resize(topology.pools.size());
    for (std::size_t p = 0; p < topology.pools.size(); ++p) {
      pools_[p].size = topology.pools[p].front_ends.size();
      pools_[p].front_ends.assign(pools_[p].size, sim::no_index);
    }
    for (std::size_t s = 0; s < n_; ++s) {
      const model::UpdateTarget& target = plan.servers[s].target;
      if (servers_[s].pool < 0) continue;
      if (target.role == model::Role::front_end) {
        pools_[target.index].front_ends[target.front_end] = static_cast<std::uint16_t>(s);
      } else {
        pools_[target.index].back_end = static_cast<std::uint16_t>(s);
      }
    }
    // The longest each stage can take from its start, and the latest start from which no
    // ordering of the rest of the plan overruns the window. Without the window in the proof
    // (timing_limits), no monitor reads the time: the latest start is then the longest the
    // stages before can take, so that every stage start with every server available is
    // rebased.
    const Word ops = static_cast<Word>(operators_);
    std::vector<Word> longest(plan.stages.size(), 0);
    for (std::size_t k = 0; k < plan.stages.size(); ++k) {
      Word total = 0;
      for (const std::size_t s : plan.stages[k]) total += servers_[s].work.back();
      for (const std::size_t s : plan.stages[k]) {
        const Word own = servers_[s].work.back();
        longest[k] = std::max(longest[k], own + (total - own + ops - 1) / ops);
      }
    }
    latest_safe_start_.assign(plan.stages.size() + 1, 0);
    latest_safe_start_.back() =
        options.timing_limits ? window_ : std::reduce(longest.begin(), longest.end(), Word{0});
    for (std::size_t k = plan.stages.size(); k-- > 0;) {
      latest_safe_start_[k] = latest_safe_start_[k + 1] - longest[k];
    }
    arrivals_.assign((plan.stages.size() + 1) * (plan.stages.size() + 1), -1);
    ends_.assign(plan.stages.size() + 1, -1);
    if (options.symmetry) find_classes();
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

  // Runs the search into the result, the time bound counted from `started`. False: symmetry
  // is not exact for this plan (the moves of one instant could break an invariant in an
  // order that merged states do not share; see the top of this file): discard the result.
  bool run(Clock::time_point started) {
    if (const std::string names = unbounded_steps(); !names.empty()) {
      result_.status = VerifyStatus::unbounded;
      result_.stop_reason = fmt::format(
          "no worst case: these steps have no upper bound (a lognormal without max_min): {}",
          names);
      return true;
    }
    for (const auto& stage : plan_.stages) {
      if (stage.size() > 64) {
        result_.status = VerifyStatus::incomplete;
        result_.stop_reason = "a stage has more than 64 servers; the search handles at most 64";
        return true;
      }
    }
    std::vector<Word> initial(words_, 0);
    StateView view(initial.data());
    for (std::size_t s = 0; s < n_; ++s) {
      view.set(s, 0, 0);
      view.down_since(s) = up;
    }
    settle(view);
    if (options_.reduce) normalise(view);
    if (!insert(initial.data(), no_parent, 0)) {
      result_.status = VerifyStatus::incomplete;
      result_.stop_reason = fmt::format("the memory bound of {} MiB cannot hold the first state",
                                        options_.max_memory >> 20);
      result_.elapsed = Clock::now() - started;
      return true;
    }
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
    if (order_sensitive_) return false;
    if (result_.status == VerifyStatus::proved) result_.longest_window = Duration(longest());
    return true;
  }

 private:
  static constexpr std::uint32_t no_parent = std::numeric_limits<std::uint32_t>::max();

  // States are stored in blocks that never move, so storing one never copies the others.
  static constexpr std::size_t block_bits = 14;
  static constexpr std::size_t block_states = std::size_t{1} << block_bits;

  const Word* state(std::size_t index) const {
    return blocks_[index >> block_bits].get() + (index & (block_states - 1)) * words_;
  }

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

  // The state's key in the hash table: with symmetry, the per-server words of each class
  // sorted (into `out`), one key for every permutation of the class's servers.
  const Word* key(const Word* words, std::vector<Word>& out) const {
    if (classes_.empty()) return words;
    out.assign(words, words + words_);
    for (const std::vector<std::uint16_t>& members : classes_) {
      // Insertion sort of (position | remaining, down_since) pairs: classes are small.
      const auto at = [&](std::size_t i) { return out.begin() + 3 + 2 * std::size_t{members[i]}; };
      for (std::size_t i = 1; i < members.size(); ++i) {
        const std::pair<Word, Word> moving{at(i)[0], at(i)[1]};
        std::size_t j = i;
        for (; j > 0 && std::pair<Word, Word>{at(j - 1)[0], at(j - 1)[1]} > moving; --j) {
          std::copy_n(at(j - 1), 2, at(j));
        }
        at(j)[0] = moving.first;
        at(j)[1] = moving.second;
      }
    }
    return out.data();
  }

  // Stores a new state, as it is; false if it, or with symmetry a permutation of it, was
  // known.
  // The bytes the stored states take now, hash table and per-state vectors included.
  std::uint64_t memory_used() const {
    return blocks_.size() * block_states * words_ * sizeof(Word) +
           parents_.capacity() * sizeof(std::uint32_t) +
           (choices_.capacity() + hashes_.capacity() + slots_.capacity()) * sizeof(std::uint64_t);
  }

  // What storing one more state would allocate on top of memory_used(): a block of states, a
  // doubled hash table (the old one is freed only after the copy), the per-state vectors
  // grown.
  std::uint64_t memory_needed_for_one_more() const {
    std::uint64_t more = 0;
    const std::size_t index = parents_.size();
    if ((index & (block_states - 1)) == 0) more += block_states * words_ * sizeof(Word);
    if (slots_.empty() || (index + 1) * 2 > slots_.size()) {
      more += std::max<std::size_t>(1024, slots_.size() * 2) * sizeof(std::uint64_t);
    }
    if (parents_.size() == parents_.capacity()) {
      const std::uint64_t grown = std::max<std::size_t>(1, parents_.capacity());
      more += grown * (sizeof(std::uint32_t) + 2 * sizeof(std::uint64_t));
    }
    return more;
  }

  // Whether storing one more state would go past VerifyOptions::max_memory; then the search
  // stops (expand reads memory_exhausted_) rather than the process failing to allocate.
  bool over_memory() {
    if (memory_used() + memory_needed_for_one_more() <= options_.max_memory) return false;
    memory_exhausted_ = true;
    return true;
  }

  bool insert(const Word* words, std::uint32_t parent, std::uint64_t choice) {
    if (over_memory()) return false;
    if (slots_.empty() || (parents_.size() + 1) * 2 > slots_.size()) grow();
    const std::uint64_t mask = slots_.size() - 1;
    const Word* wanted = key(words, key_);
    const std::uint64_t hash = hash_words(wanted, words_);
    // A slot holds the state's index plus one (0: empty) and the high half of its hash, so
    // that most mismatches are told apart without reading the state.
    const std::uint64_t tag = hash & ~std::uint64_t{0xffffffff};
    for (std::uint64_t at = hash & mask;; at = (at + 1) & mask) {
      const std::uint64_t slot = slots_[at];
      if (slot == 0) {
        const std::size_t index = parents_.size();
        slots_[at] = tag | (index + 1);
        if ((index & (block_states - 1)) == 0) {
          blocks_.push_back(std::make_unique_for_overwrite<Word[]>(block_states * words_));
        }
        std::memcpy(blocks_.back().get() + (index & (block_states - 1)) * words_, words,
                    words_ * sizeof(Word));
        parents_.push_back(parent);
        choices_.push_back(choice);
        hashes_.push_back(hash);
        return true;
      }
      if ((slot & ~std::uint64_t{0xffffffff}) == tag &&
          std::memcmp(key(state((slot & 0xffffffff) - 1), stored_key_), wanted,
                      words_ * sizeof(Word)) == 0) {
        return false;
      }
    }
  }

  void grow() {
    std::vector<std::uint64_t> slots(std::max<std::size_t>(1024, slots_.size() * 2), 0);
    const std::uint64_t mask = slots.size() - 1;
    for (std::size_t i = 0; i < parents_.size(); ++i) {
      const std::uint64_t hash = hashes_[i];
      std::uint64_t at = hash & mask;
      while (slots[at] != 0) at = (at + 1) & mask;
      slots[at] = (hash & ~std::uint64_t{0xffffffff}) | (i + 1);
    }
    slots_ = std::move(slots);
  }

  // Interchangeable servers (see the top of this file): per stage, servers without a mirror
  // partner whose facts are the same, front ends also of one pool, one upgrade domain and one
  // side of the quorum rule's "first N". Classes of one server are left out.
  void find_classes() {
    const model::Topology& topology = plan_.scenario->topology;
    const auto same_group = [&](std::size_t s, std::size_t t) {
      const model::UpdateTarget& a = plan_.servers[s].target;
      const model::UpdateTarget& b = plan_.servers[t].target;
      if (a.role != b.role) return false;
      if (a.role != model::Role::front_end) return true;
      const std::size_t first =
          model::pool_quorum_rule(topology.pools[a.index].front_ends.size()).among_first;
      return a.index == b.index && a.upgrade_domain == b.upgrade_domain &&
             (a.front_end < first) == (b.front_end < first);
    };
    in_class_.assign(n_, 0);
    for (const std::vector<std::size_t>& stage : plan_.stages) {
      std::vector<std::vector<std::uint16_t>> found;
      for (const std::size_t s : stage) {
        if (servers_[s].partner != sim::no_index) continue;
        const auto it = std::ranges::find_if(found, [&](const std::vector<std::uint16_t>& c) {
          return same_group(c.front(), s) && servers_[c.front()] == servers_[s];
        });
        if (it == found.end()) {
          found.push_back({static_cast<std::uint16_t>(s)});
        } else {
          it->push_back(static_cast<std::uint16_t>(s));
        }
      }
      for (std::vector<std::uint16_t>& members : found) {
        if (members.size() < 2) continue;
        std::ranges::sort(members);
        for (const std::uint16_t s : members) in_class_[s] = 1;
        classes_.push_back(std::move(members));
      }
    }
  }

  // Whether the transition from `before` to `after` (the servers of `ready` that `choice`
  // picks start, then steps end) could break an invariant with its moves at each instant in
  // another order, when the order taken did not (see the top of this file). Judged when a
  // member of a class moves; otherwise a permutation makes the same moves in the same order.
  bool another_order_may_breach(const Word* before, const Word* after,
                                const std::vector<std::uint16_t>& ready, std::uint64_t choice) {
    const auto position = [](const Word* words, std::size_t s) {
      return static_cast<std::uint16_t>(words[3 + 2 * s] & 0xffff);
    };
    // Per server: its position before, after the starts, and after the ends.
    std::vector<std::uint16_t>& at = positions_;
    at.resize(3 * n_);
    for (std::size_t s = 0; s < n_; ++s) {
      at[3 * s] = at[3 * s + 1] = position(before, s);
      at[3 * s + 2] = position(after, s);
    }
    for (std::size_t i = 0; i < ready.size(); ++i) {
      if ((choice >> i & 1) != 0) ++at[3 * std::size_t{ready[i]} + 1];
    }
    bool involved = false;
    for (std::size_t s = 0; s < n_ && !involved; ++s) {
      involved = in_class_[s] != 0 && at[3 * s] != at[3 * s + 2];
    }
    return involved && (instant_may_breach(0) || instant_may_breach(1));
  }

  // Whether the moves of one instant (0: the starts, 1: the ends), from positions_[3s + i] to
  // positions_[3s + i + 1], could break an invariant in some order: every check there is
  // monotone, so each is judged where every server is as down and stopped as it is on either
  // side of its move. Mirror pairs are left out: their servers are in no class, and so keep
  // their order.
  bool instant_may_breach(std::size_t instant) {
    worst_down_.assign(n_, 0);
    worst_stopped_.assign(n_, 0);
    bool down_going = false;
    std::size_t down = 0;
    for (std::size_t s = 0; s < n_; ++s) {
      const ServerFacts& facts = servers_[s];
      const std::uint16_t from = positions_[3 * s + instant];
      const std::uint16_t to = positions_[3 * s + instant + 1];
      worst_down_[s] = static_cast<char>(facts.down[from] != 0 || facts.down[to] != 0);
      if (!facts.stopped.empty()) {
        worst_stopped_[s] = static_cast<char>(facts.stopped[from] != 0 || facts.stopped[to] != 0);
      }
      down_going = down_going || (facts.down[from] == 0 && facts.down[to] != 0);
      down += worst_down_[s] != 0 ? 1U : 0U;
    }
    if (max_down_ && down_going && down > *max_down_) return true;
    const auto stopped = [&](std::uint16_t t) { return worst_stopped_[t] != 0; };
    for (std::size_t s = 0; s < n_; ++s) {
      const ServerFacts& facts = servers_[s];
      const std::uint16_t from = positions_[3 * s + instant];
      if (facts.pool < 0 || from == positions_[3 * s + instant + 1]) continue;
      const auto p = static_cast<std::size_t>(facts.pool);
      const std::uint16_t back_end = pools_[p].back_end;
      const bool back_end_available =
          back_end == sim::no_index ||
          (worst_down_[back_end] == 0 && !on_mirror_either_side(back_end, instant));
      if (!pool_runs(p, stopped, back_end_available, std::numeric_limits<std::size_t>::max())) {
        return true;
      }
      if (instant == 0 && !facts.gate.empty() && facts.gate[from / 2] != 0 &&
          !pool_runs(p, stopped, back_end_available, s)) {
        return true;
      }
    }
    return false;
  }

  // Servers of the current stage waiting for an operator (into `ready`), and how many
  // operators are free.
  std::size_t waiting(StateView& view, std::vector<std::uint16_t>& ready) const {
    ready.clear();
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
    return operators_ > running ? operators_ - running : 0;
  }

  // Expands state `index`; true when the search is over.
  bool expand(std::size_t index, std::vector<Word>& next) {
    std::vector<Word>& current = current_;
    current.assign(state(index), state(index) + words_);
    StateView view(current.data());
    if (view.stage() >= static_cast<Word>(plan_.stages.size())) {
      // The plan's end: the longest window is the latest end (per frame; see longest()).
      Word& end = ends_[static_cast<std::size_t>(view.frame())];
      end = std::max(end, view.now());
      return false;
    }
    std::vector<std::uint16_t>& ready = ready_;
    const std::size_t free = waiting(view, ready);
    const std::size_t take = std::min(free, ready.size());
    if (take < ready.size() && take > 0) ++result_.choice_points;
    // Every choice of `take` waiting servers, in lexicographic order.
    std::vector<std::size_t>& pick = pick_;
    pick.resize(take);
    for (std::size_t i = 0; i < take; ++i) pick[i] = i;
    for (;;) {
      std::uint64_t choice = 0;
      for (const std::size_t i : pick) choice |= std::uint64_t{1} << i;
      std::copy(current.begin(), current.end(), next.begin());
      StateView successor(next.data());
      ++result_.transitions;
      if (apply(successor, ready, choice, {}, true)) {
        record(index, choice);
        return true;
      }
      if (!classes_.empty() &&
          another_order_may_breach(current.data(), next.data(), ready, choice)) {
        order_sensitive_ = true;
        return true;
      }
      if (insert(next.data(), static_cast<std::uint32_t>(index), choice) &&
          parents_.size() >= options_.max_states) {
        result_.status = VerifyStatus::incomplete;
        result_.stop_reason =
            fmt::format("the bound of {} states was reached", options_.max_states);
        return true;
      }
      if (memory_exhausted_) {
        result_.status = VerifyStatus::incomplete;
        result_.stop_reason = fmt::format("the memory bound of {} MiB was reached after {} states",
                                          options_.max_memory >> 20,
                                          format_count(static_cast<std::int64_t>(parents_.size())));
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

  // Whether pool `p` keeps running (model::pool_keeps_running) in `view`; with `without`, a
  // front end, as if its whole upgrade domain were stopped too (the readiness gate's
  // question, sim::World::upgrade_domain_may_stop).
  bool pool_keeps_running(StateView& view, std::size_t p,
                          std::size_t without = std::numeric_limits<std::size_t>::max()) const {
    const PoolFacts& pool = pools_[p];
    return pool_runs(
        p, [&](std::uint16_t t) { return servers_[t].stopped[view.position(t)] != 0; },
        witness_available(view, pool.back_end), without);
  }

  // Whether a pool's quorum witness, its principal back end `back_end` (no_index: not
  // planned, always up), is up and has not failed over to its mirror in `view`
  // (sim::World::witness_available).
  bool witness_available(StateView& view, std::uint16_t back_end) const {
    return back_end == sim::no_index ||
           (view.down_since(back_end) == up &&
            servers_[back_end].on_mirror[view.position(back_end)] == 0);
  }

  // Whether principal `back_end` is failed over to its mirror on either side of its move in
  // `instant` (instant_may_breach's worst case).
  bool on_mirror_either_side(std::uint16_t back_end, std::size_t instant) const {
    const std::vector<char>& on_mirror = servers_[back_end].on_mirror;
    return on_mirror[positions_[3 * back_end + instant]] != 0 ||
           on_mirror[positions_[3 * back_end + instant + 1]] != 0;
  }

  // The same question, with `stopped(t)` telling whether planned front end t is stopped.
  template <class Stopped>
  bool pool_runs(std::size_t p, Stopped stopped, bool back_end_available,
                 std::size_t without) const {
    const PoolFacts& pool = pools_[p];
    std::array<bool, 16> running{};
    for (std::size_t f = 0; f < pool.size && f < running.size(); ++f) {
      const std::uint16_t t = pool.front_ends[f];
      running[f] = t == sim::no_index || !stopped(t);
    }
    const std::span<const bool> front_ends(running.data(), std::min(pool.size, running.size()));
    if (without != std::numeric_limits<std::size_t>::max()) {
      return model::upgrade_domain_may_stop(plan_.scenario->topology.pools[p], front_ends,
                                            plan_.servers[without].target.upgrade_domain,
                                            back_end_available);
    }
    return model::pool_keeps_running(pool.size, front_ends, back_end_available);
  }

  // Whether server s's mirror partner has finished its runbook; false when the plan does not
  // update it (model::fails_over_to_unupdated_mirror).
  bool mirror_updated(StateView& view, std::size_t s) const {
    const std::uint16_t partner = servers_[s].partner;
    return partner != sim::no_index &&
           view.position(partner) == 2 * plan_.servers[partner].steps.size();
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
    // The mirror serves the pool since its principal failed over to it (DOMAIN.md section 4).
    if (facts.partner != sim::no_index &&
        servers_[facts.partner].on_mirror[view.position(facts.partner)] != 0) {
      breach = Breach{rules::mirror_pair_down, at, static_cast<std::uint16_t>(s), true};
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
                              std::uint64_t choice, Log log, bool reducing) {
    std::optional<Breach> breach;
    const Word now = view.now();
    const Word stage_before = view.stage();
    for (std::size_t i = 0; i < ready.size(); ++i) {
      if ((choice >> i & 1) == 0) continue;
      const std::uint16_t s = ready[i];
      const std::uint16_t p = view.position(s);
      const std::uint16_t step = static_cast<std::uint16_t>(p / 2);
      view.set(s, static_cast<std::uint16_t>(p + 1), servers_[s].duration[step]);
      if (log.events) log.events->push_back({TimePoint{} + Duration(now), true, s, step});
      if (log.starts) log.starts->push_back({s, step});
      moved(view, s, now, breach);
      if (!breach && servers_[s].failover[step] != 0 &&
          model::fails_over_to_unupdated_mirror(plan_.servers[s].steps[step],
                                                mirror_updated(view, s))) {
        breach = Breach{rules::failover_to_unupdated_mirror, TimePoint{} + Duration(now), s, false,
                        step};
      }
      if (!breach && servers_[s].pool >= 0) {
        if (!servers_[s].gate.empty() && servers_[s].gate[step] != 0 &&
            !pool_keeps_running(view, static_cast<std::size_t>(servers_[s].pool), s)) {
          breach = Breach{rules::upgrade_readiness, TimePoint{} + Duration(now), s};
        } else if (!pool_keeps_running(view, static_cast<std::size_t>(servers_[s].pool))) {
          breach = Breach{rules::pool_quorum, TimePoint{} + Duration(now), s};
        }
      }
    }
    // The next instant at which a step ends.
    Word delta = std::numeric_limits<Word>::max();
    for (std::size_t s = 0; s < n_; ++s) {
      if (view.position(s) % 2 == 1) delta = std::min(delta, view.remaining(s));
    }
    if (delta == std::numeric_limits<Word>::max()) return breach;  // cannot happen: see settle
    const Word then = now + delta;
    // An outage reaching the limit before or at that instant.
    if (!breach && options_.timing_limits) {
      Word first = std::numeric_limits<Word>::max();
      std::uint16_t who = sim::no_index;
      for (std::size_t s = 0; s < n_; ++s) {
        const Word since = view.down_since(s);
        if (since >= 0 && !plan_.servers[s].target.mirror && since + limit_ <= then &&
            since + limit_ < first) {
          first = since + limit_;
          who = static_cast<std::uint16_t>(s);
        }
      }
      if (who != sim::no_index) {
        breach = Breach{rules::backend_outage_limit, TimePoint{} + Duration(first), who};
      }
    }
    // Steps ending at `then`, in the order they started (then plan order).
    std::vector<std::pair<Word, std::uint16_t>>& ending = ending_;
    ending.clear();
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
    if (ending.size() > 1) std::ranges::sort(ending);
    view.now() = then;
    for (const auto& [start, s] : ending) {
      const std::uint16_t p = view.position(s);
      view.set(s, static_cast<std::uint16_t>(p + 1), 0);
      if (log.events) {
        log.events->push_back(
            {TimePoint{} + Duration(then), false, s, static_cast<std::uint16_t>(p / 2)});
      }
      moved(view, s, then, breach);
      if (!breach && servers_[s].pool >= 0 &&
          !pool_keeps_running(view, static_cast<std::size_t>(servers_[s].pool))) {
        breach = Breach{rules::pool_quorum, TimePoint{} + Duration(then), s};
      }
    }
    if (!settle(view)) {
      // The plan's end: an outage never restored that reached the limit, or the window.
      for (std::size_t s = 0; s < n_ && !breach && options_.timing_limits; ++s) {
        const Word since = view.down_since(s);
        if (since >= 0 && !plan_.servers[s].target.mirror && then - since >= limit_) {
          breach = Breach{rules::backend_outage_limit, TimePoint{} + Duration(since + limit_),
                          static_cast<std::uint16_t>(s)};
        }
      }
      if (!breach && options_.timing_limits && then > window_) {
        breach = Breach{rules::window_overrun, TimePoint{} + Duration(then), sim::no_index};
      }
    }
    if (reducing && options_.reduce) {
      normalise(view);
      if (view.stage() != stage_before && !breach) rebase(view);
    }
    return breach;
  }

  // A stage starting with every server available, early enough that no ordering of the rest
  // of the plan overruns the window, starts at the latest such time instead: the state is then
  // the same whatever the previous stages took. The start it replaces is kept as an arrival
  // in the new frame from the old one, for the longest window.
  void rebase(StateView& view) {
    const auto stage = static_cast<std::size_t>(view.stage());
    if (stage >= plan_.stages.size() || view.now() > latest_safe_start_[stage]) return;
    for (std::size_t s = 0; s < n_; ++s) {
      if (view.down_since(s) != up) return;
    }
    Word& arrival =
        arrivals_[(stage + 1) * (plan_.stages.size() + 1) + static_cast<std::size_t>(view.frame())];
    arrival = std::max(arrival, view.now());
    view.now() = latest_safe_start_[stage];
    view.frame() = static_cast<Word>(stage + 1);
  }

  // The longest window: a rebased stage start is as late as the latest arrival it stands for
  // (in real time: the arrival's frame shifted by that frame's offset), and every time in its
  // frame shifts by as much as that start moved.
  Word longest() const {
    const std::size_t frames = plan_.stages.size() + 1;
    std::vector<Word> offset(frames, 0);
    std::vector<char> reached(frames, 0);
    reached[0] = 1;
    Word latest = 0;
    for (std::size_t f = 0; f < frames; ++f) {
      if (f > 0) {
        Word start = -1;
        for (std::size_t from = 0; from < f; ++from) {
          const Word arrival = arrivals_[f * frames + from];
          if (reached[from] && arrival >= 0) start = std::max(start, arrival + offset[from]);
        }
        if (start < 0) continue;
        reached[f] = 1;
        offset[f] = start - latest_safe_start_[f - 1];
      }
      if (ends_[f] >= 0) latest = std::max(latest, ends_[f] + offset[f]);
    }
    return latest;
  }

  // The worst-case work left on server s: the rest of its running step and every step after.
  Word work_left(StateView& view, std::size_t s) const {
    const ServerFacts& facts = servers_[s];
    const std::uint16_t p = view.position(s);
    if (p % 2 == 1) return view.remaining(s) + facts.work.back() - facts.work[p / 2 + 1];
    return facts.work.back() - facts.work[p / 2];
  }

  // Forgets when a server went down once no ordering can keep it down for the outage limit.
  // While a server waits for an operator, every operator is busy on another server of its
  // stage (operators never idle while a server waits), so before it is available again at
  // most its own steps up to then run, plus the other servers' work left shared by the
  // operators: it is back by now + own + others / operators. If that is under the limit from
  // when it went down, no ordering breaks the limit on it, and no other monitor reads the time
  // it went down: states that differ only in that time behave alike, and are one state.
  void normalise(StateView& view) const {
    const auto stage = static_cast<std::size_t>(view.stage());
    if (stage >= plan_.stages.size()) return;
    if (!options_.timing_limits) {
      // No monitor reads when a server went down.
      for (std::size_t s = 0; s < n_; ++s) {
        if (view.down_since(s) >= 0) view.down_since(s) = down_safely;
      }
      return;
    }
    Word others = -1;  // the stage's work left, computed when first needed
    const Word ops = static_cast<Word>(operators_);
    for (const std::size_t s : plan_.stages[stage]) {
      const Word since = view.down_since(s);
      if (since < 0) continue;
      const ServerFacts& facts = servers_[s];
      const std::uint16_t p = view.position(s);
      const std::uint16_t j = facts.up_step[p];
      if (j == never) continue;
      const Word own = p % 2 == 1 ? view.remaining(s) + facts.work[j] - facts.work[p / 2 + 1]
                                  : facts.work[j] - facts.work[p / 2];
      if (others < 0) {
        others = 0;
        for (const std::size_t t : plan_.stages[stage]) others += work_left(view, t);
      }
      const Word rest = others - work_left(view, s);
      if ((view.now() - since + own) * ops + rest < limit_ * ops) view.down_since(s) = down_safely;
    }
  }

  // Rebuilds the path to state `index`, then the breaking transition, then the rest of the
  // plan in plan order, logging every event and start.
  void record(std::size_t index, std::uint64_t choice) {
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
    result_.depth = choices.size();
    // In real time: without rebasing the stage starts (the breach is the same up to the shift).
    std::optional<Breach> found;
    for (std::size_t i = 0; i < choices.size(); ++i) {
      waiting(view, ready_);
      found = apply(view, ready_, choices[i], {&result_.counterexample, &result_.schedule}, false);
    }
    const Breach breach = *found;
    // The rest of the plan, operators taking the waiting servers first in the plan.
    while (view.stage() < static_cast<Word>(plan_.stages.size())) {
      const std::size_t free = waiting(view, ready_);
      const std::size_t take = std::min(free, ready_.size());
      apply(view, ready_, take == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << take) - 1,
            {nullptr, &result_.schedule}, false);
    }
    // The counterexample stops at the breach.
    std::erase_if(result_.counterexample,
                  [&](const VerifyEvent& e) { return e.time > breach.time; });
    result_.status = VerifyStatus::violated;
    result_.violation =
        Violation{breach.rule, breach.time, breach.server, breach.step, describe(breach)};
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
    if (breach.rule == rules::pool_quorum || breach.rule == rules::upgrade_readiness) {
      const std::string& pool =
          plan_.scenario->topology.pools[static_cast<std::size_t>(servers_[breach.server].pool)]
              .fqdn;
      return breach.rule == rules::pool_quorum
                 ? fmt::format(
                       "pool {} can lose quorum at {} ({} changes state): too few of its "
                       "front ends run, or its back end, the quorum witness, is down with "
                       "no majority of front ends running",
                       pool, clock(breach.time), fqdn)
                 : fmt::format(
                       "at {} the readiness check on {} can find pool {} unable to spare "
                       "its upgrade domain (InsufficientActiveFrontEnds): the plan stops",
                       clock(breach.time), fqdn, pool);
    }
    if (breach.rule == rules::failover_to_unupdated_mirror) {
      const model::UpdateTarget& target = plan_.servers[breach.server].target;
      const std::optional<std::string>& mirror =
          plan_.scenario->topology.pools[target.index].back_end.mirror;
      const std::uint16_t partner = servers_[breach.server].partner;
      return fmt::format(
          "{} can start {} at {}, failing the databases of pool {} over to {} {} (DOMAIN.md "
          "section 4: update the mirror first)",
          fqdn, plan_.servers[breach.server].steps[breach.step].definition->id, clock(breach.time),
          target.pool_fqdn, mirror ? *mirror : std::string("the mirror"),
          partner == sim::no_index ? "when the plan does not update it"
                                   : "before its update has finished");
    }
    if (breach.rule == rules::mirror_pair_down && breach.serving) {
      return fmt::format(
          "{} can become unavailable at {} while it serves the pool's databases, {} having "
          "failed over to it",
          fqdn, clock(breach.time), plan_.servers[servers_[breach.server].partner].target.fqdn);
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
  std::vector<PoolFacts> pools_;
  // Per stage: the latest start from which no ordering overruns the window (rebase).
  std::vector<Word> latest_safe_start_;
  // arrivals_[to * frames + from]: the latest real stage start, in frame `from`'s time, that a
  // rebase replaced by the start of frame `to`; ends_[f]: the latest plan end in frame f.
  std::vector<Word> arrivals_;
  std::vector<Word> ends_;
  std::vector<std::unique_ptr<Word[]>> blocks_;  // states, words_ each
  std::vector<std::uint32_t> parents_;           // per state: the state it came from
  std::vector<std::uint64_t> choices_;           // per state: the choice that led to it
  std::vector<std::uint64_t> hashes_;            // per state: the hash of its key
  std::vector<std::uint64_t> slots_;             // open-addressing hash table (insert)
  // Interchangeable servers (symmetry; see the top of this file), each class in plan order,
  // and per server whether it is in one.
  std::vector<std::vector<std::uint16_t>> classes_;
  std::vector<char> in_class_;
  // A transition whose moves could break an invariant in another order at their instant:
  // symmetry is not exact for this plan (another_order_may_breach).
  bool order_sensitive_ = false;
  // Storing one more state would have gone past VerifyOptions::max_memory (over_memory).
  bool memory_exhausted_ = false;
  // Scratch space, reused from state to state.
  std::vector<Word> current_;
  std::vector<std::uint16_t> ready_;
  std::vector<std::size_t> pick_;
  std::vector<std::pair<Word, std::uint16_t>> ending_;
  std::vector<Word> key_;
  std::vector<Word> stored_key_;
  std::vector<std::uint16_t> positions_;
  std::vector<char> worst_down_;
  std::vector<char> worst_stopped_;
};

}  // namespace

std::optional<Duration> worst_case_duration(const model::ResolvedStep& step) {
  return detail::step_upper_bound(step);
}

std::uint64_t verify_state_bytes(const model::ResolvedPlan& plan) {
  const std::uint64_t words = 3 + 2 * plan.servers.size();
  return words * sizeof(Word) + sizeof(std::uint32_t) + 2 * sizeof(std::uint64_t) +
         4 * sizeof(std::uint64_t);
}

VerifyResult verify_plan(const model::ResolvedPlan& plan, const VerifyOptions& options) {
  const Clock::time_point started = Clock::now();
  VerifyResult result;
  if (Search(plan, options, result).run(started)) return result;
  // Symmetry is not exact for this plan (see the top of this file): start over without it,
  // within what is left of the time bound.
  VerifyOptions plain = options;
  plain.symmetry = false;
  result = {};
  Search(plan, plain, result).run(started);
  return result;
}

std::string_view status_name(VerifyStatus status) {
  switch (status) {
    case VerifyStatus::proved:
      return "proved";
    case VerifyStatus::violated:
      return "violated";
    case VerifyStatus::incomplete:
      return "incomplete";
    case VerifyStatus::unbounded:
      return "unbounded";
  }
  return "unknown";
}

}  // namespace lyncupdate::check
