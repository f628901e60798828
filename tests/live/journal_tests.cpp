// The journal of a live run: every record survives a write and a read; an existing journal is
// never overwritten; a crash's torn last line is tolerated and cut off on resume; a malformed
// line elsewhere is an error naming its line; the summary tells a resumed run what happened.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <boost/test/unit_test.hpp>
#include <unistd.h>

#include "lyncupdate/live/journal.hpp"
#include "lyncupdate/live/sha256.hpp"
#include "scratch.hpp"

namespace live = lyncupdate::live;
using lyncupdate::Duration;

namespace {

std::filesystem::path fresh_dir(const std::string& name) {
  return lyncupdate::test::scratch_dir("journal/" + name);
}

std::string slurp(const std::filesystem::path& path) { return lyncupdate::test::file_bytes(path); }

void spit(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

live::Header lab_header() {
  return {"lab", std::string(64, 'a'), "lyncupdate 0.1.0", "ssh", "2026-11-26T09:30:00Z"};
}

const std::string header_line =
    R"({"journal":"lyncupdate/journal/1","scenario":"lab","scenario_sha256":")" +
    std::string(64, 'a') +
    R"(","tool":"lyncupdate 0.1.0","transport":"ssh","started_utc":"2026-11-26T09:30:00Z"})";

live::Intent intent(std::string server, std::string step, std::uint32_t attempt = 1) {
  live::Intent r;
  r.server = std::move(server);
  r.step = std::move(step);
  r.attempt = attempt;
  r.kind = lyncupdate::model::StepKind::command;
  r.host = r.server;
  r.argv = {"Stop-CsWindowsService"};
  r.at = Duration(1234);
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(journal)

BOOST_AUTO_TEST_CASE(every_record_reads_back_as_written) {
  const auto path = fresh_dir("round-trip") / "run.journal";
  live::Intent manual;
  manual.server = "se01.lab.test";
  manual.step = "log-on";
  manual.kind = lyncupdate::model::StepKind::manual;
  manual.at = Duration(5);
  live::Intent quoted = intent("sql01.lab.test", "close-shells");
  quoted.argv = {"Get-CimInstance", "-Filter", "Name = 'powershell.exe'", "tab\there \"q\""};
  const std::vector<live::Record> records{
      intent("sql01.lab.test", "stop-services"),
      manual,
      quoted,
      live::Outcome{"sql01.lab.test", "stop-services", 1, live::AttemptOutcome::succeeded, 0,
                    Duration(812), Duration(2046), "Stopped.\nline two"},
      live::Outcome{"sql01.lab.test", "close-shells", 1, live::AttemptOutcome::failed, 1,
                    Duration(10), Duration(2050), ""},
      live::Outcome{"sql01.lab.test", "install-update", 2, live::AttemptOutcome::timed_out,
                    std::nullopt, Duration(60'000), Duration(70'000), "tail"},
      live::Outcome{"sql01.lab.test", "install-update", 3, live::AttemptOutcome::reboot_required,
                    3010, Duration(1), Duration(80'000), ""},
      live::Probe{"sql01.lab.test", "stop-services", 1, true, Duration(3000)},
      live::Stop{"interrupted", Duration(4000)},
      live::Resume{"2026-11-26T10:00:00Z", Duration(0)},
      live::Finished{Duration(5000)},
  };
  {
    auto writer = live::JournalWriter::create(path, lab_header());
    BOOST_TEST_REQUIRE(writer.has_value(), writer.error());
    // Outcomes and probes need their intents first, as a run writes them.
    auto with_intents = records;
    with_intents.insert(with_intents.begin() + 3, {intent("sql01.lab.test", "install-update", 2),
                                                   intent("sql01.lab.test", "install-update", 3)});
    for (const auto& record : with_intents) {
      const auto appended = writer->append(record);
      BOOST_TEST_REQUIRE(appended.has_value(), appended.error());
    }
  }
  const auto text = slurp(path);
  BOOST_TEST(text.substr(0, text.find('\n')) == header_line);
  BOOST_TEST(text.find(R"({"record":"intent","server":"sql01.lab.test","step":"stop-services",)"
                       R"("attempt":1,"kind":"command","host":"sql01.lab.test",)"
                       R"("argv":["Stop-CsWindowsService"],"at_ms":1234})"
                       "\n") != std::string::npos);
  BOOST_TEST(text.find(R"("outcome":"timed_out","exit_code":null,"duration_ms":60000)") !=
             std::string::npos);

  const auto journal = live::read_journal(path);
  BOOST_TEST_REQUIRE(journal.has_value(), journal.error());
  BOOST_TEST((journal->header == lab_header()));
  BOOST_TEST(!journal->torn.has_value());
  BOOST_TEST_REQUIRE(journal->records.size() == records.size() + 2);
  std::vector<live::Record> read = journal->records;
  read.erase(read.begin() + 3, read.begin() + 5);
  BOOST_TEST((read == records));
  BOOST_TEST(journal->lines.front() == 2U);
  BOOST_TEST(journal->lines.back() == records.size() + 3);
}

BOOST_AUTO_TEST_CASE(an_existing_file_is_never_overwritten) {
  const auto path = fresh_dir("exclusive") / "run.journal";
  spit(path, "precious\n");
  const auto writer = live::JournalWriter::create(path, lab_header());
  BOOST_TEST_REQUIRE(!writer.has_value());
  BOOST_TEST(writer.error() ==
             "cannot create journal " + path.string() +
                 ": the file exists; a journal is never overwritten (resume the run it records, "
                 "or name another file)");
  BOOST_TEST(slurp(path) == "precious\n");
}

BOOST_AUTO_TEST_CASE(a_torn_last_line_is_reported_ignored_and_cut_off_on_reopen) {
  const auto path = fresh_dir("torn") / "run.journal";
  const std::string intent_line =
      R"({"record":"intent","server":"sql01.lab.test","step":"stop-services","attempt":1,)"
      R"("kind":"command","host":"sql01.lab.test","argv":["Stop-CsWindowsService"],"at_ms":1})";
  const std::string complete = header_line + "\n" + intent_line + "\n";
  spit(path, complete + R"({"record":"outcome","server":"sql01.lab.)");

  const auto journal = live::read_journal(path);
  BOOST_TEST_REQUIRE(journal.has_value(), journal.error());
  BOOST_TEST(journal->records.size() == 1U);
  BOOST_TEST_REQUIRE(journal->torn.has_value());
  BOOST_TEST(journal->torn->line == 3U);
  BOOST_TEST(journal->torn->offset == complete.size());
  BOOST_TEST(journal->torn->reason == "no final newline");

  {
    auto reopened = live::JournalWriter::reopen(path, std::string(64, 'a'));
    BOOST_TEST_REQUIRE(reopened.has_value(), reopened.error());
    BOOST_TEST(reopened->journal.torn.has_value());
    BOOST_TEST(slurp(path) == complete);
    const auto appended = reopened->writer.append(live::Resume{"2026-11-26T10:00:00Z", {}});
    BOOST_TEST_REQUIRE(appended.has_value(), appended.error());
  }
  BOOST_TEST(slurp(path) ==
             complete + R"({"record":"resume","started_utc":"2026-11-26T10:00:00Z","at_ms":0})" +
                 "\n");
  const auto again = live::read_journal(path);
  BOOST_TEST_REQUIRE(again.has_value(), again.error());
  BOOST_TEST(!again->torn.has_value());
  BOOST_TEST(again->records.size() == 2U);
}

BOOST_AUTO_TEST_CASE(a_garbled_last_line_with_its_newline_is_torn_too) {
  const auto path = fresh_dir("garbled") / "run.journal";
  spit(path, header_line + "\n{\"record\":\"fin\x01\n");
  const auto journal = live::read_journal(path);
  BOOST_TEST_REQUIRE(journal.has_value(), journal.error());
  BOOST_TEST_REQUIRE(journal->torn.has_value());
  BOOST_TEST(journal->torn->line == 2U);
  BOOST_TEST(journal->torn->reason == "not parsable as JSON");
}

BOOST_AUTO_TEST_CASE(reopen_refuses_a_journal_of_another_scenario_text) {
  const auto path = fresh_dir("other-scenario") / "run.journal";
  spit(path, header_line + "\n");
  const auto reopened = live::JournalWriter::reopen(path, std::string(64, 'b'));
  BOOST_TEST_REQUIRE(!reopened.has_value());
  BOOST_TEST(reopened.error() == path.string() +
                                     ":1: error: the journal records a run of another scenario "
                                     "text (SHA-256 " +
                                     std::string(64, 'a') + "); expected " + std::string(64, 'b'));
}

BOOST_AUTO_TEST_CASE(a_malformed_line_before_the_last_names_its_line) {
  const auto dir = fresh_dir("malformed");
  const std::string finished = R"({"record":"finished","at_ms":9})";
  const auto error_of = [&](const std::string& name, const std::string& text) {
    spit(dir / name, text);
    const auto journal = live::read_journal(dir / name);
    return journal.has_value() ? std::string("(read)") : journal.error();
  };
  const auto file = [&](const std::string& name) { return (dir / name).string(); };
  BOOST_TEST(error_of("a", header_line + "\n{oops\n" + finished + "\n") ==
             file("a") +
                 ":2: error: expected one JSON object on the line, got text that does not parse");
  BOOST_TEST(error_of("b", header_line + "\n" + finished + "\n" +
                               R"({"record":"stop","at_ms":-1})" + "\n") ==
             file("b") + ":3: error: stop record: expected the key \"reason\"");
  BOOST_TEST(
      error_of("c", header_line + "\n" + R"({"record":"stop","reason":"x","at_ms":-1})" + "\n") ==
      file("c") +
          ":2: error: stop record: \"at_ms\": expected an integer from 0 to "
          "9223372036854775807, got -1");
  BOOST_TEST(error_of("d", header_line + "\n" + R"({"record":"restart","at_ms":1})" + "\n") ==
             file("d") +
                 ":2: error: unknown record \"restart\"; expected one of intent, "
                 "outcome, probe, stop, resume, finished");
  BOOST_TEST(
      error_of("e", header_line + "\n" +
                        R"({"record":"outcome","server":"s.lab.test","step":"x","attempt":1,)"
                        R"("outcome":"done","exit_code":0,"duration_ms":1,"at_ms":1})" +
                        "\n") ==
      file("e") +
          ":2: error: outcome record: \"outcome\": expected one of succeeded, failed, "
          "reboot_required, timed_out, got \"done\"");
  BOOST_TEST(
      error_of("f", header_line + "\n" +
                        R"({"record":"outcome","server":"s.lab.test","step":"x","attempt":1,)"
                        R"("outcome":"failed","exit_code":1,"duration_ms":1,"at_ms":1})" +
                        "\n") ==
      file("f") +
          ":2: error: outcome for attempt 1 of step \"x\" on s.lab.test without an earlier "
          "intent");
  BOOST_TEST(error_of("g", "") ==
             file("g") + ": error: the file is empty; expected a journal header line");
  BOOST_TEST(error_of("h", R"({"journal":"lyncupdate/journal/2"})"
                           "\n") == file("h") +
                                        ":1: error: expected a journal header with \"journal\": "
                                        "\"lyncupdate/journal/1\", got \"lyncupdate/journal/2\"");
  BOOST_TEST(error_of("i", header_line) ==
             file("i") +
                 ":1: error: the header line is incomplete (no final newline); expected "
                 "a journal header");
  const auto missing = live::read_journal(dir / "missing");
  BOOST_TEST_REQUIRE(!missing.has_value());
  BOOST_TEST(missing.error() == file("missing") +
                                    ": error: cannot read file: no such file or "
                                    "directory");
}

BOOST_AUTO_TEST_CASE(the_summary_tells_finished_unknown_and_probed_attempts_apart) {
  const auto path = fresh_dir("summary") / "run.journal";
  {
    auto writer = live::JournalWriter::create(path, lab_header());
    BOOST_TEST_REQUIRE(writer.has_value(), writer.error());
    const std::vector<live::Record> records{
        intent("sql01.lab.test", "stop-services"),
        live::Outcome{"sql01.lab.test", "stop-services", 1, live::AttemptOutcome::succeeded, 0,
                      Duration(812), Duration(2046), ""},
        intent("sql01.lab.test", "stop-w3svc"),
        intent("sql01.lab.test", "install-update"),
        intent("se01.lab.test", "stop-services"),
        live::Stop{"interrupted", Duration(4000)},
        live::Resume{"2026-11-26T10:00:00Z", Duration(0)},
        live::Probe{"sql01.lab.test", "stop-w3svc", 1, true, Duration(10)},
        live::Probe{"sql01.lab.test", "install-update", 1, false, Duration(20)},
        // A probe never overrides an outcome.
        live::Probe{"sql01.lab.test", "stop-services", 1, false, Duration(30)},
    };
    for (const auto& record : records) BOOST_TEST_REQUIRE(writer->append(record).has_value());
  }
  const auto journal = live::read_journal(path);
  BOOST_TEST_REQUIRE(journal.has_value(), journal.error());
  const live::JournalSummary summary = live::summarize(*journal);
  BOOST_TEST(!summary.finished);
  BOOST_TEST(!summary.torn.has_value());
  BOOST_TEST_REQUIRE(summary.attempts.size() == 4U);
  const auto* stop = summary.find({"sql01.lab.test", "stop-services", 1});
  BOOST_TEST_REQUIRE(stop != nullptr);
  BOOST_TEST((stop->state == live::AttemptState::finished));
  BOOST_TEST((stop->outcome == live::AttemptOutcome::succeeded));
  BOOST_TEST(stop->duration.count() == 812);
  BOOST_TEST((summary.find({"sql01.lab.test", "stop-w3svc", 1})->state ==
              live::AttemptState::settled_done));
  BOOST_TEST((summary.find({"sql01.lab.test", "install-update", 1})->state ==
              live::AttemptState::settled_not_done));
  const auto* unknown = summary.find({"se01.lab.test", "stop-services", 1});
  BOOST_TEST_REQUIRE(unknown != nullptr);
  BOOST_TEST((unknown->state == live::AttemptState::started));
  BOOST_TEST(!unknown->outcome.has_value());
  BOOST_TEST(summary.find({"se01.lab.test", "stop-services", 2}) == nullptr);
  BOOST_TEST(summary.attempts[0].key.step == "stop-services");
  BOOST_TEST(summary.attempts[3].key.server == "se01.lab.test");

  // The end of the plan, after a torn line that reopening cut off.
  spit(path, slurp(path) + "{\"record\":\"fin");
  {
    auto reopened = live::JournalWriter::reopen(path);
    BOOST_TEST_REQUIRE(reopened.has_value(), reopened.error());
    BOOST_TEST(live::summarize(reopened->journal).torn.has_value());
    BOOST_TEST_REQUIRE(reopened->writer.append(live::Finished{Duration(99)}).has_value());
  }
  const auto finished = live::read_journal(path);
  BOOST_TEST_REQUIRE(finished.has_value(), finished.error());
  BOOST_TEST(live::summarize(*finished).finished);
  BOOST_TEST(!live::summarize(*finished).torn.has_value());
}

BOOST_AUTO_TEST_CASE(sha256_matches_the_fips_vectors) {
  BOOST_TEST(live::sha256_hex("abc") ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(live::sha256_hex("") ==
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BOOST_TEST(live::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

BOOST_AUTO_TEST_SUITE_END()
