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
/// the top-level label is not all digits, and the whole is at most 253 characters. One
/// trailing dot (an absolute name, "sql01.contoso.com.") is allowed and not counted.
std::optional<std::string> fqdn_problem(std::string_view text);

/// `text` without the trailing dot of an absolute name, as the scenario stores it and commands
/// name the server: "sql01.contoso.com." names the same host as "sql01.contoso.com".
std::string fqdn_canonical(std::string_view text);

/// The key FQDNs compare by: fqdn_canonical in lower case, since DNS names compare without
/// regard to case or to the trailing dot ("SQL01.contoso.com" and "sql01.contoso.com." are one
/// server).
std::string fqdn_key(std::string_view text);

}  // namespace lyncupdate::model
