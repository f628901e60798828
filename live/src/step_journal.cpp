#include "lyncupdate/live/step_journal.hpp"

#include <variant>

namespace lyncupdate::live {
namespace {

sim::StepOutcome step_outcome(AttemptOutcome outcome) {
  switch (outcome) {
    case AttemptOutcome::succeeded:
      return sim::StepOutcome::succeeded;
    case AttemptOutcome::reboot_required:
      return sim::StepOutcome::reboot_required;
    case AttemptOutcome::failed:
    case AttemptOutcome::timed_out:
      break;
  }
  return sim::StepOutcome::failed;
}

}  // namespace

FileStepJournal::FileStepJournal(JournalWriter& writer, JournalSummary earlier,
                                 const WallClock& clock)
    : writer_(&writer), earlier_(std::move(earlier)), clock_(&clock) {}

Duration FileStepJournal::now() const { return clock_->elapsed().time_since_epoch(); }

void FileStepJournal::append(const Record& record) {
  if (broken_) return;
  if (auto written = writer_->append(record); !written) broken_ = written.error();
}

void FileStepJournal::note(Record record) {
  std::visit([&](auto& r) { r.at = now(); }, record);
  append(record);
}

RecordedAttempt FileStepJournal::recorded(std::string_view server, std::string_view step,
                                          int attempt) const {
  const AttemptSummary* summary = earlier_.find(
      AttemptKey{std::string(server), std::string(step), static_cast<std::uint32_t>(attempt)});
  RecordedAttempt out;
  if (summary == nullptr) return out;
  switch (summary->state) {
    case AttemptState::finished:
      out.state = Recorded::finished;
      out.outcome = step_outcome(summary->outcome.value_or(AttemptOutcome::failed));
      break;
    case AttemptState::started:
      out.state = Recorded::started;
      break;
    case AttemptState::settled_done:
      out.state = Recorded::settled_done;
      break;
    case AttemptState::settled_not_done:
      out.state = Recorded::settled_not_done;
      break;
  }
  return out;
}

void FileStepJournal::intent(std::string_view server, std::string_view step, int attempt,
                             model::StepKind kind, std::string_view host,
                             const std::vector<std::string>& argv) {
  Intent record;
  record.server = server;
  record.step = step;
  record.attempt = static_cast<std::uint32_t>(attempt);
  record.kind = kind;
  record.host = host;
  record.argv = argv;
  record.at = now();
  append(record);
}

void FileStepJournal::outcome(std::string_view server, std::string_view step, int attempt,
                              AttemptOutcome outcome, int exit_code, Duration duration,
                              std::string_view output_tail) {
  Outcome record;
  record.server = server;
  record.step = step;
  record.attempt = static_cast<std::uint32_t>(attempt);
  record.outcome = outcome;
  if (exit_code >= 0) record.exit_code = exit_code;
  record.duration = duration;
  record.at = now();
  record.output_tail = output_tail;
  append(record);
}

void FileStepJournal::probe(std::string_view server, std::string_view step, int attempt,
                            bool done) {
  Probe record;
  record.server = server;
  record.step = step;
  record.attempt = static_cast<std::uint32_t>(attempt);
  record.done = done;
  record.at = now();
  append(record);
}

}  // namespace lyncupdate::live
