// Transports: the exact argument vectors and environments of ssh and local runs, and the
// hostile server names and options they refuse before anything runs.
#include <filesystem>
#include <fstream>

#include <boost/test/unit_test.hpp>

#include "lyncupdate/live/transport.hpp"

namespace lyncupdate::live {
namespace {

using Strings = std::vector<std::string>;

const Pipeline stop_w3svc{{"net", "stop", "w3svc"}};

Strings invocation() { return powershell_invocation(stop_w3svc); }

Strings ssh_prefix(const Strings& options, const std::string& destination) {
  Strings out{"ssh"};
  out.insert(out.end(), options.begin(), options.end());
  out.insert(out.end(), {"-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-T", "--"});
  out.push_back(destination);
  const Strings words = invocation();
  out.insert(out.end(), words.begin(), words.end());
  return out;
}

// A file that exists for as long as the object does.
class TempFile {
 public:
  TempFile() : path_(std::filesystem::temp_directory_path() / "lyncupdate-live-ssh_config") {
    std::ofstream(path_) << "Host *\n";
  }
  ~TempFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

BOOST_AUTO_TEST_SUITE(transport)

BOOST_AUTO_TEST_CASE(ssh_without_config_or_user_sends_fixed_words_and_base64) {
  const auto ssh = SshTransport::make({});
  BOOST_TEST_REQUIRE(ssh.has_value());
  const auto argv = ssh->argv("sql01.lab.test", stop_w3svc);
  BOOST_TEST_REQUIRE(argv.has_value());
  BOOST_TEST(*argv == ssh_prefix({}, "sql01.lab.test"), boost::test_tools::per_element());
  BOOST_TEST(ssh->environment("sql01.lab.test").empty());
  BOOST_TEST(ssh->describe("sql01.lab.test") == "ssh sql01.lab.test");
  BOOST_TEST(ssh->name() == "ssh");
}

BOOST_AUTO_TEST_CASE(ssh_with_config_user_and_timeout) {
  const TempFile config;
  const auto ssh = SshTransport::make(
      {.config_file = config.path(), .user = "lync_admin", .connect_timeout_s = 10});
  BOOST_TEST_REQUIRE(ssh.has_value());
  const auto argv = ssh->argv("sql01.lab.test", stop_w3svc);
  BOOST_TEST_REQUIRE(argv.has_value());
  BOOST_TEST(*argv == ssh_prefix({"-F", config.path()}, "lync_admin@sql01.lab.test"),
             boost::test_tools::per_element());
  BOOST_TEST(ssh->describe("sql01.lab.test") == "ssh lync_admin@sql01.lab.test");

  const auto slow = SshTransport::make({.connect_timeout_s = 45});
  BOOST_TEST_REQUIRE(slow.has_value());
  BOOST_TEST(slow->argv("sql01.lab.test", stop_w3svc)->at(4) == "ConnectTimeout=45");
}

BOOST_AUTO_TEST_CASE(hostile_server_names_are_refused_by_every_transport) {
  const SshTransport ssh(SshOptions{});
  const LocalTransport local;
  for (const char* fqdn : {"a.b;rm -rf /", "$(reboot)", "-oProxyCommand=x", "sql01", "",
                           "sql01.lab.test\n", "sql01.lab.test other.lab.test"}) {
    BOOST_TEST(!ssh.argv(fqdn, stop_w3svc).has_value(), fqdn);
    BOOST_TEST(!local.argv(fqdn, stop_w3svc).has_value(), fqdn);
  }
  BOOST_TEST(ssh.argv("a.b;rm -rf /", stop_w3svc).error() ==
             "the server name is not a valid FQDN: ';' is not allowed; use letters, digits, "
             "hyphens and dots");
  BOOST_TEST(local.argv("-oProxyCommand=x", stop_w3svc).error() ==
             "the server name is not a valid FQDN: '=' is not allowed; use letters, digits, "
             "hyphens and dots");
}

BOOST_AUTO_TEST_CASE(a_pipeline_that_cannot_be_passed_safely_gets_no_argv) {
  const SshTransport ssh(SshOptions{});
  BOOST_TEST(ssh.argv("sql01.lab.test", {{"Write-Output", "a\nb"}}).error() ==
             "argument 2 of stage 1 cannot be passed: it holds control character U+000A at byte 1");
  BOOST_TEST(LocalTransport().argv("sql01.lab.test", {}).error() ==
             "the pipeline is empty; expected at least one command");
}

BOOST_AUTO_TEST_CASE(bad_ssh_options_are_refused) {
  BOOST_TEST(SshTransport::make({.user = "Admin"}).error() ==
             "the ssh user name must start with a lower-case letter or '_'");
  BOOST_TEST(SshTransport::make({.user = "a;reboot"}).error() ==
             "the ssh user name may hold only lower-case letters, digits, '_', '.' and '-'");
  BOOST_TEST(SshTransport::make({.user = "-oProxyCommand=x"}).error() ==
             "the ssh user name must start with a lower-case letter or '_'");
  BOOST_TEST(SshTransport::make({.user = std::string(33, 'a')}).error() ==
             "the ssh user name has 33 characters, at most 32 allowed");
  BOOST_TEST(SshTransport::make({.user = "_svc.lync-01"}).has_value());
  BOOST_TEST(SshTransport::make({.config_file = "/nonexistent/ssh_config"}).error() ==
             "the ssh config file \"/nonexistent/ssh_config\" is not a readable file");
  BOOST_TEST(SshTransport::make({.config_file = "/"}).error() ==
             "the ssh config file \"/\" is not a readable file");
  BOOST_TEST(SshTransport::make({.config_file = "-oProxyCommand=x"}).error() ==
             "the ssh config file name starts with '-'; write it as ./-oProxyCommand=x");
  BOOST_TEST(SshTransport::make({.connect_timeout_s = 0}).error() ==
             "the ssh connect timeout is 0 s; expected 1 to 3600");
  // Options that bypassed make() are still refused when used.
  const SshTransport unchecked(SshOptions{.user = "x y"});
  BOOST_TEST(!unchecked.argv("sql01.lab.test", stop_w3svc).has_value());
}

BOOST_AUTO_TEST_CASE(local_runs_powershell_here_and_names_the_target) {
  const LocalTransport local;
  const auto argv = local.argv("fe01.lab.test", stop_w3svc);
  BOOST_TEST_REQUIRE(argv.has_value());
  BOOST_TEST(*argv == invocation(), boost::test_tools::per_element());
  BOOST_TEST(
      (local.environment("fe01.lab.test") == Environment{{"LYNCUPDATE_TARGET", "fe01.lab.test"}}));
  BOOST_TEST(local.describe("fe01.lab.test") == "local powershell.exe as fe01.lab.test");
  BOOST_TEST(local.name() == "local");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace lyncupdate::live
