// The journal's lock: a flock on JOURNAL.lock, whose content names the holder.
//
// Three processes can meet at the lock file: a holder, a session that wants the journal, and
// `live --status` asking who holds it. The holder removes the file when it ends, while it
// still holds the lock; a newcomer that opened the old file before the removal and locked it
// after would hold a lock nobody else can see, so after locking it checks that the path still
// names the file it locked, and starts again when not. `--status` takes a shared lock for an
// instant to learn whether anyone holds it; a session that meets that instant tries again a
// few times before it refuses.
#include "lyncupdate/live/journal_lock.hpp"

#include <cerrno>
#include <chrono>
#include <system_error>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <fmt/format.h>
#include <limits.h>
#include <nlohmann/json.hpp>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lyncupdate::live {
namespace {

// How often, and how long apart, a session asks again for a lock held by someone else.
constexpr int lock_tries = 10;
constexpr auto lock_retry_pause = std::chrono::milliseconds(20);
// How often a lock file removed under us is opened again before giving up.
constexpr int max_replaced_tries = 100;
// A lock file is one short line; anything longer is not one of ours.
constexpr std::size_t max_lock_file_bytes = 4096;

std::string lower_first_letter(std::string text) {
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') {
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  }
  return text;
}

std::string lock_error_text(int error) {
  return lower_first_letter(std::generic_category().message(error));
}

std::string format_holder(const LockHolder& holder) {
  return nlohmann::ordered_json{{"lock", journal_lock_format},
                                {"host", holder.host},
                                {"pid", holder.pid},
                                {"started_utc", holder.started_utc}}
             .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
         "\n";
}

// The holder that a lock file names; an empty LockHolder when it names none (being written,
// or not one of ours).
LockHolder read_holder(int fd) {
  std::string text(max_lock_file_bytes, '\0');
  const ssize_t n = ::pread(fd, text.data(), text.size(), 0);
  if (n <= 0) return {};
  text.resize(static_cast<std::size_t>(n));
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object() || json.value("lock", "") != journal_lock_format) return {};
  LockHolder holder;
  if (const auto it = json.find("host"); it != json.end() && it->is_string()) {
    holder.host = it->get<std::string>();
  }
  if (const auto it = json.find("pid"); it != json.end() && it->is_number_integer()) {
    holder.pid = it->get<std::int64_t>();
  }
  if (const auto it = json.find("started_utc"); it != json.end() && it->is_string()) {
    holder.started_utc = it->get<std::string>();
  }
  return holder;
}

std::string describe_holder(const LockHolder& holder) {
  if (holder.host.empty() && holder.pid == 0) return "a session that is starting";
  return fmt::format("pid {} on host {}, since {}", holder.pid,
                     holder.host.empty() ? "(unknown)" : holder.host,
                     holder.started_utc.empty() ? "(unknown)" : holder.started_utc);
}

// Whether `path` still names the file open as `fd`.
bool still_named(const std::filesystem::path& path, int fd) {
  struct stat opened {};
  struct stat named {};
  if (::fstat(fd, &opened) != 0 || ::lstat(path.c_str(), &named) != 0) return false;
  return opened.st_dev == named.st_dev && opened.st_ino == named.st_ino;
}

std::expected<void, std::string> record_holder(int fd, const LockHolder& holder) {
  const std::string line = format_holder(holder);
  if (::ftruncate(fd, 0) != 0) return std::unexpected(lock_error_text(errno));
  const ssize_t written = ::pwrite(fd, line.data(), line.size(), 0);
  if (written < 0) return std::unexpected(lock_error_text(errno));
  if (static_cast<std::size_t>(written) != line.size()) return std::unexpected("short write");
  if (::fsync(fd) != 0) return std::unexpected(lock_error_text(errno));
  return {};
}

}  // namespace

LockHolder this_process(std::string started_utc) {
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name - 1) != 0) name[0] = '\0';
  return LockHolder{name, static_cast<std::int64_t>(::getpid()), std::move(started_utc)};
}

std::filesystem::path lock_path(const std::filesystem::path& journal) {
  std::filesystem::path path = journal;
  path += ".lock";
  return path;
}

std::expected<JournalLock, LockRefusal> JournalLock::acquire(const std::filesystem::path& journal,
                                                             const LockHolder& holder) {
  const std::filesystem::path path = lock_path(journal);
  const auto failed = [&](std::string_view what, int error) {
    return std::unexpected(
        LockRefusal{false, std::nullopt,
                    fmt::format("cannot lock journal {}: {} {}: {}", journal.string(), what,
                                path.string(), lock_error_text(error))});
  };
  for (int tries = 1;; ++tries) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) return failed("cannot open the lock file", errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int error = errno;
      if (error != EWOULDBLOCK) {
        ::close(fd);
        return failed("cannot lock the lock file", error);
      }
      const LockHolder other = read_holder(fd);
      ::close(fd);
      if (tries < lock_tries) {
        std::this_thread::sleep_for(lock_retry_pause);
        continue;
      }
      return std::unexpected(LockRefusal{
          true, other,
          fmt::format("the journal {} is in use by another session: {} (lock file {}); only one "
                      "session may run a journal: wait for it to end, or stop it",
                      journal.string(), describe_holder(other), path.string())});
    }
    // The holder before us may have removed the file between our open and our lock.
    if (!still_named(path, fd)) {
      ::close(fd);
      if (tries < max_replaced_tries) continue;
      return failed("cannot keep hold of the lock file", ESTALE);
    }
    if (auto recorded = record_holder(fd, holder); !recorded) {
      const std::string why = recorded.error();
      ::unlink(path.c_str());
      ::close(fd);
      return std::unexpected(
          LockRefusal{false, std::nullopt,
                      fmt::format("cannot lock journal {}: cannot write the lock file {}: {}",
                                  journal.string(), path.string(), why)});
    }
    return JournalLock(path, fd);
  }
}

std::expected<std::optional<LockHolder>, std::string> JournalLock::holder(
    const std::filesystem::path& journal) {
  const std::filesystem::path path = lock_path(journal);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<LockHolder>();
    return std::unexpected(
        fmt::format("cannot read the lock file {}: {}", path.string(), lock_error_text(errno)));
  }
  std::optional<LockHolder> out;
  if (::flock(fd, LOCK_SH | LOCK_NB) == 0) {
    ::flock(fd, LOCK_UN);  // nobody holds it: what the file says is a dead session's
  } else if (errno == EWOULDBLOCK) {
    out = read_holder(fd);
  } else {
    const int error = errno;
    ::close(fd);
    return std::unexpected(
        fmt::format("cannot read the lock file {}: {}", path.string(), lock_error_text(error)));
  }
  ::close(fd);
  return out;
}

JournalLock::JournalLock(JournalLock&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

JournalLock& JournalLock::operator=(JournalLock&& other) noexcept {
  if (this != &other) {
    release();
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

JournalLock::~JournalLock() { release(); }

void JournalLock::release() {
  if (fd_ < 0) return;
  // Removed while still locked: whoever opened it meanwhile sees that it is gone.
  ::unlink(path_.c_str());
  ::close(fd_);
  fd_ = -1;
}

}  // namespace lyncupdate::live
