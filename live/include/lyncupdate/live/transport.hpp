#pragma once
/// \file
/// How a pipeline reaches the server it is for: the argument vector and environment of the
/// local process that runs it there. A transport only builds them; run_process runs them.

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lyncupdate/live/powershell.hpp"
#include "lyncupdate/live/process.hpp"

namespace lyncupdate::live {

/// A way to run PowerShell pipelines on a server named by its FQDN.
class Transport {
 public:
  virtual ~Transport() = default;
  /// The transport's name as the journal and the command line spell it: "ssh", "local".
  virtual std::string_view name() const = 0;
  /// The argument vector of the local process that runs `pipeline` on server `fqdn`, or why
  /// there is none: `fqdn` is not a valid FQDN (model::fqdn_problem), `pipeline` is one that
  /// pipeline_problem rejects, or the transport's own settings are invalid. The remote side
  /// only ever receives fixed words and base64.
  virtual std::expected<std::vector<std::string>, std::string> argv(
      std::string_view fqdn, const Pipeline& pipeline) const = 0;
  /// Variables added to that process's environment.
  virtual Environment environment(std::string_view fqdn) const = 0;
  /// Where a command for `fqdn` runs, for people: "ssh sql01.lab.test".
  virtual std::string describe(std::string_view fqdn) const = 0;

 protected:
  Transport() = default;
  Transport(const Transport&) = default;
  Transport& operator=(const Transport&) = default;
  Transport(Transport&&) = default;
  Transport& operator=(Transport&&) = default;
};

/// How the OpenSSH client is invoked.
struct SshOptions {
  /// An ssh_config file passed with `-F`; empty: ssh's own defaults.
  std::string config_file{};
  /// The remote user; empty: whatever the configuration says. Matches
  /// `^[a-z_][a-z0-9_.-]{0,31}$`.
  std::string user{};
  /// Seconds ssh waits for a connection (`-o ConnectTimeout`), 1 to 3600.
  int connect_timeout_s = 10;
};

/// Runs pipelines through the OpenSSH client (`ssh` on the PATH), never asking for a password:
/// `ssh [-F <config>] -o BatchMode=yes -o ConnectTimeout=<s> -T -- <[user@]fqdn>
/// powershell.exe -NoProfile -NonInteractive -EncodedCommand <base64>`.
class SshTransport final : public Transport {
 public:
  /// A transport with `options`, or why they are invalid: a user name outside the allowed
  /// pattern, a config file that is not a readable regular file or whose name starts with `-`
  /// or holds a control character, a timeout out of range.
  static std::expected<SshTransport, std::string> make(SshOptions options);

  /// A transport with `options` unchecked; argv() still refuses invalid ones. Prefer make().
  explicit SshTransport(SshOptions options) : options_(std::move(options)) {}

  std::string_view name() const override { return "ssh"; }
  std::expected<std::vector<std::string>, std::string> argv(
      std::string_view fqdn, const Pipeline& pipeline) const override;
  Environment environment(std::string_view fqdn) const override;
  /// "ssh sql01.lab.test", or "ssh admin@sql01.lab.test" with a user.
  std::string describe(std::string_view fqdn) const override;

  /// The options it was made with.
  const SshOptions& options() const { return options_; }

 private:
  SshOptions options_;
};

/// Runs pipelines on this machine with the `powershell.exe` found on the PATH, telling it the
/// server it stands for in `LYNCUPDATE_TARGET`: for a machine that is the server, or a stand-in.
class LocalTransport final : public Transport {
 public:
  LocalTransport() = default;

  std::string_view name() const override { return "local"; }
  std::expected<std::vector<std::string>, std::string> argv(
      std::string_view fqdn, const Pipeline& pipeline) const override;
  /// `LYNCUPDATE_TARGET=<fqdn>`.
  Environment environment(std::string_view fqdn) const override;
  /// "local powershell.exe as sql01.lab.test".
  std::string describe(std::string_view fqdn) const override;
};

/// Why `user` cannot be an ssh user name, or nothing when it can: it must match
/// `^[a-z_][a-z0-9_.-]{0,31}$`.
std::optional<std::string> ssh_user_problem(std::string_view user);

}  // namespace lyncupdate::live
