#pragma once
/// \file
/// A live run as the journal recorded it, placed on one time axis with the rehearsal: the
/// attempts of each step with their real times, and each back end's real outages derived
/// from the plan's declared effects. Feeds the report's "Rehearsal against reality".

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lyncupdate/checker/monitors.hpp"
#include "lyncupdate/live/journal.hpp"
#include "lyncupdate/model/resolve.hpp"

namespace lyncupdate::reports {

/// One try of one step on one server, as the journal recorded it.
struct ActualAttempt {
  /// How the attempt ended, as far as the journal knows.
  enum class Outcome : std::uint8_t {
    succeeded,
    failed,
    reboot_required,  ///< succeeded; the plan then waited the runbook's restart time
    timed_out,        ///< killed after its time limit
    unknown,          ///< an intent without an outcome nor a probe: its end is unknown
    probed_done,      ///< no outcome; a probe of a later session found it finished
    probed_not_done,  ///< no outcome; a probe found it must run again
  };
  std::uint16_t server = 0;  ///< index into ResolvedPlan::servers
  std::uint16_t step = 0;    ///< index into the server's steps
  std::uint32_t attempt = 1;
  std::size_t session = 0;  ///< 0-based: 0 the first session, k after the k-th resume
  TimePoint begin{};        ///< the intent, on the report's axis
  /// The outcome; for an attempt without one, the probe that settled it or else the last
  /// record of its session.
  TimePoint end{};
  Outcome outcome = Outcome::unknown;
  Duration duration{};  ///< the outcome's `duration`; only with an outcome
  std::optional<int> exit_code;
  std::string output_tail;
  /// reboot_required: when the plan went on after the restart (end + the restart time).
  TimePoint restart_end{};
  /// The probe's time, when one settled this attempt.
  std::optional<TimePoint> probed_at;

  /// Whether an outcome record gave this attempt's duration.
  bool has_outcome() const {
    return outcome != Outcome::unknown && outcome != Outcome::probed_done &&
           outcome != Outcome::probed_not_done;
  }
};

/// The journal's name of an outcome, or how an attempt without one was settled.
std::string_view actual_outcome_name(ActualAttempt::Outcome outcome);

/// One session of the live run: the first, or one that a resume started.
struct ActualSession {
  std::string started_utc;  ///< as recorded ("" when the journal says nothing)
  /// Where the session's records start on the report's axis: its real start after the first
  /// session's when both `started_utc` parse and that is not before the previous session's
  /// last record, else right after that record.
  Duration offset{};
  bool placed_by_clock = false;  ///< the offset came from `started_utc`
  TimePoint last{};              ///< its last record, on the report's axis
};

/// A live run on the rehearsal's time axis (0 = the first session's start; the rehearsal's
/// 0 is the window's start, so the two overlay from their starts).
struct ActualRun {
  std::string journal;  ///< the journal's path, as named
  live::Header header;
  std::vector<ActualSession> sessions;
  std::vector<ActualAttempt> attempts;  ///< in journal order
  /// The back ends' and Standard Edition servers' real outages, per server in time order.
  std::vector<check::Outage> outages;
  /// The last record; an outage still open there ends there with `restored == false`.
  TimePoint end{};
  bool finished = false;
  std::optional<std::string> stop_reason;  ///< the last `stop` record's reason
  std::optional<std::size_t> torn_line;    ///< a torn last line, ignored
  std::size_t unplanned_records = 0;       ///< records naming no planned server and step
};

/// Places `journal`'s records on one axis and derives each planned server's outages: a
/// step whose `on_start` makes the back end unavailable starts an outage at its intent, and
/// one whose `on_finish` makes it available ends it at its successful end (after the restart
/// for reboot_required; at the probe for a step a probe found done). An outage still open
/// at the journal's end ends there, not restored.
ActualRun actual_run(const model::ResolvedPlan& plan, const live::Journal& journal);

/// Seconds since 1970 of "YYYY-MM-DDTHH:MM:SSZ", or nothing when `text` is not that.
std::optional<std::int64_t> parse_utc(std::string_view text);

}  // namespace lyncupdate::reports
