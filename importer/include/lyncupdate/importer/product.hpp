#pragma once
/// \file
/// What importing a topology needs to know about a product version: the shipped runbooks and
/// timing its scenarios use, and which back-end layouts it has. One profile per version, so a
/// version plugs in as data (DESIGN.md, "Product versions are data").

#include <cstdint>
#include <optional>
#include <string_view>

#include "lyncupdate/model/catalogue.hpp"

namespace lyncupdate::importer {

/// A product version `import` can write scenarios for.
struct ImportProfile {
  model::Product product{};
  std::string_view runbook;                   ///< shipped runbook of back ends and SE servers
  std::string_view front_end_runbook;         ///< shipped runbook of front ends
  std::string_view mirrored_backend_runbook;  ///< shipped runbook of mirrored principals
  std::string_view mirror_runbook;            ///< shipped runbook of mirrors
  /// The shipped scenario whose timing (ASSUMED durations, documented) new scenarios take.
  std::string_view timing_from;
  /// AlwaysOn availability groups as back ends (DOMAIN.md section 7: from Skype for Business
  /// Server 2015).
  bool always_on = false;
  /// Users assumed per front end of a pool, and per Standard Edition server, when no
  /// `--users` file gives them. ASSUMED (docs/domain-notes.md): no source gives a count.
  std::int64_t users_per_front_end = 0;
  std::int64_t users_per_standard_edition = 0;
};

/// The profile of `product`; nothing for the versions `import` does not support yet (the
/// Skype for Business Server versions: their runbooks do not ship).
std::optional<ImportProfile> import_profile(model::Product product);

}  // namespace lyncupdate::importer
