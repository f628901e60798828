#include "lyncupdate/live/journal.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

namespace lyncupdate::live {
namespace {

using Json = nlohmann::ordered_json;
using namespace std::string_view_literals;

constexpr std::array outcome_names{"succeeded"sv, "failed"sv, "reboot_required"sv, "timed_out"sv};

// A journal is written by one run; anything near this size is not one.
constexpr std::uintmax_t max_journal_bytes = std::uintmax_t{256} << 20;

std::string errno_text(int error) {
  std::string text = std::generic_category().message(error);
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') {
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  }
  return text;
}

// --- writing -----------------------------------------------------------------------------

Json key_fields(std::string_view record, const std::string& server, const std::string& step,
                std::uint32_t attempt) {
  return Json{{"record", record}, {"server", server}, {"step", step}, {"attempt", attempt}};
}

struct RecordJson {
  Json operator()(const Intent& r) const {
    Json j = key_fields("intent", r.server, r.step, r.attempt);
    j["kind"] = model::kind_name(r.kind);
    j["host"] = r.host;
    j["argv"] = r.argv;
    j["at_ms"] = r.at.count();
    return j;
  }
  Json operator()(const Outcome& r) const {
    Json j = key_fields("outcome", r.server, r.step, r.attempt);
    j["outcome"] = outcome_name(r.outcome);
    j["exit_code"] = r.exit_code ? Json(*r.exit_code) : Json(nullptr);
    j["duration_ms"] = r.duration.count();
    j["at_ms"] = r.at.count();
    j["output_tail"] = r.output_tail;
    return j;
  }
  Json operator()(const Probe& r) const {
    Json j = key_fields("probe", r.server, r.step, r.attempt);
    j["done"] = r.done;
    j["at_ms"] = r.at.count();
    return j;
  }
  Json operator()(const Stop& r) const {
    return Json{{"record", "stop"}, {"reason", r.reason}, {"at_ms", r.at.count()}};
  }
  Json operator()(const Resume& r) const {
    return Json{{"record", "resume"}, {"started_utc", r.started_utc}, {"at_ms", r.at.count()}};
  }
  Json operator()(const Finished& r) const {
    return Json{{"record", "finished"}, {"at_ms", r.at.count()}};
  }
};

// Output tails come from remote commands and may hold bytes that are not UTF-8; they are
// replaced rather than refused, so that a journal line can always be written.
std::string dump_line(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// --- reading -----------------------------------------------------------------------------

// One line's fields, read with errors that say which key and what was expected.
class LineReader {
 public:
  explicit LineReader(const Json& object) : object_(object) {}

  const std::string& error() const { return error_; }
  bool ok() const { return error_.empty(); }

  std::string string(std::string_view key, bool required = true) {
    const Json* value = find(key, required);
    if (value == nullptr) return {};
    if (!value->is_string()) return fail(key, "a string", *value), std::string();
    return value->get<std::string>();
  }

  std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max) {
    const Json* value = find(key, true);
    if (value == nullptr) return 0;
    if (!value->is_number_integer()) {
      return fail(key, fmt::format("an integer from {} to {}", min, max), *value), 0;
    }
    const bool in_range =
        value->is_number_unsigned()
            ? value->get<std::uint64_t>() <= static_cast<std::uint64_t>(max)
            : value->get<std::int64_t>() >= min && value->get<std::int64_t>() <= max;
    if (!in_range) return fail(key, fmt::format("an integer from {} to {}", min, max), *value), 0;
    return value->get<std::int64_t>();
  }

  Duration milliseconds(std::string_view key) {
    return Duration(integer(key, 0, std::numeric_limits<std::int64_t>::max()));
  }

  std::uint32_t attempt() { return static_cast<std::uint32_t>(integer("attempt", 1, 1'000'000)); }

  bool boolean(std::string_view key) {
    const Json* value = find(key, true);
    if (value == nullptr) return false;
    if (!value->is_boolean()) return fail(key, "true or false", *value), false;
    return value->get<bool>();
  }

  std::optional<int> optional_int(std::string_view key) {
    const Json* value = find(key, false);
    if (value == nullptr || value->is_null()) return std::nullopt;
    if (!value->is_number_integer()) return fail(key, "an integer or null", *value), std::nullopt;
    const auto min = static_cast<std::int64_t>(std::numeric_limits<int>::min());
    const auto max = static_cast<std::int64_t>(std::numeric_limits<int>::max());
    if (value->is_number_unsigned() ? value->get<std::uint64_t>() > static_cast<std::uint64_t>(max)
                                    : value->get<std::int64_t>() < min) {
      return fail(key, "a 32-bit integer or null", *value), std::nullopt;
    }
    return static_cast<int>(value->get<std::int64_t>());
  }

  std::vector<std::string> strings(std::string_view key) {
    const Json* value = find(key, false);
    if (value == nullptr) return {};
    std::vector<std::string> out;
    if (!value->is_array()) return fail(key, "an array of strings", *value), out;
    for (const Json& item : *value) {
      if (!item.is_string()) return fail(key, "an array of strings", *value), out;
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  // Sets the error unless one is set already: the first problem of a line is reported.
  void fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }

 private:
  const Json* find(std::string_view key, bool required) {
    const auto it = object_.find(key);
    if (it == object_.end()) {
      if (required) fail(fmt::format("expected the key \"{}\"", key));
      return nullptr;
    }
    return &*it;
  }

  void fail(std::string_view key, std::string_view expected, const Json& found) {
    std::string shown = dump_line(found);
    if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
    fail(fmt::format("\"{}\": expected {}, got {}", key, expected, shown));
  }

  const Json& object_;
  std::string error_;
};

std::expected<Header, std::string> read_header(const Json& json) {
  if (!json.is_object()) return std::unexpected("expected the header object");
  LineReader in(json);
  const auto format = json.find("journal");
  if (format == json.end() || !format->is_string() ||
      format->get<std::string>() != journal_format) {
    return std::unexpected(
        fmt::format("expected a journal header with \"journal\": \"{}\", got {}", journal_format,
                    format == json.end() ? std::string("no \"journal\" key") : dump_line(*format)));
  }
  Header header;
  header.scenario = in.string("scenario");
  header.scenario_sha256 = in.string("scenario_sha256");
  header.tool = in.string("tool");
  header.transport = in.string("transport");
  header.started_utc = in.string("started_utc");
  if (in.ok() && (header.scenario_sha256.size() != 64 ||
                  !std::ranges::all_of(header.scenario_sha256, [](char c) {
                    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                  }))) {
    in.fail(fmt::format("\"scenario_sha256\": expected 64 lower-case hex digits, got \"{}\"",
                        header.scenario_sha256));
  }
  if (!in.ok()) return std::unexpected(in.error());
  return header;
}

std::expected<Record, std::string> read_record(const Json& json) {
  if (!json.is_object()) return std::unexpected("expected a JSON object");
  const auto type = json.find("record");
  if (type == json.end() || !type->is_string()) {
    return std::unexpected(
        "expected \"record\": one of \"intent\", \"outcome\", \"probe\", \"stop\", \"resume\", "
        "\"finished\"");
  }
  const std::string name = type->get<std::string>();
  LineReader in(json);
  const auto done = [&](Record record) -> std::expected<Record, std::string> {
    if (!in.ok()) return std::unexpected(fmt::format("{} record: {}", name, in.error()));
    return record;
  };
  if (name == "intent") {
    Intent r;
    r.server = in.string("server");
    r.step = in.string("step");
    r.attempt = in.attempt();
    const std::string kind = in.string("kind");
    if (const auto parsed = model::parse_step_kind(kind)) {
      r.kind = *parsed;
    } else if (in.ok()) {
      in.fail(
          fmt::format("\"kind\": expected a step kind (manual, command, install, database, "
                      "wait, reboot), got \"{}\"",
                      kind));
    }
    r.host = in.string("host", false);
    r.argv = in.strings("argv");
    r.at = in.milliseconds("at_ms");
    return done(std::move(r));
  }
  if (name == "outcome") {
    Outcome r;
    r.server = in.string("server");
    r.step = in.string("step");
    r.attempt = in.attempt();
    const std::string outcome = in.string("outcome");
    if (const auto parsed = parse_outcome(outcome)) {
      r.outcome = *parsed;
    } else if (in.ok()) {
      in.fail(
          fmt::format("\"outcome\": expected one of succeeded, failed, reboot_required, "
                      "timed_out, got \"{}\"",
                      outcome));
    }
    r.exit_code = in.optional_int("exit_code");
    r.duration = in.milliseconds("duration_ms");
    r.at = in.milliseconds("at_ms");
    r.output_tail = in.string("output_tail", false);
    return done(std::move(r));
  }
  if (name == "probe") {
    Probe r;
    r.server = in.string("server");
    r.step = in.string("step");
    r.attempt = in.attempt();
    r.done = in.boolean("done");
    r.at = in.milliseconds("at_ms");
    return done(std::move(r));
  }
  if (name == "stop") {
    Stop r;
    r.reason = in.string("reason");
    r.at = in.milliseconds("at_ms");
    return done(std::move(r));
  }
  if (name == "resume") {
    Resume r;
    r.started_utc = in.string("started_utc");
    r.at = in.milliseconds("at_ms");
    return done(std::move(r));
  }
  if (name == "finished") {
    Finished r;
    r.at = in.milliseconds("at_ms");
    return done(r);
  }
  return std::unexpected(fmt::format(
      "unknown record \"{}\"; expected one of intent, outcome, probe, stop, resume, finished",
      name));
}

std::expected<std::string, std::string> read_whole_file(const std::filesystem::path& path) {
  const std::string file = path.string();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return std::unexpected(fmt::format("{}: error: cannot read file: {}", file, errno_text(errno)));
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    const int error = errno;
    ::close(fd);
    return std::unexpected(S_ISDIR(info.st_mode)
                               ? fmt::format("{}: error: is a directory; expected a journal", file)
                               : fmt::format("{}: error: cannot read file: {}", file,
                                             error != 0 ? errno_text(error) : "not a file"));
  }
  if (static_cast<std::uintmax_t>(info.st_size) > max_journal_bytes) {
    ::close(fd);
    return std::unexpected(
        fmt::format("{}: error: the file is larger than {} MiB", file, max_journal_bytes >> 20));
  }
  std::string text;
  char buffer[65536];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd);
      return std::unexpected(
          fmt::format("{}: error: cannot read file: {}", file, errno_text(error)));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > max_journal_bytes) {
      ::close(fd);
      return std::unexpected(
          fmt::format("{}: error: the file is larger than {} MiB", file, max_journal_bytes >> 20));
    }
  }
  ::close(fd);
  return text;
}

// The key of a record that names an attempt, if it does.
std::optional<AttemptKey> key_of(const Record& record) {
  if (const auto* r = std::get_if<Intent>(&record))
    return AttemptKey{r->server, r->step, r->attempt};
  if (const auto* r = std::get_if<Outcome>(&record)) {
    return AttemptKey{r->server, r->step, r->attempt};
  }
  if (const auto* r = std::get_if<Probe>(&record))
    return AttemptKey{r->server, r->step, r->attempt};
  return std::nullopt;
}

std::expected<void, std::string> fsync_directory(const std::filesystem::path& file) {
  std::filesystem::path dir = file.parent_path();
  if (dir.empty()) dir = ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    return std::unexpected(
        fmt::format("cannot open directory {}: {}", dir.string(), errno_text(errno)));
  }
  const int result = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (result != 0) {
    return std::unexpected(
        fmt::format("cannot flush directory {}: {}", dir.string(), errno_text(error)));
  }
  return {};
}

}  // namespace

std::string_view outcome_name(AttemptOutcome outcome) {
  return outcome_names.at(static_cast<std::size_t>(outcome));
}

std::optional<AttemptOutcome> parse_outcome(std::string_view name) {
  const auto it = std::ranges::find(outcome_names, name);
  if (it == outcome_names.end()) return std::nullopt;
  return static_cast<AttemptOutcome>(it - outcome_names.begin());
}

std::string format_record(const Record& record) {
  return dump_line(std::visit(RecordJson{}, record));
}

std::string format_header(const Header& header) {
  return dump_line(Json{{"journal", journal_format},
                        {"scenario", header.scenario},
                        {"scenario_sha256", header.scenario_sha256},
                        {"tool", header.tool},
                        {"transport", header.transport},
                        {"started_utc", header.started_utc}});
}

std::expected<Journal, std::string> read_journal(const std::filesystem::path& path) {
  const std::string file = path.string();
  auto text = read_whole_file(path);
  if (!text) return std::unexpected(std::move(text.error()));
  if (text->empty()) {
    return std::unexpected(
        fmt::format("{}: error: the file is empty; expected a journal header line", file));
  }
  Journal journal;
  journal.path = path;
  std::set<AttemptKey> intended;
  std::size_t begin = 0;
  std::size_t line = 0;
  const auto error = [&](std::string_view message) {
    return std::unexpected(fmt::format("{}:{}: error: {}", file, line, message));
  };
  while (begin < text->size()) {
    ++line;
    const std::size_t newline = text->find('\n', begin);
    const bool last = newline == std::string::npos || newline + 1 == text->size();
    const std::string_view content = std::string_view(*text).substr(
        begin, newline == std::string::npos ? std::string::npos : newline - begin);
    const std::size_t line_begin = begin;
    begin = newline == std::string::npos ? text->size() : newline + 1;

    // A crash can cut the last write short: that line is set aside, not an error.
    std::string torn_reason;
    Json json = Json::parse(content, nullptr, false);
    if (newline == std::string::npos) {
      torn_reason = "no final newline";
    } else if (json.is_discarded()) {
      torn_reason = "not parsable as JSON";
    }
    if (!torn_reason.empty()) {
      if (!last) return error("expected one JSON object on the line, got text that does not parse");
      if (line == 1) {
        return error(fmt::format("the header line is incomplete ({}); expected a journal header",
                                 torn_reason));
      }
      journal.torn = TornLine{line, line_begin, torn_reason};
      break;
    }
    if (line == 1) {
      auto header = read_header(json);
      if (!header) return error(header.error());
      journal.header = std::move(*header);
      continue;
    }
    auto record = read_record(json);
    if (!record) return error(record.error());
    // A probe may come first: a resumed run probes a step before it ever starts it.
    if (auto key = key_of(*record)) {
      if (std::holds_alternative<Intent>(*record)) {
        intended.insert(*key);
      } else if (std::holds_alternative<Outcome>(*record) && !intended.contains(*key)) {
        return error(
            fmt::format("outcome for attempt {} of step \"{}\" on {} without an earlier intent",
                        key->attempt, key->step, key->server));
      }
    }
    journal.records.push_back(std::move(*record));
    journal.lines.push_back(line);
  }
  return journal;
}

const AttemptSummary* JournalSummary::find(const AttemptKey& key) const {
  const auto it = std::ranges::find(attempts, key, &AttemptSummary::key);
  return it == attempts.end() ? nullptr : &*it;
}

namespace {

// Whether a probe answers for `attempt`: one whose end is unknown or was probed before, or
// one that failed (a retried failure, --retry-failed); a success is never probed.
bool settled_by_probe(const AttemptSummary& attempt) {
  if (attempt.state != AttemptState::finished) return true;
  return attempt.outcome == AttemptOutcome::failed || attempt.outcome == AttemptOutcome::timed_out;
}

}  // namespace

JournalSummary summarize(const Journal& journal) {
  JournalSummary summary;
  summary.torn = journal.torn;
  std::map<AttemptKey, std::size_t> index;
  for (const Record& record : journal.records) {
    if (std::holds_alternative<Finished>(record)) summary.finished = true;
    const auto key = key_of(record);
    if (!key) continue;
    if (std::holds_alternative<Intent>(record)) {
      const auto [it, inserted] = index.emplace(*key, summary.attempts.size());
      if (inserted) {
        summary.attempts.push_back(AttemptSummary{*key, AttemptState::started, {}, {}});
      } else {
        summary.attempts[it->second] = AttemptSummary{*key, AttemptState::started, {}, {}};
      }
      continue;
    }
    const auto* probe = std::get_if<Probe>(&record);
    auto it = index.find(*key);
    if (it == index.end()) {
      if (probe == nullptr) continue;  // read_journal refuses this; a hand-built Journal may not
      // A step probed before it ever started (a resumed run).
      it = index.emplace(*key, summary.attempts.size()).first;
      summary.attempts.push_back(AttemptSummary{*key, AttemptState::settled_not_done, {}, {}});
    }
    AttemptSummary& attempt = summary.attempts[it->second];
    if (const auto* outcome = std::get_if<Outcome>(&record)) {
      attempt.state = AttemptState::finished;
      attempt.outcome = outcome->outcome;
      attempt.duration = outcome->duration;
    } else if (probe != nullptr && settled_by_probe(attempt)) {
      attempt.state = probe->done ? AttemptState::settled_done : AttemptState::settled_not_done;
      attempt.outcome.reset();
      attempt.duration = {};
    }
  }
  return summary;
}

// --- the writer ----------------------------------------------------------------------------

std::expected<JournalFaults, std::string> parse_journal_faults(std::string_view text) {
  JournalFaults faults;
  const auto number = [](std::string_view digits,
                         std::uint64_t max) -> std::optional<std::uint64_t> {
    if (digits.empty() || digits.size() > 9) return std::nullopt;
    std::uint64_t value = 0;
    for (const char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (value == 0 || value > max) return std::nullopt;
    return value;
  };
  if (text.empty()) return faults;
  for (bool more = true; more;) {
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    more = comma != std::string_view::npos;
    text = more ? text.substr(comma + 1) : std::string_view();
    const std::size_t colon = item.find(':');
    const std::string_view kind = item.substr(0, colon);
    const std::string_view rest =
        colon == std::string_view::npos ? std::string_view() : item.substr(colon + 1);
    const std::size_t second = rest.find(':');
    const auto line = number(rest.substr(0, second), 1'000'000);
    const auto bytes = second == std::string_view::npos
                           ? std::optional<std::uint64_t>()
                           : number(rest.substr(second + 1), 1'000'000);
    if (kind == "write" && line && second == std::string_view::npos) {
      faults.fail_write = static_cast<std::uint32_t>(*line);
    } else if (kind == "fsync" && line && second == std::string_view::npos) {
      faults.fail_fsync = static_cast<std::uint32_t>(*line);
    } else if (kind == "torn" && line && (bytes || rest.substr(second + 1) == "0")) {
      faults.torn_write = static_cast<std::uint32_t>(*line);
      faults.torn_bytes = static_cast<std::size_t>(bytes.value_or(0));
    } else {
      return std::unexpected(fmt::format(
          "\"{}\": expected write:N, fsync:N or torn:N:BYTES (N a line from 1, BYTES from 0)",
          item));
    }
  }
  return faults;
}

std::expected<JournalWriter, std::string> JournalWriter::create(const std::filesystem::path& path,
                                                                const Header& header,
                                                                const JournalFaults& faults,
                                                                bool* write_failed) {
  const std::string file = path.string();
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    const int error = errno;
    if (error == EEXIST) {
      return std::unexpected(fmt::format(
          "cannot create journal {}: the file exists; a journal is never overwritten (resume "
          "the run it records, or name another file)",
          file));
    }
    return std::unexpected(fmt::format("cannot create journal {}: {}", file, errno_text(error)));
  }
  JournalWriter writer(path, fd, faults);
  // A journal without its header is no journal: it goes, so that the run can start afresh.
  const auto undo = [&](std::string message) {
    ::unlink(path.c_str());
    if (write_failed != nullptr) *write_failed = true;
    return std::unexpected(std::move(message));
  };
  if (auto written = writer.write_line(format_header(header)); !written) {
    return undo(std::move(written.error()));
  }
  // The new name must survive a crash too, not only the file's contents.
  if (auto synced = fsync_directory(path); !synced) {
    return undo(fmt::format("cannot create journal {}: {}", file, std::move(synced.error())));
  }
  return writer;
}

std::expected<JournalWriter::Reopened, std::string> JournalWriter::reopen(
    const std::filesystem::path& path, std::string_view expected_scenario_sha256,
    const JournalFaults& faults) {
  const std::string file = path.string();
  auto journal = read_journal(path);
  if (!journal) return std::unexpected(std::move(journal.error()));
  if (!expected_scenario_sha256.empty() &&
      journal->header.scenario_sha256 != expected_scenario_sha256) {
    return std::unexpected(
        fmt::format("{}:1: error: the journal records a run of another scenario text (SHA-256 {}); "
                    "expected {}",
                    file, journal->header.scenario_sha256, expected_scenario_sha256));
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) {
    return std::unexpected(fmt::format("cannot open journal {}: {}", file, errno_text(errno)));
  }
  JournalWriter writer(path, fd, faults);
  if (journal->torn) {
    if (::ftruncate(fd, static_cast<off_t>(journal->torn->offset)) != 0 || ::fsync(fd) != 0) {
      return std::unexpected(fmt::format("cannot cut the torn line {} off journal {}: {}",
                                         journal->torn->line, file, errno_text(errno)));
    }
  }
  return Reopened{std::move(writer), std::move(*journal)};
}

JournalWriter::JournalWriter(JournalWriter&& other) noexcept
    : path_(std::move(other.path_)),
      fd_(std::exchange(other.fd_, -1)),
      broken_(other.broken_),
      faults_(other.faults_),
      lines_(other.lines_) {}

JournalWriter& JournalWriter::operator=(JournalWriter&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
    broken_ = other.broken_;
    faults_ = other.faults_;
    lines_ = other.lines_;
  }
  return *this;
}

JournalWriter::~JournalWriter() {
  if (fd_ >= 0) ::close(fd_);
}

ssize_t JournalWriter::write_bytes(const std::string& line) {
  if (faults_.fail_write == lines_) {
    errno = ENOSPC;
    return -1;
  }
  // A crash in the middle of the write: a prefix reaches the file, the rest never does.
  const std::size_t size =
      faults_.torn_write == lines_ ? std::min(faults_.torn_bytes, line.size()) : line.size();
  ssize_t written = 0;
  do {
    written = ::write(fd_, line.data(), size);
  } while (written < 0 && errno == EINTR);
  return written;
}

int JournalWriter::flush() {
  if (faults_.fail_fsync == lines_) {
    errno = EIO;
    return -1;
  }
  return ::fsync(fd_);
}

std::expected<void, std::string> JournalWriter::append(const Record& record) {
  return write_line(format_record(record));
}

std::expected<void, std::string> JournalWriter::write_line(std::string line) {
  const std::string file = path_.string();
  if (broken_ || fd_ < 0) {
    return std::unexpected(
        fmt::format("cannot append to journal {}: an earlier write to it failed", file));
  }
  line += '\n';
  ++lines_;
  // One write() of the whole line: with O_APPEND it lands at the end in one piece, and a
  // crash leaves at most this last line torn.
  const ssize_t written = write_bytes(line);
  if (written < 0 || static_cast<std::size_t>(written) != line.size()) {
    broken_ = true;
    return std::unexpected(
        written < 0 ? fmt::format("cannot write to journal {}: {}", file, errno_text(errno))
                    : fmt::format("cannot write to journal {}: short write ({} of {} bytes)", file,
                                  written, line.size()));
  }
  if (flush() != 0) {
    broken_ = true;
    return std::unexpected(
        fmt::format("cannot flush journal {} to disk: {}", file, errno_text(errno)));
  }
  return {};
}

}  // namespace lyncupdate::live
