#pragma once
/// \file
/// How the users of the deployment behave while the update runs: when they are signed in and
/// what they do meanwhile. Every default is an assumption (no published figure exists) except
/// the registrar timers (DOMAIN.md section 2); the README, "User impact", lists them.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "lyncupdate/model/time.hpp"

namespace lyncupdate::model {

/// What a signed-in user does, each a Poisson process at a per-user hourly rate.
enum class Operation : std::uint8_t {
  presence,             ///< publishes a presence change
  im,                   ///< starts a peer-to-peer instant-message session
  call,                 ///< starts a peer-to-peer audio or video call
  contact_change,       ///< changes the contact list: a persistent write
  meeting_schedule,     ///< schedules a meeting
  conference_join,      ///< joins a conference
  conference_organise,  ///< starts an ad-hoc conference that they organise
  call_park,            ///< parks a call
};

/// How many operations there are.
inline constexpr std::size_t operation_count = 8;

/// The JSON name of an operation, e.g. "contact_change".
std::string_view operation_name(Operation operation);

/// The operation called `name`, if any.
std::optional<Operation> parse_operation(std::string_view name);

/// Whether `operation` fails for a user in resiliency mode (DOMAIN.md section 2: no
/// persistent changes, no scheduled or ad-hoc meetings, no call park; presence is not
/// published, others see it as unknown). Peer-to-peer IM and calls, and joining a conference,
/// keep working. A disconnected user's operations all fail.
bool fails_in_resiliency(Operation operation);

/// How long a session lasts.
enum class SessionLength : std::uint8_t {
  exponential,  ///< exponentially distributed with mean `session_mean`
  fixed,        ///< exactly `session_mean`, also for sessions in progress at the window start
};

/// The behaviour of the users, the same for every pool and Standard Edition server.
struct UserActivity {
  /// Per hour of the day (0 = 00:00-01:00), the fraction of users signed in, in [0, 1].
  // ASSUMED (docs/domain-notes.md): an office day; no published figure.
  std::array<double, 24> profile{0.03, 0.02, 0.02, 0.02, 0.02, 0.03, 0.08, 0.25,
                                 0.60, 0.75, 0.78, 0.75, 0.65, 0.72, 0.75, 0.72,
                                 0.62, 0.42, 0.22, 0.12, 0.08, 0.06, 0.05, 0.04};
  /// Mean length of a session (sign-in to sign-out).
  // ASSUMED (docs/domain-notes.md): no published figure.
  Duration session_mean = std::chrono::minutes(120);
  SessionLength session_length = SessionLength::exponential;
  /// Per signed-in user and hour, indexed by Operation.
  // ASSUMED (docs/domain-notes.md): no published figure for any of the eight rates.
  std::array<double, operation_count> rates_per_hour{2.0, 6.0, 1.0, 0.1, 0.2, 0.5, 0.1, 0.02};
  /// How long a conference lasts, unless its organiser signs out first.
  // ASSUMED (docs/domain-notes.md): no published figure.
  Duration conference_length = std::chrono::minutes(30);
  /// Registrar failover timer: a Standard Edition server's users re-register on its backup
  /// pool this long after the server stops (DOMAIN.md section 2, default 120 s).
  Duration failover_timer = std::chrono::seconds(120);
  /// Registrar failback timer: they return this long after the server is back (default 240 s).
  Duration failback_timer = std::chrono::seconds(240);

  /// The fraction of users signed in `since_start` after a window that opens at `window_start`
  /// (time of day): the profile's value for that hour.
  double signed_in_fraction(Duration since_start, Duration window_start) const;

  /// The rate of `operation`, per signed-in user and hour.
  double rate(Operation operation) const {
    return rates_per_hour[static_cast<std::size_t>(operation)];
  }
};

}  // namespace lyncupdate::model
