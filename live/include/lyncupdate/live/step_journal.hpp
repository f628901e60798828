#pragma once
/// \file
/// The journal file (journal.hpp) behind the backend's `StepJournal`: what earlier sessions
/// recorded comes from the digest of the file as it was reopened, and every new record is
/// appended and flushed to disk before the call returns.

#include <map>
#include <optional>
#include <string>

#include "lyncupdate/live/journal.hpp"
#include "lyncupdate/live/live_backend.hpp"
#include "lyncupdate/live/wall_clock.hpp"

namespace lyncupdate::live {

/// A StepJournal writing JSON lines through a JournalWriter.
class FileStepJournal final : public StepJournal {
 public:
  /// `earlier` is the digest of the journal before this session (empty for a new journal);
  /// `clock` dates the records.
  FileStepJournal(JournalWriter& writer, JournalSummary earlier, const WallClock& clock);

  RecordedAttempt recorded(std::string_view server, std::string_view step,
                           int attempt) const override;
  void intent(std::string_view server, std::string_view step, int attempt, model::StepKind kind,
              std::string_view host, const std::vector<std::string>& argv) override;
  void outcome(std::string_view server, std::string_view step, int attempt, AttemptOutcome outcome,
               int exit_code, Duration duration, std::string_view output_tail) override;
  void probe(std::string_view server, std::string_view step, int attempt, bool done) override;
  std::optional<std::string> broken() const override { return broken_; }

  /// Appends any other record (stop, resume, finished), dated now.
  void note(Record record);

 private:
  void append(const Record& record);
  Duration now() const;

  JournalWriter* writer_;
  JournalSummary earlier_;
  const WallClock* clock_;
  std::optional<std::string> broken_;
};

}  // namespace lyncupdate::live
