#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include "lyncupdate/model/fqdn.hpp"
#include "readers.hpp"
#include "values.hpp"

namespace lyncupdate::loader::detail {
namespace {

using namespace std::string_view_literals;
using Kind = model::Distribution::Kind;

constexpr std::array timing_required{"steps"sv};
constexpr std::array timing_optional{"servers"sv, "automatic_failover"sv, "assumed"sv};

// The parameters of each distribution, all in minutes.
struct DistributionShape {
  Kind kind;
  std::array<std::string_view, 4> required;  // "distribution" and the parameters
  std::size_t required_count;
};

constexpr std::array distribution_shapes{
    DistributionShape{Kind::fixed, {"distribution"sv, "minutes"sv}, 2},
    DistributionShape{Kind::uniform, {"distribution"sv, "low_min"sv, "high_min"sv}, 3},
    DistributionShape{
        Kind::triangular, {"distribution"sv, "low_min"sv, "mode_min"sv, "high_min"sv}, 4},
    DistributionShape{Kind::lognormal, {"distribution"sv, "median_min"sv, "p95_min"sv}, 3},
};
constexpr std::array probability_key{"failure_probability"sv, "drain_per_1000_users_min"sv};
// A lognormal is unbounded above; `max_min` bounds it so that a worst case can be proved.
constexpr std::array lognormal_optional{"failure_probability"sv, "drain_per_1000_users_min"sv,
                                        "max_min"sv};
constexpr std::array all_parameters{"minutes"sv,    "low_min"sv, "mode_min"sv, "high_min"sv,
                                    "median_min"sv, "p95_min"sv, "max_min"sv};
constexpr std::array parameters_and_probability{"failure_probability"sv,
                                                "drain_per_1000_users_min"sv,
                                                "minutes"sv,
                                                "low_min"sv,
                                                "mode_min"sv,
                                                "high_min"sv,
                                                "median_min"sv,
                                                "p95_min"sv,
                                                "max_min"sv};
constexpr std::array distribution_key{"distribution"sv};

const DistributionShape* find_shape(std::string_view name) {
  const auto it = std::ranges::find_if(distribution_shapes, [name](const DistributionShape& shape) {
    return model::distribution_name(shape.kind) == name;
  });
  return it == distribution_shapes.end() ? nullptr : &*it;
}

class TimingReader {
 public:
  TimingReader(const std::vector<std::string>* step_ids, const model::Topology* topology,
               Problems& problems)
      : step_ids_(step_ids), topology_(topology), problems_(problems) {}

  model::TimingModel read(const Json& value, const Place& at) {
    model::TimingModel timing;
    if (!check_object(value, at, {timing_required, timing_optional}, problems_)) return timing;
    if (const Json* steps = member(value, "steps")) timing.steps = read_steps(*steps, at / "steps");
    if (const Json* servers = member(value, "servers")) {
      read_servers(*servers, at / "servers", timing);
    }
    // A witness's automatic failover (DOMAIN.md section 2): a duration and how often it does not
    // happen; no drain, since no step of an operator runs.
    if (const Json* failover = member(value, "automatic_failover")) {
      const Place place = at / "automatic_failover";
      if (member(*failover, "drain_per_1000_users_min") != nullptr) {
        problems_.report(place / "drain_per_1000_users_min",
                         "an automatic failover drains no sessions; expected only a distribution "
                         "and failure_probability");
      } else if (auto read = read_step_timing(*failover, place)) {
        timing.automatic_failover = *read;
      }
    }
    if (const Json* assumed = member(value, "assumed")) {
      if (auto text = read_non_empty_string(*assumed, at / "assumed", problems_)) {
        timing.assumed = *text;
      }
    }
    return timing;
  }

 private:
  using StepTimings = std::map<std::string, model::StepTiming, std::less<>>;

  StepTimings read_steps(const Json& value, const Place& at) {
    StepTimings timings;
    if (!value.is_object()) {
      problems_.report(at, fmt::format("expected an object mapping step ids to timing, got {}",
                                       describe(value)));
      return timings;
    }
    for (const auto& [id, timing_value] : value.items()) {
      const Place place = at / id;
      if (step_ids_ != nullptr && std::ranges::find(*step_ids_, id) == step_ids_->end()) {
        problems_.report(place,
                         fmt::format("unknown step {}; the runbook's steps are: {}{}", quote(id),
                                     quoted_list(*step_ids_), suggestion(id, *step_ids_)));
      }
      if (auto timing = read_step_timing(timing_value, place)) timings.emplace(id, *timing);
    }
    return timings;
  }

  void read_servers(const Json& value, const Place& at, model::TimingModel& timing) {
    if (!value.is_object()) {
      problems_.report(at, fmt::format("expected an object mapping server FQDNs to step timing, "
                                       "got {}",
                                       describe(value)));
      return;
    }
    std::map<std::string, std::string> targets;  // fqdn key -> the topology's spelling
    if (topology_ != nullptr) {
      for (const auto& target : model::update_targets(*topology_)) {
        targets.emplace(model::fqdn_key(target.fqdn), target.fqdn);
      }
    }
    std::map<std::string, std::string> first_at;  // fqdn key -> pointer
    for (const auto& [fqdn, steps] : value.items()) {
      const Place place = at / fqdn;
      // Stored under the topology's spelling: the simulator looks timing up by exact FQDN.
      std::string name = fqdn;
      if (topology_ != nullptr) {
        const auto found = targets.find(model::fqdn_key(fqdn));
        if (found == targets.end()) {
          problems_.report(place, fmt::format("unknown server {}; expected the FQDN of a back end, "
                                              "mirror, Standard Edition server or front end in "
                                              "the topology",
                                              quote(fqdn)));
        } else if (const auto [it, inserted] = first_at.emplace(found->first, place.pointer);
                   !inserted) {
          problems_.report(
              place, fmt::format("duplicate server {} (already at {})", quote(fqdn), it->second));
        } else {
          name = found->second;
        }
      }
      timing.servers[name] = read_steps(steps, place);
    }
  }

  std::optional<model::StepTiming> read_step_timing(const Json& value, const Place& at) {
    if (!value.is_object()) {
      problems_.report(at, fmt::format("expected a timing object, got {}", describe(value)));
      return std::nullopt;
    }
    const std::size_t before = problems_.count();
    // The allowed keys depend on the distribution; without a known one, accept any parameter.
    const DistributionShape* shape = nullptr;
    if (const Json* name = member(value, "distribution")) {
      const Place place = at / "distribution";
      if (auto text = read_string(*name, place, problems_)) {
        shape = find_shape(*text);
        if (shape == nullptr) {
          std::vector<std::string_view> names;
          for (const auto& s : distribution_shapes)
            names.push_back(model::distribution_name(s.kind));
          problems_.report(
              place, fmt::format("unknown distribution {}; expected one of {}{}", quote(*text),
                                 quoted_list(names), suggestion(*text, names)));
        }
      }
    }
    const std::string context =
        shape != nullptr ? fmt::format("a {} distribution", model::distribution_name(shape->kind))
                         : std::string();
    if (shape != nullptr) {
      const std::span<const std::string_view> optional =
          shape->kind == Kind::lognormal ? std::span<const std::string_view>(lognormal_optional)
                                         : std::span<const std::string_view>(probability_key);
      check_object(value, at,
                   {std::span(shape->required.data(), shape->required_count), optional,
                    all_parameters, context},
                   problems_);
    } else {
      check_object(value, at, {distribution_key, parameters_and_probability}, problems_);
    }
    model::StepTiming timing;
    if (const Json* probability = member(value, "failure_probability")) {
      if (auto read = read_probability(*probability, at / "failure_probability", problems_)) {
        timing.failure_probability = *read;
      }
    }
    if (const Json* drain = member(value, "drain_per_1000_users_min")) {
      if (auto read = read_minutes(*drain, at / "drain_per_1000_users_min", problems_)) {
        timing.drain_per_thousand_users = *read;
      }
    }
    if (shape != nullptr) read_parameters(value, at, *shape, timing.duration);
    if (problems_.count() != before) return std::nullopt;
    return timing;
  }

  void read_parameters(const Json& value, const Place& at, const DistributionShape& shape,
                       model::Distribution& distribution) {
    distribution.kind = shape.kind;
    const auto minutes = [&](std::string_view key) -> std::optional<Duration> {
      const Json* parameter = member(value, key);
      if (parameter == nullptr) return std::nullopt;  // reported as a missing key
      return read_minutes(*parameter, at / key, problems_);
    };
    // "above low_min (5 minutes)": the bound as the file wrote it.
    const auto shown = [&](std::string_view key) { return number_text(value.at(key)); };
    switch (shape.kind) {
      case Kind::fixed:
        if (const auto low = minutes("minutes")) distribution.low = *low;
        break;
      case Kind::uniform: {
        const auto low = minutes("low_min");
        const auto high = minutes("high_min");
        if (low && high && !(*low < *high)) {
          problems_.report(at / "high_min", fmt::format("expected high_min above low_min ({} "
                                                        "minutes), got {}",
                                                        shown("low_min"), shown("high_min")));
        }
        if (low) distribution.low = *low;
        if (high) distribution.high = *high;
        break;
      }
      case Kind::triangular: {
        const auto low = minutes("low_min");
        const auto mode = minutes("mode_min");
        const auto high = minutes("high_min");
        if (low && high && !(*low < *high)) {
          problems_.report(at / "high_min", fmt::format("expected high_min above low_min ({} "
                                                        "minutes), got {}",
                                                        shown("low_min"), shown("high_min")));
        } else if (low && mode && high && !(*low <= *mode && *mode <= *high)) {
          problems_.report(at / "mode_min",
                           fmt::format("expected mode_min between low_min ({} minutes) and "
                                       "high_min ({} minutes), got {}",
                                       shown("low_min"), shown("high_min"), shown("mode_min")));
        }
        if (low) distribution.low = *low;
        if (mode) distribution.mode = *mode;
        if (high) distribution.high = *high;
        break;
      }
      case Kind::lognormal: {
        const auto median = minutes("median_min");
        const auto p95 = minutes("p95_min");
        if (median && p95 && !(*median < *p95)) {
          problems_.report(at / "p95_min", fmt::format("expected p95_min above median_min ({} "
                                                       "minutes), got {}",
                                                       shown("median_min"), shown("p95_min")));
        }
        if (median) distribution.median = *median;
        if (p95) distribution.p95 = *p95;
        if (member(value, "max_min") != nullptr) {
          const auto cap = minutes("max_min");
          if (cap && p95 && !(*p95 < *cap)) {
            problems_.report(at / "max_min", fmt::format("expected max_min above p95_min ({} "
                                                         "minutes), got {}",
                                                         shown("p95_min"), shown("max_min")));
          }
          distribution.cap = cap;
        }
        break;
      }
    }
  }

  const std::vector<std::string>* step_ids_;
  const model::Topology* topology_;
  Problems& problems_;
};

}  // namespace

model::TimingModel read_timing(const Json& value, const Place& at,
                               const std::vector<std::string>* step_ids,
                               const model::Topology* topology, Problems& problems) {
  return TimingReader(step_ids, topology, problems).read(value, at);
}

}  // namespace lyncupdate::loader::detail
