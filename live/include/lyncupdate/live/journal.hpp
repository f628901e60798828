#pragma once
/// \file
/// The journal of a live run: JSON lines, one record a line, each line written with one
/// write() on an O_APPEND descriptor and flushed to disk (fsync) before the run goes on, so
/// that after a crash the file tells which steps finished, which were started and not seen
/// to end, and which a probe settled. The format is in docs/json.md ("The journal").
///
/// Times in records are `Duration`s (whole milliseconds, model/time.hpp), written as `_ms`
/// integers.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <sys/types.h>

#include "lyncupdate/model/runbook.hpp"
#include "lyncupdate/model/time.hpp"

namespace lyncupdate::live {

/// The value of the header's `journal` key: the format and its version.
inline constexpr std::string_view journal_format = "lyncupdate/journal/1";

/// The first line of a journal: what ran, with which tool, how, and when.
struct Header {
  std::string scenario;         ///< the scenario's `name`
  std::string scenario_sha256;  ///< 64 lower-case hex digits: SHA-256 of the self-contained text
  std::string tool;             ///< "lyncupdate 0.1.0"
  std::string transport;        ///< "ssh" or "local"
  std::string started_utc;      ///< "2026-11-26T09:30:00Z"

  friend bool operator==(const Header&, const Header&) = default;
};

/// How an attempt of a step ended.
enum class AttemptOutcome : std::uint8_t {
  succeeded,        ///< the command exited 0 (or the operator confirmed)
  failed,           ///< non-zero exit, or the check did not hold
  reboot_required,  ///< the installer finished and asks for a restart (a success)
  timed_out,        ///< killed after its time limit
};

/// The journal's name of an outcome, e.g. "timed_out".
std::string_view outcome_name(AttemptOutcome outcome);

/// The outcome called `name`, if any.
std::optional<AttemptOutcome> parse_outcome(std::string_view name);

/// Written before an attempt starts: after a crash, an intent without an outcome is an
/// attempt whose end nobody saw.
struct Intent {
  std::string server;         ///< FQDN of the updated server
  std::string step;           ///< runbook step id
  std::uint32_t attempt = 1;  ///< 1-based
  model::StepKind kind = model::StepKind::command;
  std::string host;               ///< where the command runs; "" when none runs (manual step)
  std::vector<std::string> argv;  ///< the command's argument vector; empty when none
  Duration at{};                  ///< since the start of the writing session

  friend bool operator==(const Intent&, const Intent&) = default;
};

/// Written when an attempt ends.
struct Outcome {
  std::string server;
  std::string step;
  std::uint32_t attempt = 1;
  AttemptOutcome outcome = AttemptOutcome::succeeded;
  std::optional<int> exit_code;  ///< none when the process never exited by itself (JSON null)
  Duration duration{};           ///< how long the attempt took
  Duration at{};
  std::string output_tail;  ///< the end of what the command printed; may be empty

  friend bool operator==(const Outcome&, const Outcome&) = default;
};

/// Written on resume for an intent without an outcome, after running the step's probe.
struct Probe {
  std::string server;
  std::string step;
  std::uint32_t attempt = 1;
  bool done = false;  ///< true: the step had finished; false: it must run again
  Duration at{};

  friend bool operator==(const Probe&, const Probe&) = default;
};

/// The run stopped before the end of the plan.
struct Stop {
  std::string reason;  ///< "interrupted", "failed", ...
  Duration at{};

  friend bool operator==(const Stop&, const Stop&) = default;
};

/// A new session took the journal over; `at` of the records after it counts from here.
struct Resume {
  std::string started_utc;
  Duration at{};

  friend bool operator==(const Resume&, const Resume&) = default;
};

/// The whole plan ran to its end.
struct Finished {
  Duration at{};

  friend bool operator==(const Finished&, const Finished&) = default;
};

/// One line of a journal after the header.
using Record = std::variant<Intent, Outcome, Probe, Stop, Resume, Finished>;

/// The record's line of JSON, without the final newline.
std::string format_record(const Record& record);

/// The header's line of JSON, without the final newline.
std::string format_header(const Header& header);

/// A last line that a crash left incomplete: no final newline, or not parsable. It is
/// ignored by the reader and cut off by `JournalWriter::reopen`.
struct TornLine {
  std::size_t line = 0;      ///< 1-based
  std::uint64_t offset = 0;  ///< byte offset where it begins: the length the file is cut to
  std::string reason;        ///< "no final newline" or what the parser said

  friend bool operator==(const TornLine&, const TornLine&) = default;
};

/// A journal as read from disk.
struct Journal {
  std::filesystem::path path;
  Header header;
  std::vector<Record> records;     ///< in file order
  std::vector<std::size_t> lines;  ///< the 1-based line of each record (the header is line 1)
  std::optional<TornLine> torn;
};

/// Reads and checks a journal. Errors say `FILE:LINE: error: ...` (or `FILE: error: ...`
/// for the file as a whole) with what was found and what was expected: an unreadable or
/// empty file, a header of another format, a malformed line before the last, an outcome
/// without an earlier intent. A torn last line is not an error: see `Journal::torn`.
std::expected<Journal, std::string> read_journal(const std::filesystem::path& path);

/// The identity of one attempt of a step on a server.
struct AttemptKey {
  std::string server;
  std::string step;
  std::uint32_t attempt = 1;

  friend auto operator<=>(const AttemptKey&, const AttemptKey&) = default;
};

/// What the journal says about one attempt.
enum class AttemptState : std::uint8_t {
  finished,          ///< an outcome was written
  started,           ///< an intent without outcome and without probe: its end is unknown
  settled_done,      ///< no outcome, but a probe found the step finished
  settled_not_done,  ///< no outcome, and a probe found it must run again
};

/// One attempt as a resumed run needs to know it.
struct AttemptSummary {
  AttemptKey key;
  AttemptState state = AttemptState::started;
  std::optional<AttemptOutcome> outcome;  ///< when finished
  Duration duration{};                    ///< when finished
};

/// A journal digested for resume.
struct JournalSummary {
  /// Every attempt with an intent, in the order of their first intent.
  std::vector<AttemptSummary> attempts;
  bool finished = false;  ///< a `finished` record exists
  std::optional<TornLine> torn;

  /// The attempt `key`, or nullptr when the journal has no intent for it.
  const AttemptSummary* find(const AttemptKey& key) const;
};

/// Digests `journal`: an intent starts an attempt (a later intent for the same key starts it
/// afresh), an outcome finishes it, a probe settles it unless it finished with success (a
/// probe of a failed attempt is a retry's, `live --resume --retry-failed`; a probe without an
/// intent is a resumed run's, of a step it had not started yet).
JournalSummary summarize(const Journal& journal);

/// Faults injected into a JournalWriter's system calls, so that tests can show what a full
/// disk, an I/O error or a crash in the middle of a write does to a run (a seam in the spirit
/// of FoundationDB's buggify). Lines are counted from 1 for each writer: the header of a new
/// journal is line 1; the first record appended to a reopened journal is line 1. 0 = never.
struct JournalFaults {
  std::uint32_t fail_write = 0;  ///< this line's write() fails with ENOSPC; nothing is written
  std::uint32_t fail_fsync = 0;  ///< this line is written, then its fsync() fails with EIO
  std::uint32_t torn_write = 0;  ///< only `torn_bytes` bytes of this line are written
  std::size_t torn_bytes = 0;    ///< less than the line's length, its `\n` included

  bool any() const { return fail_write != 0 || fail_fsync != 0 || torn_write != 0; }
  friend bool operator==(const JournalFaults&, const JournalFaults&) = default;
};

/// The environment variable that `live` reads faults from (`parse_journal_faults`); for tests.
inline constexpr const char* journal_faults_variable = "LYNCUPDATE_JOURNAL_FAULTS";

/// Reads faults written as comma-separated items: `write:N` (the Nth line's write fails),
/// `fsync:N` (its fsync fails), `torn:N:BYTES` (only BYTES bytes of it reach the file), e.g.
/// "write:8" or "torn:3:17". The error says which item is wrong and what was expected.
std::expected<JournalFaults, std::string> parse_journal_faults(std::string_view text);

/// Appends records to a journal, each as one write() of a whole line on an O_APPEND
/// descriptor followed by fsync(). After a failed append the writer refuses further appends,
/// so that a partial line can only ever be the last one. Move-only; closes on destruction.
class JournalWriter {
 public:
  /// Creates `path` (it must not exist: O_CREAT|O_EXCL), writes the header line, flushes
  /// the file and its directory. `faults` are injected (tests only). When the file was made
  /// but could not be written or flushed (a full disk, an I/O error), it is removed again and
  /// `*write_failed` (when given) is set: the environment failed, not the input.
  static std::expected<JournalWriter, std::string> create(const std::filesystem::path& path,
                                                          const Header& header,
                                                          const JournalFaults& faults = {},
                                                          bool* write_failed = nullptr);

  /// A journal reopened to resume a run: the writer and what the file held.
  struct Reopened;

  /// Reopens an existing journal to append to it. The journal must read without error (see
  /// `read_journal`); when `expected_scenario_sha256` is not empty, the header's must equal
  /// it. A torn last line is cut off (and the cut flushed) before anything is appended.
  static std::expected<Reopened, std::string> reopen(const std::filesystem::path& path,
                                                     std::string_view expected_scenario_sha256 = {},
                                                     const JournalFaults& faults = {});

  JournalWriter(JournalWriter&& other) noexcept;
  JournalWriter& operator=(JournalWriter&& other) noexcept;
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;
  ~JournalWriter();

  /// Writes `record` as one line and flushes it to disk. On failure says why, naming the
  /// file; the writer is then broken.
  std::expected<void, std::string> append(const Record& record);

  const std::filesystem::path& path() const { return path_; }

 private:
  JournalWriter(std::filesystem::path path, int fd, const JournalFaults& faults)
      : path_(std::move(path)), fd_(fd), faults_(faults) {}
  std::expected<void, std::string> write_line(std::string line);
  ssize_t write_bytes(const std::string& line);
  int flush();

  std::filesystem::path path_;
  int fd_ = -1;
  bool broken_ = false;
  JournalFaults faults_;
  std::uint32_t lines_ = 0;  ///< lines this writer attempted, the current one included
};

struct JournalWriter::Reopened {
  JournalWriter writer;
  Journal journal;  ///< as read before the torn line (if any) was cut off
};

}  // namespace lyncupdate::live
