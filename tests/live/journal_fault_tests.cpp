// What a full disk, an I/O error, a crash in the middle of a write and a second session do to
// a journal, with faults injected into the writer's system calls (JournalFaults): the failing
// append says why and nothing after it is written, the journal stays readable, a torn record
// at any byte offset is set aside and cut off on resume; and one session holds a journal at a
// time, while a dead session's lock never blocks the next.

#include <cerrno>
#include <filesystem>
#include <string>

#include <boost/test/unit_test.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include "lyncupdate/live/journal.hpp"
#include "lyncupdate/live/journal_lock.hpp"
#include "scratch.hpp"

namespace live = lyncupdate::live;
using lyncupdate::Duration;

namespace {

std::filesystem::path fault_dir(const std::string& name) {
  return lyncupdate::test::scratch_dir("journal-faults/" + name);
}

using lyncupdate::test::file_bytes;

live::Header fault_header() {
  return {"lab", std::string(64, 'a'), "lyncupdate 0.1.0", "ssh", "2026-11-26T09:30:00Z"};
}

live::Intent stop_services(std::string server) {
  live::Intent r;
  r.server = std::move(server);
  r.step = "stop-services";
  r.kind = lyncupdate::model::StepKind::command;
  r.host = r.server;
  r.argv = {"Stop-CsWindowsService"};
  r.at = Duration(1234);
  return r;
}

// A journal with its header and one intent, whose next line (line 3) meets `faults`.
live::JournalWriter journal_meeting(const std::filesystem::path& path,
                                    const live::JournalFaults& faults) {
  auto writer = live::JournalWriter::create(path, fault_header(), faults);
  BOOST_TEST_REQUIRE(writer.has_value(), writer.error());
  const auto first = writer->append(stop_services("sql01.lab.test"));
  BOOST_TEST_REQUIRE(first.has_value(), first.error());
  return std::move(*writer);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(journal_faults)

BOOST_AUTO_TEST_CASE(faults_read_from_their_text) {
  BOOST_TEST((live::parse_journal_faults("").value() == live::JournalFaults{}));
  BOOST_TEST((live::parse_journal_faults("write:8").value() == live::JournalFaults{8, 0, 0, 0}));
  BOOST_TEST((live::parse_journal_faults("fsync:2,torn:3:17").value() ==
              live::JournalFaults{0, 2, 3, 17}));
  BOOST_TEST((live::parse_journal_faults("torn:3:0").value() == live::JournalFaults{0, 0, 3, 0}));
  for (const char* bad :
       {"write", "write:0", "write:x", "fsync:1:2", "torn:3", "disk:1", "write:8,"}) {
    const auto parsed = live::parse_journal_faults(bad);
    BOOST_TEST(!parsed.has_value(), bad);
  }
  BOOST_TEST(live::parse_journal_faults("write:0").error() ==
             "\"write:0\": expected write:N, fsync:N or torn:N:BYTES (N a line from 1, BYTES "
             "from 0)");
}

BOOST_AUTO_TEST_CASE(a_failed_write_says_why_stops_the_writer_and_leaves_a_readable_journal) {
  const auto path = fault_dir("write") / "run.journal";
  auto writer = journal_meeting(path, {.fail_write = 3});
  const std::string before = file_bytes(path);
  const auto failed = writer.append(stop_services("se01.lab.test"));
  BOOST_TEST_REQUIRE(!failed.has_value());
  BOOST_TEST(failed.error() ==
             "cannot write to journal " + path.string() + ": no space left on device");
  // Nothing more is written after a failure, so a damaged line can only be the last.
  const auto after = writer.append(live::Stop{"failed", Duration(1)});
  BOOST_TEST_REQUIRE(!after.has_value());
  BOOST_TEST(after.error() ==
             "cannot append to journal " + path.string() + ": an earlier write to it failed");
  BOOST_TEST(file_bytes(path) == before);
  const auto journal = live::read_journal(path);
  BOOST_TEST_REQUIRE(journal.has_value(), journal.error());
  BOOST_TEST(journal->records.size() == 1U);
  BOOST_TEST(!journal->torn.has_value());
}

BOOST_AUTO_TEST_CASE(a_failed_fsync_says_why_and_the_line_it_wrote_reads_as_started) {
  const auto path = fault_dir("fsync") / "run.journal";
  auto writer = journal_meeting(path, {.fail_fsync = 3});
  const auto failed = writer.append(stop_services("se01.lab.test"));
  BOOST_TEST_REQUIRE(!failed.has_value());
  BOOST_TEST(failed.error() ==
             "cannot flush journal " + path.string() + " to disk: input/output error");
  BOOST_TEST(!writer.append(live::Stop{"failed", Duration(1)}).has_value());
  // The line may or may not reach the disk: read back, it is an attempt whose end is unknown,
  // which a resumed run settles with the step's probe.
  const auto journal = live::read_journal(path);
  BOOST_TEST_REQUIRE(journal.has_value(), journal.error());
  const auto summary = live::summarize(*journal);
  BOOST_TEST_REQUIRE(summary.attempts.size() == 2U);
  BOOST_TEST(
      (summary.find({"se01.lab.test", "stop-services", 1})->state == live::AttemptState::started));
}

BOOST_AUTO_TEST_CASE(a_record_torn_at_every_byte_offset_is_set_aside_then_cut_off_on_resume) {
  const std::string line = live::format_record(stop_services("se01.lab.test")) + "\n";
  const auto dir = fault_dir("torn");
  for (std::size_t bytes = 0; bytes < line.size(); ++bytes) {
    BOOST_TEST_CONTEXT("torn after " << bytes << " of " << line.size() << " bytes") {
      const auto path = dir / ("run-" + std::to_string(bytes) + ".journal");
      {
        auto writer = journal_meeting(path, {.torn_write = 3, .torn_bytes = bytes});
        const auto torn = writer.append(stop_services("se01.lab.test"));
        BOOST_TEST_REQUIRE(!torn.has_value());
        BOOST_TEST(torn.error() == "cannot write to journal " + path.string() + ": short write (" +
                                       std::to_string(bytes) + " of " +
                                       std::to_string(line.size()) + " bytes)");
      }
      const std::string whole = file_bytes(path);
      const std::size_t intact = whole.size() - bytes;
      BOOST_TEST(whole.substr(intact) == line.substr(0, bytes));
      const auto journal = live::read_journal(path);
      BOOST_TEST_REQUIRE(journal.has_value(), journal.error());
      BOOST_TEST(journal->records.size() == 1U);
      BOOST_TEST(journal->torn.has_value() == (bytes > 0));
      if (journal->torn) {
        BOOST_TEST(journal->torn->line == 3U);
        BOOST_TEST(journal->torn->offset == intact);
        BOOST_TEST(journal->torn->reason == "no final newline");
      }
      // The step whose intent tore never started: nothing says it did.
      BOOST_TEST(live::summarize(*journal).find({"se01.lab.test", "stop-services", 1}) == nullptr);
      {
        auto reopened = live::JournalWriter::reopen(path);
        BOOST_TEST_REQUIRE(reopened.has_value(), reopened.error());
        BOOST_TEST_REQUIRE(reopened->writer.append(stop_services("se01.lab.test")).has_value());
      }
      BOOST_TEST(file_bytes(path) == whole.substr(0, intact) + line);
      const auto resumed = live::read_journal(path);
      BOOST_TEST_REQUIRE(resumed.has_value(), resumed.error());
      BOOST_TEST(resumed->records.size() == 2U);
      BOOST_TEST(!resumed->torn.has_value());
    }
  }
}

BOOST_AUTO_TEST_CASE(a_journal_whose_header_cannot_be_written_is_removed) {
  const auto dir = fault_dir("header");
  for (const live::JournalFaults faults :
       {live::JournalFaults{.fail_write = 1}, live::JournalFaults{.fail_fsync = 1},
        live::JournalFaults{.torn_write = 1, .torn_bytes = 40}}) {
    const auto path = dir / "run.journal";
    bool write_failed = false;
    const auto writer = live::JournalWriter::create(path, fault_header(), faults, &write_failed);
    BOOST_TEST(!writer.has_value());
    BOOST_TEST(write_failed);
    BOOST_TEST(!std::filesystem::exists(path));
  }
}

BOOST_AUTO_TEST_CASE(a_probe_settles_a_step_never_started_and_a_retried_failure) {
  const auto path = fault_dir("probes") / "run.journal";
  {
    auto writer = journal_meeting(path, {});
    const std::vector<live::Record> records{
        live::Outcome{"sql01.lab.test", "stop-services", 1, live::AttemptOutcome::failed, 1,
                      Duration(10), Duration(20), "Injected fault"},
        live::Stop{"failed", Duration(30)},
        live::Resume{"2026-11-26T10:00:00Z", Duration(0)},
        // --retry-failed: the failed attempt is probed, found done.
        live::Probe{"sql01.lab.test", "stop-services", 1, true, Duration(10)},
        // A resumed run probes a step before it starts it.
        live::Probe{"sql01.lab.test", "stop-w3svc", 1, true, Duration(20)},
        live::Probe{"sql01.lab.test", "install-update", 1, false, Duration(30)},
    };
    for (const auto& record : records) BOOST_TEST_REQUIRE(writer.append(record).has_value());
  }
  const auto journal = live::read_journal(path);
  BOOST_TEST_REQUIRE(journal.has_value(), journal.error());
  const auto summary = live::summarize(*journal);
  BOOST_TEST_REQUIRE(summary.attempts.size() == 3U);
  BOOST_TEST((summary.find({"sql01.lab.test", "stop-services", 1})->state ==
              live::AttemptState::settled_done));
  BOOST_TEST(!summary.find({"sql01.lab.test", "stop-services", 1})->outcome.has_value());
  BOOST_TEST((summary.find({"sql01.lab.test", "stop-w3svc", 1})->state ==
              live::AttemptState::settled_done));
  BOOST_TEST((summary.find({"sql01.lab.test", "install-update", 1})->state ==
              live::AttemptState::settled_not_done));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(journal_lock)

BOOST_AUTO_TEST_CASE(a_second_session_is_refused_naming_the_holder) {
  const auto journal = fault_dir("lock") / "run.journal";
  const live::LockHolder first{"ops01", 4242, "2026-11-26T09:30:00Z"};
  {
    auto held = live::JournalLock::acquire(journal, first);
    BOOST_TEST_REQUIRE(held.has_value(), held.error().message);
    BOOST_TEST(file_bytes(live::lock_path(journal)) ==
               R"({"lock":"lyncupdate/journal-lock/1","host":"ops01","pid":4242,)"
               R"("started_utc":"2026-11-26T09:30:00Z"})"
               "\n");
    BOOST_TEST((live::JournalLock::holder(journal).value() == first));
    const auto second = live::JournalLock::acquire(journal, {"ops02", 7, "2026-11-26T09:31:00Z"});
    BOOST_TEST_REQUIRE(!second.has_value());
    BOOST_TEST(second.error().held);
    BOOST_TEST((second.error().holder == first));
    BOOST_TEST(second.error().message ==
               "the journal " + journal.string() +
                   " is in use by another session: pid 4242 on host ops01, since "
                   "2026-11-26T09:30:00Z (lock file " +
                   journal.string() +
                   ".lock); only one session may run a journal: wait for it to end, or stop it");
  }
  // Released: the lock file is gone and the next session takes the journal.
  BOOST_TEST(!std::filesystem::exists(live::lock_path(journal)));
  BOOST_TEST(!live::JournalLock::holder(journal).value().has_value());
  BOOST_TEST(live::JournalLock::acquire(journal, first).has_value());
}

BOOST_AUTO_TEST_CASE(a_dead_sessions_lock_never_blocks_the_next) {
  const auto journal = fault_dir("stale") / "run.journal";
  const pid_t child = ::fork();
  BOOST_TEST_REQUIRE(child >= 0);
  if (child == 0) {
    // Takes the lock and dies without releasing it, as a SIGKILL would leave it.
    auto held = live::JournalLock::acquire(journal, live::this_process("2026-11-26T09:30:00Z"));
    ::_exit(held.has_value() ? 0 : 1);
  }
  int status = 0;
  BOOST_TEST_REQUIRE(::waitpid(child, &status, 0) == child);
  BOOST_TEST_REQUIRE(WIFEXITED(status));
  BOOST_TEST_REQUIRE(WEXITSTATUS(status) == 0);
  // Its lock file is still there, naming the dead process; nobody holds its lock.
  BOOST_TEST(file_bytes(live::lock_path(journal)).find("\"pid\":" + std::to_string(child)) !=
             std::string::npos);
  BOOST_TEST(!live::JournalLock::holder(journal).value().has_value());
  const auto next = live::JournalLock::acquire(journal, {"ops01", 1, "2026-11-26T10:00:00Z"});
  BOOST_TEST_REQUIRE(next.has_value(), next.error().message);
  BOOST_TEST(file_bytes(live::lock_path(journal)).find("\"pid\":1,") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_lock_file_that_cannot_be_made_is_a_clear_refusal) {
  const auto journal = fault_dir("nowhere") / "missing-folder" / "run.journal";
  const auto refused = live::JournalLock::acquire(journal, {"ops01", 1, "x"});
  BOOST_TEST_REQUIRE(!refused.has_value());
  BOOST_TEST(!refused.error().held);
  BOOST_TEST(refused.error().message == "cannot lock journal " + journal.string() +
                                            ": cannot open the lock file " + journal.string() +
                                            ".lock: no such file or directory");
}

BOOST_AUTO_TEST_SUITE_END()
