#include "loader_test_support.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "lyncupdate/model/state.hpp"
#include "lyncupdate/scenarios/shipped.hpp"

namespace lyncupdate::loader::testing {
namespace {

std::string shipped(std::string_view name) {
  const auto text = scenarios::shipped_file(name);
  if (!text) throw std::runtime_error(fmt::format("no shipped file {}", name));
  return std::string(*text);
}

std::string conditions_text(const model::Conditions& conditions) {
  std::string out;
  for (const auto& c : conditions) {
    out += fmt::format(" {}={}", model::variable_name(c.variable),
                       model::value_name(c.variable, c.value));
  }
  return out;
}

std::string distribution_text(const model::StepTiming& timing) {
  const auto& d = timing.duration;
  return fmt::format("{} low={} mode={} high={} median={} p95={} failure={}",
                     model::distribution_name(d.kind), d.low.count(), d.mode.count(),
                     d.high.count(), d.median.count(), d.p95.count(), timing.failure_probability);
}

}  // namespace

Json contoso() { return Json::parse(shipped("contoso")); }

Json contoso_inline() {
  Json scenario = contoso();
  scenario["runbook"] = Json::parse(shipped("runbooks/" + scenario["runbook"].get<std::string>()));
  return scenario;
}

std::size_t step_index(const Json& scenario, std::string_view id) {
  const Json& steps = scenario.at("runbook");
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].at("id") == id) return i;
  }
  throw std::runtime_error(fmt::format("no step {} in the runbook", id));
}

std::string step_pointer(const Json& scenario, std::string_view id) {
  return fmt::format("/runbook/{}", step_index(scenario, id));
}

std::string quoted_step_ids() {
  std::vector<std::string> ids;
  const Json scenario = contoso_inline();
  for (const auto& step : scenario["runbook"]) {
    ids.push_back(fmt::format("\"{}\"", step["id"].get<std::string>()));
  }
  return fmt::format("{}", fmt::join(ids, ", "));
}

LoadResult load(const Json& scenario, std::string_view name) {
  return load_scenario_text(scenario.dump(2), name, {});
}

std::vector<std::string> rendered(const LoadResult& result) {
  std::vector<std::string> lines;
  if (!result) {
    for (const auto& diagnostic : result.error()) lines.push_back(diagnostic.render());
  }
  return lines;
}

std::filesystem::path data_path(std::string_view name) {
  return std::filesystem::path(LYNCUPDATE_LOADER_TEST_DATA) / name;
}

void write_file(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

ScratchDir::ScratchDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "lyncupdate-loader-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string canonical(const model::Scenario& s) {
  std::string out =
      fmt::format("name {}\ndescription {}\nseed {}\n", s.name, s.description, s.seed);
  for (const auto& pool : s.topology.pools) {
    out += fmt::format("pool {} users={} back_end={} mirror={}\n", pool.fqdn, pool.users,
                       pool.back_end.fqdn, pool.back_end.mirror.value_or("-"));
    for (const auto& fe : pool.front_ends) out += fmt::format("  front_end {}\n", fe);
    for (const auto& domain : pool.upgrade_domains) {
      out += fmt::format("  domain {}\n", fmt::join(domain, " "));
    }
    for (const auto store : pool.back_end.collocated_stores) {
      out += fmt::format("  store {}\n", model::store_name(store));
    }
  }
  for (const auto& se : s.topology.standard_edition_servers) {
    out +=
        fmt::format("se {} users={} backup={}\n", se.fqdn, se.users, se.backup_pool.value_or("-"));
  }
  out += fmt::format("runbook {}\n", s.runbook.name);
  for (const auto& step : s.runbook.steps) {
    out += fmt::format("step {} kind={} article={} title={} command={} addition={}\n", step.id,
                       model::kind_name(step.kind), step.article_step.value_or(0), step.title,
                       step.command, step.addition);
    out +=
        fmt::format("  requires{}\n  on_start{}\n  on_finish{}\n", conditions_text(step.requires_),
                    conditions_text(step.on_start), conditions_text(step.on_finish));
    for (const auto& [name, check] :
         {std::pair{"probe", &step.probe}, std::pair{"unattended", &step.unattended}}) {
      if (!*check) continue;
      out += fmt::format("  {}", name);
      for (const auto& stage : (*check)->pipeline)
        out += fmt::format(" [{}]", fmt::join(stage, " "));
      out += fmt::format(" present={} absent={}\n", (*check)->present, (*check)->absent);
    }
    for (std::size_t r = 0; r < step.variants.size(); ++r) {
      const auto& v = step.variants[r];
      if (!v) continue;
      out += fmt::format("  variant {} command={} requires={} on_start={} on_finish={}\n",
                         model::role_name(static_cast<model::Role>(r)), v->command.value_or("-"),
                         v->requires_ ? conditions_text(*v->requires_) : "-",
                         v->on_start ? conditions_text(*v->on_start) : "-",
                         v->on_finish ? conditions_text(*v->on_finish) : "-");
    }
  }
  out += fmt::format("live update_version={}\n", s.live.update_version);
  for (const auto& [id, timing] : s.timing.steps) {
    out += fmt::format("timing {} {}\n", id, distribution_text(timing));
  }
  for (const auto& [fqdn, steps] : s.timing.servers) {
    for (const auto& [id, timing] : steps) {
      out += fmt::format("timing {} {} {}\n", fqdn, id, distribution_text(timing));
    }
  }
  for (const auto& stage : s.plan.stages) out += fmt::format("stage {}\n", fmt::join(stage, " "));
  out += fmt::format("limits outage={} start={} length={}\n", s.limits.backend_outage_limit.count(),
                     s.limits.window_start.count(), s.limits.window_length.count());
  return out;
}

}  // namespace lyncupdate::loader::testing
