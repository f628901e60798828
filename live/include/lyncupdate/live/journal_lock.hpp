#pragma once
/// \file
/// One session per journal: a live session holds an exclusive lock on the journal for its
/// whole life, so that a second `live` on the same journal (an operator whose terminal dropped
/// runs `--resume` while the first process still runs) refuses instead of running steps twice.
///
/// The lock is a `flock` on a lock file beside the journal, `JOURNAL.lock`, which records the
/// holder (host, pid, start time; docs/json.md, "The journal's lock file") so that the refusal
/// can name it. The kernel releases a `flock` when its holder dies, whatever killed it, so a
/// lock file left by a dead process never blocks a resume: its content is only ever read
/// while its lock is held by someone.

#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>

namespace lyncupdate::live {

/// The value of the lock file's `lock` key.
inline constexpr std::string_view journal_lock_format = "lyncupdate/journal-lock/1";

/// Who holds a journal.
struct LockHolder {
  std::string host;         ///< the holder's host name (gethostname)
  std::int64_t pid = 0;     ///< its process id on that host
  std::string started_utc;  ///< when it took the lock, "2026-11-26T09:30:00Z"

  friend bool operator==(const LockHolder&, const LockHolder&) = default;
};

/// This process, now: the holder a session records.
LockHolder this_process(std::string started_utc);

/// The lock file of `journal`: the same path with ".lock" appended.
std::filesystem::path lock_path(const std::filesystem::path& journal);

/// Why a journal could not be locked.
struct LockRefusal {
  bool held = false;  ///< true: another session holds it; false: the lock file failed
  std::optional<LockHolder> holder;  ///< when held and its lock file names it
  std::string message;               ///< the whole sentence, naming the journal and holder
};

/// An exclusive lock on a journal, held until destruction (or the process's end). Move-only.
class JournalLock {
 public:
  /// Takes the lock of `journal` for `holder`, without waiting for another session: the
  /// refusal names the holder. A lock file whose holder died is taken over.
  static std::expected<JournalLock, LockRefusal> acquire(const std::filesystem::path& journal,
                                                         const LockHolder& holder);

  /// Who holds the lock of `journal` now, without taking it: none when no session does.
  /// A session that is only starting may be reported as holding it with no holder yet.
  static std::expected<std::optional<LockHolder>, std::string> holder(
      const std::filesystem::path& journal);

  JournalLock(JournalLock&& other) noexcept;
  JournalLock& operator=(JournalLock&& other) noexcept;
  JournalLock(const JournalLock&) = delete;
  JournalLock& operator=(const JournalLock&) = delete;
  /// Removes the lock file, then releases the lock.
  ~JournalLock();

 private:
  JournalLock(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  void release();

  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace lyncupdate::live
