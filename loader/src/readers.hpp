#pragma once
/// \file
/// Internal to the loader: the readers of each part of a scenario. Each reads what it can,
/// reports every problem it finds to a Problems sink, and keeps going; the result is only
/// used when no problem was reported.

#include <cstddef>
#include <expected>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/model/scenario.hpp"
#include "problems.hpp"

namespace lyncupdate::loader::detail {

// ---- Files ---------------------------------------------------------------------------------

/// The largest file the loader reads. A scenario is a few kilobytes; the cap keeps
/// `/dev/zero` or a wrong path to a disk image from exhausting memory.
inline constexpr std::size_t max_file_bytes = std::size_t{16} << 20;

/// Why a file could not be read.
struct FileError {
  bool is_directory = false;
  std::string reason;  ///< lower-case, e.g. "no such file or directory"
};

/// The text of `error` (an errno value), lower-case: "no such file or directory".
std::string errno_reason(int error);

/// The whole content of the file at `path`.
std::expected<std::string, FileError> read_text_file(const std::filesystem::path& path);

// ---- Parts of a scenario -------------------------------------------------------------------

/// Reads `/topology`.
model::Topology read_topology(const Json& value, const Place& at, Problems& problems);

/// A runbook as read, with where it came from.
struct RunbookRead {
  model::Runbook runbook;
  /// The ids of the steps, when every step's id could be read; timing is checked against it.
  std::optional<std::vector<std::string>> step_ids;
  /// The runbook's own document when it is a file or a shipped runbook; null when inline.
  std::unique_ptr<Document> document;
};

/// Reads `/runbook`: inline steps, a shipped runbook's name, or a file name ending in ".json"
/// looked up in `base_dir` (empty: files are not allowed).
RunbookRead read_runbook(const Json& value, const Place& at, const std::filesystem::path& base_dir,
                         Problems& problems);

/// Reads a runbook step's `probe` or `unattended`: a non-empty pipeline of non-empty argument
/// vectors of non-empty strings without control characters, and at most one of `present` and
/// `absent` (non-empty, no control characters).
std::optional<model::CommandCheck> read_command_check(const Json& value, const Place& at,
                                                      Problems& problems);

/// Reads `/timing`. Step ids are checked against `step_ids` and server FQDNs against
/// `topology`, each only when given (null when that part had problems).
model::TimingModel read_timing(const Json& value, const Place& at,
                               const std::vector<std::string>* step_ids,
                               const model::Topology* topology, Problems& problems);

/// Reads `/users`: the user model's profile, sessions, operation rates and registrar timers;
/// absent keys keep their defaults.
model::UserActivity read_users(const Json& value, const Place& at, Problems& problems);

/// Reads `/live`: what running the plan on real servers needs.
model::LiveSettings read_live(const Json& value, const Place& at, Problems& problems);

/// Reads a scenario document, resolves its plan, and returns it or every problem.
LoadResult read_scenario(std::string_view text, std::string_view display_name,
                         const std::filesystem::path& base_dir);

}  // namespace lyncupdate::loader::detail
