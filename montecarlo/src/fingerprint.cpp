#include <bit>
#include <cstring>

#include <fmt/format.h>

#include "lyncupdate/montecarlo/batch.hpp"

namespace lyncupdate::mc {
namespace {

// 64-bit FNV-1a over a length-prefixed serialisation of the model: two different scenarios
// feed different byte streams, and the same scenario the same stream on every platform
// (integers are fed little-end first, doubles by their IEEE bits).
class Hasher {
 public:
  void bytes(const void* data, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) {
      hash_ ^= p[i];
      hash_ *= 0x100000001b3ULL;
    }
  }
  void u64(std::uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
    bytes(b, sizeof b);
  }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void real(double v) { u64(std::bit_cast<std::uint64_t>(v)); }
  void text(std::string_view s) {
    u64(s.size());
    bytes(s.data(), s.size());
  }
  void duration(Duration d) { i64(d.count()); }
  template <typename T>
  void optional(const std::optional<T>& v, auto&& feed) {
    u64(v ? 1 : 0);
    if (v) feed(*v);
  }
  std::uint64_t value() const { return hash_; }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

void conditions(Hasher& h, const model::Conditions& cs) {
  h.u64(cs.size());
  for (const auto& c : cs) {
    h.u64(static_cast<std::uint64_t>(c.variable));
    h.u64(c.value);
  }
}

void distribution(Hasher& h, const model::Distribution& d) {
  h.u64(static_cast<std::uint64_t>(d.kind));
  h.duration(d.low);
  h.duration(d.mode);
  h.duration(d.high);
  h.duration(d.median);
  h.duration(d.p95);
  h.optional(d.cap, [&](Duration c) { h.duration(c); });
}

void timing(Hasher& h, const model::StepTiming& t) {
  distribution(h, t.duration);
  h.real(t.failure_probability);
  // Hashed only when set, so that timings without a drain keep their hashes.
  if (t.drain_per_thousand_users > Duration::zero()) h.duration(t.drain_per_thousand_users);
}

}  // namespace

std::string scenario_fingerprint(const model::Scenario& scenario) {
  Hasher h;
  h.text(scenario.name);
  const model::Topology& topology = scenario.topology;
  h.u64(topology.pools.size());
  for (const auto& pool : topology.pools) {
    h.text(pool.fqdn);
    h.u64(pool.front_ends.size());
    for (const auto& fe : pool.front_ends) h.text(fe);
    h.u64(pool.upgrade_domains.size());
    for (const auto& domain : pool.upgrade_domains) {
      h.u64(domain.size());
      for (const auto& fe : domain) h.text(fe);
    }
    h.i64(pool.users);
    // Hashed only when given, so that scenarios without it keep their hashes.
    if (pool.routing_groups > 0) h.i64(pool.routing_groups);
    h.text(pool.back_end.fqdn);
    h.optional(pool.back_end.mirror, [&](const std::string& m) { h.text(m); });
    h.u64(pool.back_end.collocated_stores.size());
    for (const auto store : pool.back_end.collocated_stores) {
      h.u64(static_cast<std::uint64_t>(store));
    }
    // Hashed only when set, so that scenarios without it keep their hashes.
    if (pool.central_management_store) h.text("central_management_store");
  }
  h.u64(topology.standard_edition_servers.size());
  for (const auto& se : topology.standard_edition_servers) {
    h.text(se.fqdn);
    h.i64(se.users);
    h.optional(se.backup_pool, [&](const std::string& p) { h.text(p); });
    if (se.central_management_store) h.text("central_management_store");
  }
  const auto hash_runbook = [&](const model::Runbook& runbook) {
    h.text(runbook.name);
    h.u64(runbook.steps.size());
    for (const auto& step : runbook.steps) {
      h.text(step.id);
      h.text(step.title);
      h.u64(static_cast<std::uint64_t>(step.kind));
      h.text(step.command);
      h.optional(step.article_step, [&](int n) { h.i64(n); });
      h.text(step.addition);
      conditions(h, step.requires_);
      conditions(h, step.on_start);
      conditions(h, step.on_finish);
      for (const auto& variant : step.variants) {
        h.optional(variant, [&](const model::StepVariant& v) {
          h.optional(v.command, [&](const std::string& c) { h.text(c); });
          h.optional(v.requires_, [&](const model::Conditions& c) { conditions(h, c); });
          h.optional(v.on_start, [&](const model::Conditions& c) { conditions(h, c); });
          h.optional(v.on_finish, [&](const model::Conditions& c) { conditions(h, c); });
        });
      }
      h.optional(step.retry, [&](const model::RetryPolicy& r) {
        h.i64(r.attempts);
        h.duration(r.delay);
      });
      h.optional(step.reboot_required, [&](const model::RebootOutcome& r) {
        h.real(r.probability);
        h.duration(r.duration);
      });
      // Hashed only when set, so that the hashes of runbooks without a gate stay as they were.
      if (step.gate) h.u64(static_cast<std::uint64_t>(*step.gate) + 1);
      if (step.only_on) {
        h.text("only_on");
        h.u64(static_cast<std::uint64_t>(*step.only_on));
      }
      // `probe` and `unattended` are left out, as is the scenario's `live` section: only live
      // runs read them, so they change no simulated result and must not invalidate saved runs.
    }
  };
  hash_runbook(scenario.runbook);
  // Hashed only when present, so that scenarios without one keep their hashes.
  if (scenario.front_end_runbook) hash_runbook(*scenario.front_end_runbook);
  if (scenario.mirrored_backend_runbook) {
    h.text("mirrored");
    hash_runbook(*scenario.mirrored_backend_runbook);
  }
  if (scenario.mirror_runbook) {
    h.text("mirror");
    hash_runbook(*scenario.mirror_runbook);
  }
  h.u64(scenario.timing.steps.size());
  for (const auto& [id, t] : scenario.timing.steps) {
    h.text(id);
    timing(h, t);
  }
  h.u64(scenario.timing.servers.size());
  for (const auto& [fqdn, steps] : scenario.timing.servers) {
    h.text(fqdn);
    h.u64(steps.size());
    for (const auto& [id, t] : steps) {
      h.text(id);
      timing(h, t);
    }
  }
  h.u64(scenario.plan.stages.size());
  for (const auto& stage : scenario.plan.stages) {
    h.u64(stage.size());
    for (const auto& fqdn : stage) h.text(fqdn);
  }
  h.optional(scenario.plan.operators, [&](int n) { h.i64(n); });
  h.u64(scenario.plan.schedule.size());
  for (const auto& start : scenario.plan.schedule) {
    h.text(start.server);
    h.text(start.step);
  }
  h.duration(scenario.limits.backend_outage_limit);
  h.duration(scenario.limits.window_start);
  h.duration(scenario.limits.window_length);
  const model::UserActivity& users = scenario.users;
  for (const double fraction : users.profile) h.real(fraction);
  h.duration(users.session_mean);
  h.u64(static_cast<std::uint64_t>(users.session_length));
  for (const double rate : users.rates_per_hour) h.real(rate);
  h.duration(users.conference_length);
  h.duration(users.failover_timer);
  h.duration(users.failback_timer);
  h.optional(scenario.limits.max_servers_down, [&](int n) { h.i64(n); });
  return fmt::format("{:016x}", h.value());
}

}  // namespace lyncupdate::mc
