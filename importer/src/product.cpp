#include "lyncupdate/importer/product.hpp"

namespace lyncupdate::importer {

std::optional<ImportProfile> import_profile(model::Product product) {
  switch (product) {
    case model::Product::lync2013: {
      ImportProfile profile;
      profile.product = product;
      profile.runbook = "backend-update";
      profile.front_end_runbook = "frontend-update";
      profile.mirrored_backend_runbook = "mirrored-backend-update";
      profile.mirror_runbook = "mirror-update";
      profile.timing_from = "enterprise-rollout";
      profile.always_on = false;  // DOMAIN.md section 7: no AlwaysOn back end in Lync 2013
      // ASSUMED (docs/domain-notes.md): no published count of users per server.
      profile.users_per_front_end = 2000;
      profile.users_per_standard_edition = 1000;
      return profile;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace lyncupdate::importer
