#pragma once
/// \file
/// SHA-256 digests, as the journal records the scenario a run executed.

#include <string>
#include <string_view>

namespace lyncupdate::live {

/// The SHA-256 digest of `bytes` as 64 lower-case hex digits (FIPS 180-4).
std::string sha256_hex(std::string_view bytes);

}  // namespace lyncupdate::live
