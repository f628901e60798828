#pragma once
/// \file
/// Which lyncupdate this is: one source for `--version`, every JSON document, the HTML report,
/// the journal of a live run and the Debian package.
///
/// The release is CMake's project version. A build from a git clone adds git's description of
/// the commit as build metadata (SemVer 2.0 section 10): `0.1.0+g1a2b3c4` (no release tag
/// among its ancestors), `0.1.0+3.g1a2b3c4` (three commits after tag v0.1.0), `.dirty` when
/// tracked files were modified. A build of the tagged commit itself, or one outside a clone,
/// is the release alone. The description is read at every build, so a new commit changes it
/// without reconfiguring.

#include <string_view>

namespace lyncupdate::version {

/// The release, `MAJOR.MINOR.PATCH` (CMake's project version), e.g. `0.1.0`.
std::string_view release();

/// The release with the git description as build metadata when built from a clone, e.g.
/// `0.1.0+g1a2b3c4`; the release alone otherwise.
std::string_view full();

/// What wrote a file: `lyncupdate ` and the full version.
std::string_view tool();

}  // namespace lyncupdate::version
