#include "lyncupdate/live/transport.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lyncupdate/model/fqdn.hpp"

namespace lyncupdate::live {
namespace {

constexpr int max_connect_timeout_s = 3600;

bool has_control_character(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return true;
  }
  return false;
}

// What argv() can check without the file system; make() adds the file's existence.
std::optional<std::string> options_problem(const SshOptions& options) {
  if (auto problem = ssh_user_problem(options.user); problem && !options.user.empty()) {
    return problem;
  }
  if (!options.config_file.empty()) {
    // ssh would read a name starting with '-' as an option in some positions; a control
    // character would reach messages and logs raw.
    if (options.config_file.front() == '-') {
      return "the ssh config file name starts with '-'; write it as ./" + options.config_file;
    }
    if (has_control_character(options.config_file)) {
      return "the ssh config file name holds a control character";
    }
  }
  if (options.connect_timeout_s < 1 || options.connect_timeout_s > max_connect_timeout_s) {
    return fmt::format("the ssh connect timeout is {} s; expected 1 to {}",
                       options.connect_timeout_s, max_connect_timeout_s);
  }
  return std::nullopt;
}

// Why the pair (fqdn, pipeline) cannot be handed to a transport, if it cannot. The FQDN is not
// repeated: it may be hostile.
std::optional<std::string> target_problem(std::string_view fqdn, const Pipeline& pipeline) {
  if (auto problem = model::fqdn_problem(fqdn)) {
    return "the server name is not a valid FQDN: " + *problem;
  }
  return pipeline_problem(pipeline);
}

}  // namespace

std::optional<std::string> ssh_user_problem(std::string_view user) {
  const auto is_lower = [](char c) { return c >= 'a' && c <= 'z'; };
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (user.empty()) return "the ssh user name is empty";
  if (user.size() > 32) {
    return fmt::format("the ssh user name has {} characters, at most 32 allowed", user.size());
  }
  if (!is_lower(user.front()) && user.front() != '_') {
    return "the ssh user name must start with a lower-case letter or '_'";
  }
  for (const char c : user) {
    if (!is_lower(c) && !is_digit(c) && c != '_' && c != '.' && c != '-') {
      return "the ssh user name may hold only lower-case letters, digits, '_', '.' and '-'";
    }
  }
  return std::nullopt;
}

std::expected<SshTransport, std::string> SshTransport::make(SshOptions options) {
  if (auto problem = options_problem(options)) return std::unexpected(*problem);
  if (!options.config_file.empty()) {
    struct stat info {};
    if (::stat(options.config_file.c_str(), &info) != 0 || !S_ISREG(info.st_mode) ||
        ::access(options.config_file.c_str(), R_OK) != 0) {
      return std::unexpected(
          fmt::format("the ssh config file \"{}\" is not a readable file", options.config_file));
    }
  }
  return SshTransport(std::move(options));
}

std::expected<std::vector<std::string>, std::string> SshTransport::argv(
    std::string_view fqdn, const Pipeline& pipeline) const {
  if (auto problem = options_problem(options_)) return std::unexpected(*problem);
  if (auto problem = target_problem(fqdn, pipeline)) return std::unexpected(*problem);
  std::vector<std::string> out{"ssh"};
  if (!options_.config_file.empty()) {
    out.emplace_back("-F");
    out.push_back(options_.config_file);
  }
  out.insert(out.end(), {"-o", "BatchMode=yes", "-o",
                         fmt::format("ConnectTimeout={}", options_.connect_timeout_s), "-T", "--"});
  // After "--" and validated, the destination can be neither an option nor a shell word.
  out.push_back(options_.user.empty() ? std::string(fqdn)
                                      : fmt::format("{}@{}", options_.user, fqdn));
  for (auto& word : powershell_invocation(pipeline)) out.push_back(std::move(word));
  return out;
}

Environment SshTransport::environment(std::string_view /*fqdn*/) const { return {}; }

std::string SshTransport::describe(std::string_view fqdn) const {
  return options_.user.empty() ? fmt::format("ssh {}", fqdn)
                               : fmt::format("ssh {}@{}", options_.user, fqdn);
}

std::expected<std::vector<std::string>, std::string> LocalTransport::argv(
    std::string_view fqdn, const Pipeline& pipeline) const {
  if (auto problem = target_problem(fqdn, pipeline)) return std::unexpected(*problem);
  return powershell_invocation(pipeline);
}

Environment LocalTransport::environment(std::string_view fqdn) const {
  return {{"LYNCUPDATE_TARGET", std::string(fqdn)}};
}

std::string LocalTransport::describe(std::string_view fqdn) const {
  return fmt::format("local powershell.exe as {}", fqdn);
}

}  // namespace lyncupdate::live
