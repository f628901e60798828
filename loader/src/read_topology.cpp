#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include "lyncupdate/model/budget.hpp"
#include "lyncupdate/model/fqdn.hpp"
#include "lyncupdate/model/routing_groups.hpp"
#include "readers.hpp"
#include "values.hpp"

namespace lyncupdate::loader::detail {
namespace {

using namespace std::string_view_literals;

constexpr std::array<std::string_view, 0> no_keys{};
constexpr std::array topology_keys{"enterprise_pools"sv, "standard_edition_servers"sv};
constexpr std::array pool_required{"fqdn"sv, "front_ends"sv, "users"sv, "back_end"sv};
constexpr std::array pool_optional{"upgrade_domains"sv, "routing_groups"sv, "backup_pool"sv,
                                   "central_management_store"sv, "assumed"sv};
constexpr std::array back_end_required{"fqdn"sv};
constexpr std::array back_end_optional{"mirror"sv, "collocated_stores"sv,
                                       "mirrored_database_update"sv, "witness"sv};
constexpr std::array se_required{"fqdn"sv, "users"sv};
constexpr std::array se_optional{"backup_pool"sv, "central_management_store"sv, "assumed"sv};
constexpr std::array store_names{"archiving"sv, "monitoring"sv};

// DOMAIN.md section 3: the quorum table of a Front End pool ends at twelve servers.
constexpr std::size_t max_front_ends = 12;

class TopologyReader {
 public:
  explicit TopologyReader(Problems& problems) : problems_(problems) {}

  model::Topology read(const Json& value, const Place& at) {
    model::Topology topology;
    if (!check_object(value, at, {no_keys, topology_keys}, problems_)) return topology;
    std::size_t servers = 0;
    bool arrays = true;
    if (const Json* pools = member(value, "enterprise_pools")) {
      const Place place = at / "enterprise_pools";
      if (check_array(*pools, place, problems_, "an array of Enterprise Edition pools")) {
        servers += pools->size();
        for (std::size_t i = 0; i < pools->size(); ++i) {
          if (auto pool = read_pool((*pools)[i], place / i)) {
            topology.pools.push_back(*std::move(pool));
          }
        }
      } else {
        arrays = false;
        pools_sound_ = false;
      }
    }
    if (const Json* list = member(value, "standard_edition_servers")) {
      const Place place = at / "standard_edition_servers";
      if (check_array(*list, place, problems_, "an array of Standard Edition servers")) {
        servers += list->size();
        for (std::size_t i = 0; i < list->size(); ++i) {
          if (auto server = read_standard_edition((*list)[i], place / i)) {
            topology.standard_edition_servers.push_back(*std::move(server));
          }
        }
      } else {
        arrays = false;
        standard_edition_sound_ = false;
      }
    }
    if (servers == 0 && arrays) {
      problems_.report(at, "expected at least one pool or Standard Edition server");
    }
    check_backup_pools(topology);
    report_duplicates();
    check_central_management_store();
    return topology;
  }

 private:
  // An FQDN this topology declares; every declaration must be unique.
  struct Declaration {
    std::string fqdn;
    std::string written;  // as the file spells it, for messages
    Place place;
  };

  // The backup pool that an Enterprise Edition pool or a Standard Edition server names,
  // checked once every pool and server is known (DOMAIN.md section 7, "Pairing").
  struct BackupPoolReference {
    bool standard_edition = false;  // named by a Standard Edition server, else by a pool
    std::string owner;              // the FQDN of the pool or server that names it
    std::string pool;               // the backup pool it names
    Place place;
    std::optional<std::size_t> index;  // the owner's index in the topology, if it was read
  };

  std::optional<std::string> declare(const Json& value, const Place& at) {
    auto fqdn = read_fqdn(value, at, problems_);
    if (fqdn) declarations_.push_back({*fqdn, value.get<std::string>(), at});
    return fqdn;
  }

  std::optional<model::EnterprisePool> read_pool(const Json& value, const Place& at) {
    const std::size_t before = problems_.count();
    model::EnterprisePool pool;
    if (!check_object(value, at, {pool_required, pool_optional}, problems_)) {
      pools_sound_ = false;
      return std::nullopt;
    }
    std::optional<std::string> name;
    if (const Json* fqdn = member(value, "fqdn")) name = declare(*fqdn, at / "fqdn");
    if (name) {
      pool.fqdn = *name;
      pool_names_.push_back(*name);
    } else {
      // Backup pools can only be checked against a complete list of pool names.
      pools_sound_ = false;
    }
    bool front_ends_sound = false;
    if (const Json* front_ends = member(value, "front_ends")) {
      const Place place = at / "front_ends";
      const std::size_t before_front_ends = problems_.count();
      if (check_array(*front_ends, place, problems_, "an array of front end FQDNs")) {
        if (front_ends->empty() || front_ends->size() > max_front_ends) {
          problems_.report(place, fmt::format("expected 1 to {} front ends, got {}", max_front_ends,
                                              front_ends->size()));
        }
        for (std::size_t i = 0; i < front_ends->size(); ++i) {
          if (auto fqdn = declare((*front_ends)[i], place / i)) pool.front_ends.push_back(*fqdn);
        }
        front_ends_sound = problems_.count() == before_front_ends;
      }
    }
    if (const Json* domains = member(value, "upgrade_domains")) {
      pool.upgrade_domains =
          read_upgrade_domains(*domains, at / "upgrade_domains", pool.front_ends, front_ends_sound);
    } else {
      // The default: each front end is its own upgrade domain, in topology order.
      // ASSUMED (docs/domain-notes.md): Topology Builder creates the domains and no source
      // says how many; one per front end is the most cautious.
      for (const auto& front_end : pool.front_ends) pool.upgrade_domains.push_back({front_end});
    }
    if (const Json* users = member(value, "users")) {
      if (auto count =
              read_integer(*users, at / "users", problems_, 0, model::max_users_per_home)) {
        pool.users = *count;
      }
    }
    if (const Json* back_end = member(value, "back_end")) {
      pool.back_end = read_back_end(*back_end, at / "back_end");
    }
    if (const Json* groups = member(value, "routing_groups")) {
      if (auto count = read_integer(*groups, at / "routing_groups", problems_, 1,
                                    static_cast<std::int64_t>(model::max_routing_groups))) {
        pool.routing_groups = *count;
      }
    }
    pool.central_management_store = read_central_management_store(value, at);
    if (const Json* assumed = member(value, "assumed")) {
      if (auto text = read_non_empty_string(*assumed, at / "assumed", problems_)) {
        pool.assumed = *text;
      }
    }
    std::optional<BackupPoolReference> backup;
    if (const Json* backup_pool = member(value, "backup_pool")) {
      pool.backup_pool = read_fqdn(*backup_pool, at / "backup_pool", problems_);
      if (pool.backup_pool) {
        backup = BackupPoolReference{false, pool.fqdn, *pool.backup_pool, at / "backup_pool", {}};
      }
    }
    const bool sound = problems_.count() == before;
    if (backup && name) {
      if (sound) backup->index = pool_count_;
      backup_pools_.push_back(*std::move(backup));
    }
    if (!sound) return std::nullopt;
    ++pool_count_;
    return pool;
  }

  std::vector<std::vector<std::string>> read_upgrade_domains(
      const Json& value, const Place& at, const std::vector<std::string>& front_ends,
      bool front_ends_sound) {
    std::vector<std::vector<std::string>> domains;
    if (!check_array(value, at, problems_,
                     "an array of upgrade domains (arrays of front end FQDNs)")) {
      return domains;
    }
    const std::size_t before = problems_.count();
    std::map<std::string, std::size_t> index_of;  // fqdn key -> index in front_ends
    for (std::size_t i = 0; i < front_ends.size(); ++i)
      index_of.emplace(model::fqdn_key(front_ends[i]), i);
    std::vector<std::optional<std::string>> assigned_at(front_ends.size());
    for (std::size_t d = 0; d < value.size(); ++d) {
      const Json& domain = value[d];
      const Place domain_place = at / d;
      if (!check_array(domain, domain_place, problems_, "an array of front end FQDNs")) continue;
      if (domain.empty()) {
        problems_.report(domain_place,
                         "expected a non-empty array of front end FQDNs, got an empty array");
        continue;
      }
      domains.emplace_back();
      for (std::size_t j = 0; j < domain.size(); ++j) {
        const Place place = domain_place / j;
        const auto fqdn = read_fqdn(domain[j], place, problems_);
        if (!fqdn || !front_ends_sound) continue;
        const auto found = index_of.find(model::fqdn_key(*fqdn));
        if (found == index_of.end()) {
          problems_.report(
              place,
              fmt::format("unknown front end {}; this pool's front ends are: {}{}", quote(*fqdn),
                          quoted_list(front_ends), suggestion(*fqdn, front_ends)));
          continue;
        }
        auto& first = assigned_at[found->second];
        if (first) {
          problems_.report(place, fmt::format("front end {} is already in an upgrade domain at {}",
                                              quote(*fqdn), *first));
          continue;
        }
        first = place.pointer;
        domains.back().push_back(front_ends[found->second]);
      }
    }
    if (front_ends_sound && problems_.count() == before) {
      for (std::size_t i = 0; i < front_ends.size(); ++i) {
        if (!assigned_at[i]) {
          problems_.report(at, fmt::format("front end {} is in no upgrade domain; every front end "
                                           "must be in exactly one",
                                           quote(front_ends[i])));
        }
      }
    }
    return domains;
  }

  model::BackEnd read_back_end(const Json& value, const Place& at) {
    model::BackEnd back_end;
    if (!check_object(value, at, {back_end_required, back_end_optional}, problems_)) {
      return back_end;
    }
    if (const Json* fqdn = member(value, "fqdn")) {
      if (auto read = declare(*fqdn, at / "fqdn")) back_end.fqdn = *read;
    }
    if (const Json* mirror = member(value, "mirror")) {
      back_end.mirror = declare(*mirror, at / "mirror");
    }
    // The witness is no update target and may serve several pairs: not declared.
    if (const Json* witness = member(value, "witness")) {
      const Place place = at / "witness";
      if (auto fqdn = read_fqdn(*witness, place, problems_)) {
        if (member(value, "mirror") == nullptr) {
          problems_.report(place,
                           "a witness decides failovers between a back end and its mirror "
                           "(DOMAIN.md section 4); expected \"mirror\" as well");
        } else if (model::fqdn_key(*fqdn) == model::fqdn_key(back_end.fqdn) ||
                   (back_end.mirror &&
                    model::fqdn_key(*fqdn) == model::fqdn_key(*back_end.mirror))) {
          problems_.report(place, fmt::format("expected a third SQL Server as the witness, not "
                                              "the back end or its mirror, got {}",
                                              quote(*fqdn)));
        } else {
          back_end.witness = *fqdn;
        }
      }
    }
    if (const Json* update = member(value, "mirrored_database_update")) {
      if (update->is_boolean()) {
        back_end.mirrored_database_update = update->get<bool>();
      } else {
        problems_.report(at / "mirrored_database_update",
                         fmt::format("expected true (Install-CsDatabase -Update may run against "
                                     "the mirrored databases) or false, got {}",
                                     describe(*update)));
      }
    }
    if (const Json* stores = member(value, "collocated_stores")) {
      const Place place = at / "collocated_stores";
      if (check_array(*stores, place, problems_, "an array of store names")) {
        std::array<std::optional<std::string>, store_names.size()> seen_at;
        for (std::size_t i = 0; i < stores->size(); ++i) {
          const Json& store = (*stores)[i];
          const auto it = store.is_string()
                              ? std::ranges::find(store_names, store.get<std::string>())
                              : store_names.end();
          if (it == store_names.end()) {
            problems_.report(
                place / i,
                fmt::format("expected \"archiving\" or \"monitoring\", got {}", describe(store)));
            continue;
          }
          const auto index = static_cast<std::size_t>(it - store_names.begin());
          if (seen_at[index]) {
            problems_.report(place / i, fmt::format("duplicate store {} (already at {})",
                                                    quote(*it), *seen_at[index]));
            continue;
          }
          seen_at[index] = (place / i).pointer;
          back_end.collocated_stores.push_back(static_cast<model::CollocatedStore>(index));
        }
      }
    }
    return back_end;
  }

  std::optional<model::StandardEditionServer> read_standard_edition(const Json& value,
                                                                    const Place& at) {
    const std::size_t before = problems_.count();
    model::StandardEditionServer server;
    if (!check_object(value, at, {se_required, se_optional}, problems_)) {
      standard_edition_sound_ = false;
      return std::nullopt;
    }
    std::optional<std::string> name;
    if (const Json* fqdn = member(value, "fqdn")) name = declare(*fqdn, at / "fqdn");
    if (name) {
      server.fqdn = *name;
      standard_edition_names_.push_back(*name);
    } else {
      standard_edition_sound_ = false;
    }
    if (const Json* users = member(value, "users")) {
      if (auto count =
              read_integer(*users, at / "users", problems_, 0, model::max_users_per_home)) {
        server.users = *count;
      }
    }
    server.central_management_store = read_central_management_store(value, at);
    if (const Json* assumed = member(value, "assumed")) {
      if (auto text = read_non_empty_string(*assumed, at / "assumed", problems_)) {
        server.assumed = *text;
      }
    }
    std::optional<BackupPoolReference> backup;
    if (const Json* pool = member(value, "backup_pool")) {
      const Place place = at / "backup_pool";
      server.backup_pool = read_fqdn(*pool, place, problems_);
      if (server.backup_pool) {
        backup = BackupPoolReference{true, server.fqdn, *server.backup_pool, place, {}};
      }
    }
    const bool sound = problems_.count() == before;
    if (backup && name) {
      if (sound) backup->index = standard_edition_count_;
      backup_pools_.push_back(*std::move(backup));
    }
    if (!sound) return std::nullopt;
    ++standard_edition_count_;
    return server;
  }

  // `central_management_store` of a pool or a Standard Edition server: true or false, false
  // when absent. Where it is true is remembered for check_central_management_store.
  bool read_central_management_store(const Json& value, const Place& at) {
    const Json* flag = member(value, "central_management_store");
    if (flag == nullptr) return false;
    const Place place = at / "central_management_store";
    if (!flag->is_boolean()) {
      problems_.report(place, fmt::format("expected true (the Central Management store is "
                                          "installed here) or false, got {}",
                                          describe(*flag)));
      return false;
    }
    if (flag->get<bool>()) central_management_stores_.push_back(place);
    return flag->get<bool>();
  }

  // The deployment has one Central Management store: one service control point in Active
  // Directory locates it (office-docs-powershell Set-CsConfigurationStoreLocation;
  // docs/domain-notes.md, "The Central Management store").
  void check_central_management_store() {
    for (std::size_t i = 1; i < central_management_stores_.size(); ++i) {
      problems_.report(central_management_stores_[i],
                       fmt::format("a second Central Management store (the first is at {}); a "
                                   "deployment has one, located by one service control point "
                                   "(Set-CsConfigurationStoreLocation): expected "
                                   "\"central_management_store\": true on one pool or Standard "
                                   "Edition server",
                                   central_management_stores_.front().pointer));
    }
  }

  // Pool pairing (DOMAIN.md section 7): a backup pool is a pool of the same edition, not the
  // pool itself ("Enterprise Edition pools can be paired only with other Enterprise Edition
  // pools. Similarly, Standard Edition pools can be paired only with other Standard Edition
  // pools": Lync Server 2013, "Supported pool pairing options and best practices"), and the
  // relationship is "1:1 and reciprocal" (Lync Server 2013, "Backup Registrar relationships").
  // Known only once every pool and server is read.
  void check_backup_pools(model::Topology& topology) {
    if (!pools_sound_ || !standard_edition_sound_) return;
    for (const auto& reference : backup_pools_) {
      const std::vector<std::string>& same =
          reference.standard_edition ? standard_edition_names_ : pool_names_;
      const std::vector<std::string>& other =
          reference.standard_edition ? pool_names_ : standard_edition_names_;
      const std::string_view edition = reference.standard_edition
                                           ? "another Standard Edition server"
                                           : "another Enterprise Edition pool";
      const std::string* backup = find_name(same, reference.pool);
      if (backup == nullptr) {
        report_unpaired(reference, find_name(other, reference.pool), same, edition);
        continue;
      }
      if (model::fqdn_key(*backup) == model::fqdn_key(reference.owner)) {
        problems_.report(reference.place, fmt::format("{} names itself as its backup pool; "
                                                      "expected {}",
                                                      quote(reference.owner), edition));
        continue;
      }
      const BackupPoolReference* back = backup_of(reference.standard_edition, *backup);
      // A backup that names an unknown pool is reported there, not once more here.
      if (back != nullptr && find_name(same, back->pool) == nullptr) continue;
      if (back == nullptr || model::fqdn_key(back->pool) != model::fqdn_key(reference.owner)) {
        problems_.report(
            reference.place,
            fmt::format("{} names {} as its backup pool, but {} {}; backup relationships are 1:1 "
                        "and reciprocal (Lync Server 2013, \"Backup Registrar relationships\"): "
                        "expected {} to name {} as its backup pool",
                        quote(reference.owner), quote(*backup), quote(*backup),
                        back == nullptr ? std::string("names none")
                                        : fmt::format("names {}", quote(back->pool)),
                        quote(*backup), quote(reference.owner)));
        continue;
      }
      // The backup's own spelling, so that later lookups compare exactly.
      if (reference.index) {
        if (reference.standard_edition) {
          topology.standard_edition_servers[*reference.index].backup_pool = *backup;
        } else {
          topology.pools[*reference.index].backup_pool = *backup;
        }
      }
    }
  }

  // A backup pool that is no pool or server of the owner's edition: of the other edition
  // (`other_edition`, an unsupported pairing) or unknown.
  void report_unpaired(const BackupPoolReference& reference, const std::string* other_edition,
                       const std::vector<std::string>& same, std::string_view edition) {
    if (other_edition != nullptr) {
      problems_.report(
          reference.place,
          fmt::format("{} is {} and {} {}, an unsupported pairing: Enterprise Edition pairs only "
                      "with Enterprise Edition, Standard Edition only with Standard Edition "
                      "(Lync Server 2013, \"Supported pool pairing options and best "
                      "practices\"); expected {}",
                      quote(reference.owner),
                      reference.standard_edition ? "a Standard Edition server"
                                                 : "an Enterprise Edition pool",
                      quote(*other_edition),
                      reference.standard_edition ? "an Enterprise Edition pool"
                                                 : "a Standard Edition server",
                      edition));
      return;
    }
    std::vector<std::string> candidates;
    for (const auto& name : same) {
      if (model::fqdn_key(name) != model::fqdn_key(reference.owner)) candidates.push_back(name);
    }
    if (candidates.empty()) {
      problems_.report(reference.place,
                       fmt::format("unknown pool {}; expected {}, and the topology has none",
                                   quote(reference.pool), edition));
      return;
    }
    problems_.report(
        reference.place,
        fmt::format("unknown pool {}; expected {}: {}{}", quote(reference.pool), edition,
                    quoted_list(candidates), suggestion(reference.pool, candidates)));
  }

  // The name in `names` that `fqdn` names, if any.
  static const std::string* find_name(const std::vector<std::string>& names,
                                      std::string_view fqdn) {
    const std::string key = model::fqdn_key(fqdn);
    const auto it = std::ranges::find(names, key, [](const auto& n) { return model::fqdn_key(n); });
    return it == names.end() ? nullptr : &*it;
  }

  // The backup pool reference of the pool or server called `owner`, if it names one.
  const BackupPoolReference* backup_of(bool standard_edition, std::string_view owner) const {
    const std::string key = model::fqdn_key(owner);
    for (const auto& reference : backup_pools_) {
      if (reference.standard_edition == standard_edition &&
          model::fqdn_key(reference.owner) == key) {
        return &reference;
      }
    }
    return nullptr;
  }

  // Reported in document order, whatever order the topology's arrays come in.
  void report_duplicates() {
    std::vector<std::pair<std::vector<std::size_t>, const Declaration*>> ordered;
    for (const auto& declaration : declarations_) {
      ordered.emplace_back(order_key(*declaration.place.document, declaration.place.pointer),
                           &declaration);
    }
    std::ranges::stable_sort(ordered, std::ranges::less{}, [](const auto& e) { return e.first; });
    std::map<std::string, std::string> first_use;  // fqdn key -> pointer
    for (const auto& [order, declaration] : ordered) {
      const auto [it, inserted] =
          first_use.emplace(model::fqdn_key(declaration->fqdn), declaration->place.pointer);
      if (!inserted) {
        problems_.report(declaration->place, fmt::format("duplicate FQDN {} (already used at {})",
                                                         quote(declaration->written), it->second));
      }
    }
  }

  Problems& problems_;
  std::vector<Declaration> declarations_;
  std::vector<BackupPoolReference> backup_pools_;
  std::vector<Place> central_management_stores_;  // where it is true, in reading order
  std::vector<std::string> pool_names_;
  std::vector<std::string> standard_edition_names_;
  std::size_t pool_count_ = 0;
  std::size_t standard_edition_count_ = 0;
  bool pools_sound_ = true;
  bool standard_edition_sound_ = true;
};

}  // namespace

model::Topology read_topology(const Json& value, const Place& at, Problems& problems) {
  return TopologyReader(problems).read(value, at);
}

}  // namespace lyncupdate::loader::detail
