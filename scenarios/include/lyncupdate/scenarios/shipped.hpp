#pragma once
/// \file
/// The scenarios and runbooks that ship inside the `lyncupdate` binary.

#include <optional>
#include <span>
#include <string_view>

namespace lyncupdate::scenarios {

/// One embedded file: its name (`contoso`, `runbooks/backend-update`) and its exact bytes.
struct ShippedFile {
  std::string_view name;
  std::string_view text;
};

/// Every embedded file, in the order the build listed them.
std::span<const ShippedFile> shipped_files();

/// The embedded file called `name`, or nothing when no such file ships.
std::optional<std::string_view> shipped_file(std::string_view name);

/// The scenario that runs when the user names none.
inline constexpr std::string_view default_scenario = "contoso";

}  // namespace lyncupdate::scenarios
