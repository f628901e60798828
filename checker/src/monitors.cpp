#include "lyncupdate/checker/monitors.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "analysis_parts.hpp"
#include "lyncupdate/checker/install_csdatabase.hpp"
#include "lyncupdate/model/fqdn.hpp"
#include "lyncupdate/model/quorum.hpp"
#include "mirror_failover_monitor.hpp"
#include "monitor_context.hpp"
#include "routing_group_monitor.hpp"

namespace lyncupdate::check {
namespace {

using model::StateVariable;
using sim::TraceEvent;
using sim::TraceKind;

std::size_t index_of(StateVariable v) { return static_cast<std::size_t>(v); }

using detail::Context;

// backend-outage-limit: a back end or Standard Edition server continuously unavailable for
// the limit or longer (DOMAIN.md section 1: users may enter resiliency mode).
class OutageMonitor final : public sim::TraceObserver {
 public:
  explicit OutageMonitor(Context& context)
      : context_(&context),
        open_(context.plan->servers.size(), -1),
        current_step_(context.plan->servers.size(), sim::no_index) {}

  void on_event(const TraceEvent& e) override {
    switch (e.kind) {
      case TraceKind::step_started:
        current_step_[e.server] = e.step;
        break;
      case TraceKind::automatic_failover:
        if (open_[e.server] >= 0) {
          outages_[static_cast<std::size_t>(open_[e.server])].failed_over = true;
        }
        break;
      case TraceKind::state_changed:
        if (e.variable != StateVariable::backend) break;
        if (e.to == model::values::unavailable) {
          open_[e.server] = static_cast<std::ptrdiff_t>(outages_.size());
          outages_.push_back(Outage{e.server, e.time, e.time, current_step_[e.server]});
        } else if (open_[e.server] >= 0) {
          Outage& outage = outages_[static_cast<std::size_t>(open_[e.server])];
          outage.end = e.time;
          outage.end_step = current_step_[e.server];
          outage.restored = true;
          open_[e.server] = -1;
          judge(outage);
        }
        break;
      case TraceKind::run_finished:
        for (auto& slot : open_) {
          if (slot < 0) continue;
          Outage& outage = outages_[static_cast<std::size_t>(slot)];
          outage.end = e.time;
          slot = -1;
          judge(outage);
        }
        break;
      default:
        break;
    }
  }

  std::span<const Outage> outages() const { return outages_; }

 private:
  void judge(const Outage& outage) {
    const Duration limit = context_->limits().backend_outage_limit;
    if (outage.length() < limit) return;
    const model::ResolvedServer& server = context_->server(outage.server);
    if (server.target.mirror) return;  // the principal serves the pool meanwhile
    const bool se = server.target.role == model::Role::standard_edition;
    const std::string who = se ? fmt::format("Standard Edition server {}", server.target.fqdn)
                               : fmt::format("back end {}", server.target.fqdn);
    const std::string span =
        outage.failed_over
            ? fmt::format("from {} (step {}) to {}, when the witness failed over to the mirror",
                          context_->clock(outage.begin),
                          context_->step_id(outage.server, outage.begin_step),
                          context_->clock(outage.end))
        : outage.restored
            ? fmt::format("from {} (step {}) to {} (step {})", context_->clock(outage.begin),
                          context_->step_id(outage.server, outage.begin_step),
                          context_->clock(outage.end),
                          context_->step_id(outage.server, outage.end_step))
            : fmt::format("from {} (step {}) until the run ended at {}, never restored",
                          context_->clock(outage.begin),
                          context_->step_id(outage.server, outage.begin_step),
                          context_->clock(outage.end));
    context_->violations.push_back(Violation{
        rules::backend_outage_limit, outage.begin + limit, outage.server, outage.begin_step,
        fmt::format("{} was unavailable for {} {}, reaching the {} limit: its {} users may "
                    "enter resiliency mode",
                    who, format_duration(outage.length()), span, format_duration(limit),
                    format_count(server.target.users))});
  }

  Context* context_;
  std::vector<Outage> outages_;
  std::vector<std::ptrdiff_t> open_;  // per server: index of its open outage, or -1
  std::vector<std::uint16_t> current_step_;
};

// step-precondition: a step starts while its declared precondition does not hold.
class PreconditionMonitor final : public sim::TraceObserver {
 public:
  explicit PreconditionMonitor(Context& context)
      : context_(&context), states_(context.plan->servers.size(), model::initial_server_state()) {}

  void on_event(const TraceEvent& e) override {
    if (e.kind == TraceKind::state_changed) {
      states_[e.server][index_of(e.variable)] = e.to;
      return;
    }
    // A retried step was judged on its first attempt; judge it once.
    if (e.kind != TraceKind::step_started || e.attempt > 1) return;
    const model::ResolvedStep& step = context_->step(e.server, e.step);
    const model::ServerState& state = states_[e.server];
    std::string unmet;
    for (const model::Condition& c : step.requires_) {
      const model::StateValue actual = state[index_of(c.variable)];
      if (actual == c.value) continue;
      if (!unmet.empty()) unmet += ", ";
      unmet += fmt::format("{} is {} (needs {})", model::variable_name(c.variable),
                           model::value_name(c.variable, actual),
                           model::value_name(c.variable, c.value));
    }
    if (unmet.empty()) return;
    context_->violations.push_back(
        Violation{rules::step_precondition, e.time, e.server, e.step,
                  fmt::format("step {} started on {} while {}; an earlier step must establish it",
                              step.definition->id, context_->server(e.server).target.fqdn, unmet)});
  }

 private:
  Context* context_;
  std::vector<model::ServerState> states_;
};

// database-variant: the Install-CsDatabase form does not fit the server's role, its
// collocated stores or its own SQL Server (DOMAIN.md section 1).
class DatabaseVariantMonitor final : public sim::TraceObserver {
 public:
  explicit DatabaseVariantMonitor(Context& context) : context_(&context) {}

  void on_event(const TraceEvent& e) override {
    if (e.kind != TraceKind::step_started || e.attempt > 1) return;
    const model::ResolvedStep& step = context_->step(e.server, e.step);
    const model::Scenario& scenario = *context_->plan->scenario;
    const auto command =
        parse_install_csdatabase(step.command, scenario.catalogue, scenario.product);
    if (!command) return;
    const model::UpdateTarget& target = context_->server(e.server).target;
    const auto problem = install_csdatabase_problem(*command, target.role, target.sql_server_fqdn);
    if (!problem) return;
    context_->violations.push_back(
        Violation{rules::database_variant, e.time, e.server, e.step,
                  fmt::format("step {} on {}: {}", step.definition->id, target.fqdn, *problem)});
  }

 private:
  Context* context_;
};

// services-left-stopped: the run ends with a service that a step stopped still stopped on a
// server: the Lync services (the article stops at step 11 with them stopped, DOMAIN.md section
// 1) or W3SVC (article steps 5 and 10); the list is the static analysis' (analysis_parts.hpp).
class ServicesLeftStoppedMonitor final : public sim::TraceObserver {
 public:
  explicit ServicesLeftStoppedMonitor(Context& context)
      : context_(&context),
        stopped_by_(context.plan->servers.size()),
        current_step_(context.plan->servers.size(), sim::no_index) {
    for (auto& by : stopped_by_) by.fill(sim::no_index);
  }

  void on_event(const TraceEvent& e) override {
    if (e.kind == TraceKind::step_started) {
      current_step_[e.server] = e.step;
    } else if (e.kind == TraceKind::state_changed) {
      for (std::size_t v = 0; v < detail::services_to_restart.size(); ++v) {
        if (e.variable != detail::services_to_restart[v].variable) continue;
        stopped_by_[e.server][v] =
            e.to == model::values::stopped ? current_step_[e.server] : sim::no_index;
      }
    } else if (e.kind == TraceKind::run_finished) {
      for (std::uint16_t s = 0; s < stopped_by_.size(); ++s) {
        for (std::size_t v = 0; v < detail::services_to_restart.size(); ++v) {
          const std::uint16_t by = stopped_by_[s][v];
          if (by == sim::no_index) continue;
          const detail::ServiceToRestart& service = detail::services_to_restart[v];
          context_->violations.push_back(Violation{
              rules::services_left_stopped, e.time, s, by,
              fmt::format("{} on {} {} still stopped when the run ends (stopped by step {}); {} "
                          "until someone runs {}",
                          service.name, context_->server(s).target.fqdn, service.is,
                          context_->step_id(s, by), service.meantime, service.restart)});
        }
      }
    }
  }

 private:
  Context* context_;
  // per server and service of services_to_restart: the step that stopped it, if stopped
  std::vector<std::array<std::uint16_t, detail::services_to_restart.size()>> stopped_by_;
  std::vector<std::uint16_t> current_step_;
};

// window-overrun: the plan ends after the maintenance window closes.
class WindowOverrunMonitor final : public sim::TraceObserver {
 public:
  explicit WindowOverrunMonitor(Context& context) : context_(&context) {}

  void on_event(const TraceEvent& e) override {
    if (e.kind != TraceKind::run_finished) return;
    const TimePoint close = TimePoint{} + context_->limits().window_length;
    if (e.time <= close) return;
    context_->violations.push_back(
        Violation{rules::window_overrun, e.time, sim::no_index, sim::no_index,
                  fmt::format("the plan ends at {}, {} after the maintenance window closed at {}",
                              context_->clock(e.time), format_duration(e.time - close),
                              context_->clock(close))});
  }

 private:
  Context* context_;
};

// mirror-pair-down: a back end and its mirror unavailable at the same time (DOMAIN.md section
// 4: the mirror is updated first so that one copy of the databases is always online), or the
// mirror becoming unavailable while it serves the pool after a failover.
// servers-down-limit: more planned servers unavailable at once than limits.max_servers_down.
class ServersDownMonitor final : public sim::TraceObserver {
 public:
  explicit ServersDownMonitor(Context& context)
      : context_(&context),
        partner_(mirror_partners(*context.plan)),
        down_(context.plan->servers.size(), 0),
        on_mirror_(context.plan->servers.size(), 0),
        current_step_(context.plan->servers.size(), sim::no_index) {}

  void on_event(const TraceEvent& e) override {
    if (e.kind == TraceKind::step_started) {
      current_step_[e.server] = e.step;
      return;
    }
    if (e.kind != TraceKind::state_changed) return;
    if (e.variable == StateVariable::database_principal) {
      on_mirror_[e.server] = e.to == model::values::on_mirror ? 1 : 0;
      return;
    }
    if (e.variable != StateVariable::backend) return;
    const bool now_down = e.to == model::values::unavailable;
    down_[e.server] = now_down ? 1 : 0;
    if (!now_down) return;
    const std::uint16_t partner = partner_[e.server];
    if (partner != sim::no_index && down_[partner] == 0 && on_mirror_[partner] != 0) {
      // The mirror serves the pool since its principal failed over to it (DOMAIN.md section 4).
      context_->violations.push_back(
          Violation{rules::mirror_pair_down, e.time, e.server, current_step_[e.server],
                    fmt::format("{} became unavailable at {} (step {}) while it served the pool's "
                                "databases, {} having failed over to it: fail back first",
                                context_->server(e.server).target.fqdn, context_->clock(e.time),
                                context_->step_id(e.server, current_step_[e.server]),
                                context_->server(partner).target.fqdn)});
    } else if (partner != sim::no_index && down_[partner] != 0) {
      context_->violations.push_back(Violation{
          rules::mirror_pair_down, e.time, e.server, current_step_[e.server],
          fmt::format("{} became unavailable at {} (step {}) while its mirror partner {} was "
                      "unavailable: no copy of the pool's databases is online",
                      context_->server(e.server).target.fqdn, context_->clock(e.time),
                      context_->step_id(e.server, current_step_[e.server]),
                      context_->server(partner).target.fqdn)});
    }
    const auto& limit = context_->limits().max_servers_down;
    const auto count = static_cast<std::size_t>(std::ranges::count(down_, 1));
    if (limit && count == static_cast<std::size_t>(*limit) + 1) {
      std::string names;
      for (std::size_t s = 0; s < down_.size(); ++s) {
        if (down_[s] == 0) continue;
        if (!names.empty()) names += ", ";
        names += context_->server(static_cast<std::uint16_t>(s)).target.fqdn;
      }
      context_->violations.push_back(Violation{
          rules::servers_down_limit, e.time, e.server, current_step_[e.server],
          fmt::format("{} servers are unavailable at once from {} ({}), more than the limit "
                      "of {}",
                      count, context_->clock(e.time), names, *limit)});
    }
  }

 private:
  Context* context_;
  std::vector<std::uint16_t> partner_;
  std::vector<char> down_;
  std::vector<char> on_mirror_;  // per server: its databases failed over to its partner
  std::vector<std::uint16_t> current_step_;
};

// pool-quorum: a pool stops when fewer front ends run than its quorum needs (DOMAIN.md section
// 3), or, with its principal back end (the witness) unavailable or failed over to its mirror,
// when they hold no strict majority (section 4; model::pool_keeps_running). Judged on every
// change of a planned front end's services or of a principal back end.
class PoolQuorumMonitor final : public sim::TraceObserver {
 public:
  explicit PoolQuorumMonitor(Context& context)
      : context_(&context), current_step_(context.plan->servers.size(), sim::no_index) {
    const model::Topology& topology = context.plan->scenario->topology;
    pools_.resize(topology.pools.size());
    for (std::size_t p = 0; p < topology.pools.size(); ++p) {
      pools_[p].running.assign(topology.pools[p].front_ends.size(), 1);
    }
    for (std::size_t s = 0; s < context.plan->servers.size(); ++s) {
      const model::UpdateTarget& target = context.plan->servers[s].target;
      if (target.role == model::Role::front_end) {
        role_.push_back(Role::front_end);
      } else if (target.role != model::Role::standard_edition && !target.mirror) {
        role_.push_back(Role::principal);
      } else {
        role_.push_back(Role::other);
      }
    }
  }

  void on_event(const TraceEvent& e) override {
    if (e.kind == TraceKind::step_started) {
      current_step_[e.server] = e.step;
      if (role_[e.server] == Role::front_end) judge_readiness(e);
    }
    if (e.kind != TraceKind::state_changed) return;
    const Role role = role_[e.server];
    if (role == Role::other) return;
    const model::UpdateTarget& target = context_->server(e.server).target;
    Pool& pool = pools_[target.index];
    if (role == Role::front_end && e.variable == StateVariable::lync_services) {
      pool.running[target.front_end] = e.to == model::values::running ? 1 : 0;
    } else if (role == Role::principal && e.variable == StateVariable::backend) {
      pool.back_end_available = e.to == model::values::available;
    } else if (role == Role::principal && e.variable == StateVariable::database_principal) {
      pool.on_mirror = e.to == model::values::on_mirror;
    } else {
      return;
    }
    std::array<bool, 16> running{};
    std::size_t up = 0;
    for (std::size_t f = 0; f < pool.running.size() && f < running.size(); ++f) {
      running[f] = pool.running[f] != 0;
      up += pool.running[f] != 0 ? 1U : 0U;
    }
    const std::size_t count = pool.running.size();
    const bool keeps = model::pool_keeps_running(count, running, pool.witness());
    if (!keeps && pool.running_ok) {
      const model::EnterprisePool& topology_pool =
          context_->plan->scenario->topology.pools[target.index];
      const bool witness = model::pool_has_quorum(count, running);
      const model::QuorumRule rule = model::pool_quorum_rule(count);
      context_->violations.push_back(Violation{
          rules::pool_quorum, e.time, e.server, current_step_[e.server],
          witness ? fmt::format("pool {} loses quorum at {} (step {} on {}): {} and only {} of "
                                "its {} front ends run, not a majority; the whole pool stops",
                                topology_pool.fqdn, context_->clock(e.time),
                                context_->step_id(e.server, current_step_[e.server]), target.fqdn,
                                pool.on_mirror && pool.back_end_available
                                    ? "its databases run on the mirror, so it has no quorum "
                                      "witness (the primary SQL database is the witness: "
                                      "Gg412996)"
                                    : "its back end, the quorum witness, is unavailable",
                                up, count)
                  : fmt::format("pool {} loses quorum at {} (step {} on {}): {} of its first {} "
                                "front ends run ({} of all {}), and it needs {}; the remaining "
                                "front ends stop every Lync service",
                                topology_pool.fqdn, context_->clock(e.time),
                                context_->step_id(e.server, current_step_[e.server]), target.fqdn,
                                std::count(running.begin(),
                                           running.begin() + static_cast<std::ptrdiff_t>(
                                                                 std::min(rule.among_first, count)),
                                           true),
                                rule.among_first, up, count, rule.must_run)});
    }
    pool.running_ok = keeps;
  }

 private:
  // upgrade-readiness: the readiness check of a front end's upgrade domain starts while the
  // pool cannot spare that domain (sim::World::upgrade_domain_may_stop): the check answers
  // InsufficientActiveFrontEnds and the plan stops (DOMAIN.md section 3).
  void judge_readiness(const TraceEvent& e) {
    const model::ResolvedStep& step = context_->step(e.server, e.step);
    if (step.definition->gate != model::Gate::pool_upgrade_readiness) return;
    const model::UpdateTarget& target = context_->server(e.server).target;
    const Pool& pool = pools_[target.index];
    const model::EnterprisePool& topology_pool =
        context_->plan->scenario->topology.pools[target.index];
    std::array<bool, 16> running{};
    for (std::size_t f = 0; f < pool.running.size() && f < running.size(); ++f) {
      running[f] = pool.running[f] != 0;
    }
    if (model::upgrade_domain_may_stop(topology_pool, running, target.upgrade_domain,
                                       pool.witness())) {
      return;
    }
    context_->violations.push_back(Violation{
        rules::upgrade_readiness, e.time, e.server, e.step,
        fmt::format("the readiness check on {} at {} finds pool {} unable to spare upgrade "
                    "domain {} (InsufficientActiveFrontEnds): the plan stops",
                    target.fqdn, context_->clock(e.time), topology_pool.fqdn,
                    target.upgrade_domain + 1)});
  }

  enum class Role : std::uint8_t { front_end, principal, other };
  struct Pool {
    std::vector<char> running;  // per front end, topology order
    bool back_end_available = true;
    bool on_mirror = false;  // the principal's databases failed over to the mirror
    bool running_ok = true;
    // The quorum witness is the primary SQL database, which a failover leaves without a
    // witness role (docs/domain-notes.md; sim::World::witness_available).
    bool witness() const { return back_end_available && !on_mirror; }
  };
  Context* context_;
  std::vector<Role> role_;
  std::vector<Pool> pools_;
  std::vector<std::uint16_t> current_step_;
};

}  // namespace

std::vector<std::uint16_t> mirror_partners(const model::ResolvedPlan& plan) {
  std::vector<std::uint16_t> partner(plan.servers.size(), sim::no_index);
  for (std::size_t i = 0; i < plan.servers.size(); ++i) {
    for (std::size_t j = i + 1; j < plan.servers.size(); ++j) {
      const model::UpdateTarget& a = plan.servers[i].target;
      const model::UpdateTarget& b = plan.servers[j].target;
      const auto back_end = [](model::Role role) {
        return role == model::Role::enterprise_backend ||
               role == model::Role::enterprise_backend_collocated;
      };
      const bool enterprise = back_end(a.role) && back_end(b.role);
      if (enterprise && a.index == b.index) {
        partner[i] = static_cast<std::uint16_t>(j);
        partner[j] = static_cast<std::uint16_t>(i);
      }
    }
  }
  return partner;
}

struct Checker::Monitors {
  explicit Monitors(const model::ResolvedPlan& plan)
      : context{&plan, {}},
        outage(context),
        precondition(context),
        database_variant(context),
        services_left_stopped(context),
        window_overrun(context),
        servers_down(context),
        pool_quorum(context),
        routing_groups(context),
        mirror_failover(context) {}
  Context context;
  OutageMonitor outage;
  PreconditionMonitor precondition;
  DatabaseVariantMonitor database_variant;
  ServicesLeftStoppedMonitor services_left_stopped;
  WindowOverrunMonitor window_overrun;
  ServersDownMonitor servers_down;
  PoolQuorumMonitor pool_quorum;
  detail::RoutingGroupMonitor routing_groups;
  detail::MirrorFailoverMonitor mirror_failover;
};

Checker::Checker(const model::ResolvedPlan& plan)
    : monitors_(std::make_unique<Monitors>(plan)),
      observers_{&monitors_->precondition,   &monitors_->database_variant,
                 &monitors_->outage,         &monitors_->mirror_failover,
                 &monitors_->servers_down,   &monitors_->pool_quorum,
                 &monitors_->routing_groups, &monitors_->services_left_stopped,
                 &monitors_->window_overrun} {}

Checker::~Checker() = default;

std::vector<Violation> Checker::violations() const {
  std::vector<Violation> out = monitors_->context.violations;
  std::ranges::stable_sort(out, {}, &Violation::time);
  return out;
}

std::span<const Outage> Checker::outages() const { return monitors_->outage.outages(); }

}  // namespace lyncupdate::check
