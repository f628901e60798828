#pragma once
/// \file
/// Validation of fully qualified domain names. Every FQDN in a scenario passes through here,
/// because FQDNs end up in commands run on real servers.

#include <optional>
#include <string>
#include <string_view>

namespace lyncupdate::model {

/// Why `text` is not a valid DNS name, or nothing when it is one. A valid FQDN has at least
/// two labels of 1 to 63 letters, digits and hyphens, no label starts or ends with a hyphen,
/// the top-level label is not all digits, and the whole is at most 253 characters.
std::optional<std::string> fqdn_problem(std::string_view text);

/// `text` in lower case: DNS names compare without regard to case.
std::string fqdn_key(std::string_view text);

}  // namespace lyncupdate::model
