// The PowerShell command-line reader and the binder, against the shipped catalogue: each rule
// failing on a hand-made bad command with its exact message, and passing on the good form.

#include <boost/test/unit_test.hpp>
#include <fmt/format.h>

#include "lyncupdate/checker/binding.hpp"
#include "lyncupdate/checker/command_line.hpp"
#include "lyncupdate/checker/install_csdatabase.hpp"
#include "lyncupdate/loader/loader.hpp"

using namespace lyncupdate;
using namespace lyncupdate::check;
using model::Product;
using Strings = std::vector<std::string>;

namespace {

const model::Catalogue& catalogue() {
  const auto& c = loader::shipped_catalogue();
  BOOST_REQUIRE(c.has_value());
  return *c;
}

Binding bind(std::string_view line, Product product = Product::lync2013) {
  const auto read = read_command_line(line);
  BOOST_REQUIRE(read.has_value());
  BOOST_REQUIRE(read->statements.size() == 1);
  return bind_command(read->statements[0].back(), catalogue(), product,
                      read->statements[0].size() - 1);
}

// "rule: message" of the first problem, or "binds".
std::string problem(std::string_view line, Product product = Product::lync2013) {
  const Binding b = bind(line, product);
  return b.problem ? fmt::format("{}: {}", b.problem->rule, b.problem->message) : "binds";
}

// Each element as kind:text (parameters as -Name or -Name:value).
Strings elements(const Command& command) {
  Strings out;
  for (const Element& e : command.elements) {
    out.push_back(fmt::format("{}:{}", static_cast<int>(e.kind), element_source(e)));
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(command_line)

BOOST_AUTO_TEST_CASE(statements_pipelines_and_elements) {
  const auto line = read_command_line(
      "Stop-CsWindowsService -Graceful; Get-Service 'W3''SVC' | Where-Object { $_.Status -eq "
      "'Running' -and ({ x }) } ; echo \"a`\"b $x\" -Name:$false -Report: r.txt");
  BOOST_REQUIRE(line.has_value());
  BOOST_TEST_REQUIRE(line->statements.size() == 3U);
  BOOST_TEST(
      elements(line->statements[0][0]) == (Strings{"0:Stop-CsWindowsService", "4:-Graceful"}),
      boost::test_tools::per_element());
  BOOST_TEST_REQUIRE(line->statements[1].size() == 2U);
  BOOST_TEST(elements(line->statements[1][0]) == (Strings{"0:Get-Service", "0:W3'SVC"}),
             boost::test_tools::per_element());
  BOOST_TEST(elements(line->statements[1][1]) ==
                 (Strings{"0:Where-Object", "3:{ $_.Status -eq 'Running' -and ({ x }) }"}),
             boost::test_tools::per_element());
  BOOST_TEST(elements(line->statements[2][0]) ==
                 (Strings{"0:echo", "1:a\"b $x", "4:-Name:$false", "4:-Report:r.txt"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(what_it_cannot_read_is_refused_with_a_reason) {
  const auto message = [](std::string_view text) {
    const auto line = read_command_line(text);
    return line ? std::string("reads") : line.error();
  };
  BOOST_TEST(message("echo 'open") == "an unterminated single-quoted string");
  BOOST_TEST(message("echo \"open") == "an unterminated double-quoted string");
  BOOST_TEST(message("Where-Object { $_ ") == "an unterminated script block");
  BOOST_TEST(message("Get-Service |") == "an empty pipeline element after |");
  BOOST_TEST(message("a && b") == "&& is not supported");
  BOOST_TEST(message("a > out.txt") == "redirections are not supported");
  BOOST_TEST(message("& 'C:\\Lync Update\\LyncServerUpdateInstaller.exe' /silentmode") == "reads");
}

BOOST_AUTO_TEST_CASE(argument_vectors_read_as_live_mode_runs_them) {
  const auto line = command_line_of(
      {{"Get-CimInstance", "-ClassName", "Win32_Process", "-Filter", "Name = 'powershell.exe'"},
       {"Select-Object", "-ExpandProperty:CommandLine"}});
  BOOST_TEST_REQUIRE(line.statements.size() == 1U);
  BOOST_TEST(elements(line.statements[0][0]) ==
                 (Strings{"0:Get-CimInstance", "4:-ClassName", "0:Win32_Process", "4:-Filter",
                          "0:Name = 'powershell.exe'"}),
             boost::test_tools::per_element());
  // Live mode quotes anything that is not a bare -Name: a quoted "-Name:value" is a value.
  BOOST_TEST(elements(line.statements[0][1]) ==
                 (Strings{"0:Select-Object", "0:-ExpandProperty:CommandLine"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(binding)

BOOST_AUTO_TEST_CASE(a_typo_in_a_cmdlet_name_suggests_the_catalogue_name) {
  BOOST_TEST(problem("Install-CsDatabse -Update") ==
             "unknown-command: Install-CsDatabse is no cmdlet or program the catalogue knows; "
             "did you mean Install-CsDatabase?");
  BOOST_TEST(bind("Install-CsDatabse -Update").problem->page ==
             "https://learn.microsoft.com/powershell/module/skypeforbusiness/install-csdatabase");
  BOOST_TEST(problem("Frobnicate-Everything") ==
             "unknown-command: Frobnicate-Everything is no cmdlet or program the catalogue knows");
  BOOST_TEST(problem("INSTALL-CSDATABASE -Update -LocalDatabases") == "binds");
}

BOOST_AUTO_TEST_CASE(an_unknown_parameter_is_named) {
  BOOST_TEST(problem("Install-CsDatabase -Update -LocalDatabase -Bogus") ==
             "unknown-parameter: Install-CsDatabase has no parameter -Bogus");
}

BOOST_AUTO_TEST_CASE(a_unique_prefix_binds_as_powershell_binds_it) {
  const Binding b = bind("Install-CsDatabase -upd -Configured -SqlServerF sql01.contoso.com");
  BOOST_TEST(!b.problem.has_value());
  BOOST_TEST(b.is_set("Update"));
  BOOST_TEST(b.is_set("ConfiguredDatabases"));
  BOOST_TEST(b.value("SqlServerFqdn").value_or("") == "sql01.contoso.com");
  BOOST_TEST(b.set->name == "ByConfigured");
}

BOOST_AUTO_TEST_CASE(an_ambiguous_prefix_names_every_candidate) {
  BOOST_TEST(problem("Install-CsDatabase -Update -LocalDatabases -Co") ==
             "ambiguous-parameter: -Co is ambiguous for Install-CsDatabase: it may be "
             "-Collocated, -ConfiguredDatabases, -Confirm");
  // An alias is an exact name: -cf is Confirm, -ea ErrorAction (a common parameter).
  BOOST_TEST(problem("Install-CsDatabase -Update -LocalDatabases -cf -ea Stop") == "binds");
}

BOOST_AUTO_TEST_CASE(a_switch_set_to_false_is_not_set) {
  const Binding b = bind("Install-CsDatabase -Update:$false -LocalDatabases:$true");
  BOOST_TEST(!b.problem.has_value());
  BOOST_TEST(!b.is_set("Update"));
  BOOST_TEST(b.is_set("LocalDatabases"));
  BOOST_TEST(problem("Install-CsDatabase -Update:yes -LocalDatabases") ==
             "invalid-parameter-value: -Update of Install-CsDatabase is a switch: it takes "
             ":$true or :$false, not :yes");
  const auto parsed = parse_install_csdatabase("Install-CsDatabase -Update:$false -LocalDatabases",
                                               &catalogue(), Product::lync2013);
  BOOST_REQUIRE(parsed.has_value());
  BOOST_TEST(!parsed->update);
}

BOOST_AUTO_TEST_CASE(a_value_after_a_colon_binds) {
  const Binding b =
      bind("Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn:sql02.x.com");
  BOOST_TEST(!b.problem.has_value());
  BOOST_TEST(b.value("SqlServerFqdn").value_or("") == "sql02.x.com");
  BOOST_TEST(problem("Install-CsDatabase -Update -LocalDatabases -Report") ==
             "missing-parameter-value: -Report of Install-CsDatabase needs a value and has none");
}

BOOST_AUTO_TEST_CASE(module_qualified_names_must_name_the_products_module) {
  BOOST_TEST(problem("Lync\\Install-CsDatabase -Update -LocalDatabases") == "binds");
  BOOST_TEST(problem("SkypeForBusiness\\Install-CsDatabase -Update -LocalDatabases") ==
             "unknown-command: SkypeForBusiness\\Install-CsDatabase names module "
             "SkypeForBusiness, but Install-CsDatabase on Lync Server 2013 is in module Lync");
  BOOST_TEST(problem("SkypeForBusiness\\Install-CsDatabase -Update -LocalDatabases",
                     Product::sfb2015) == "binds");
  BOOST_TEST(problem("Microsoft.PowerShell.Management\\Get-Service W3SVC") == "binds");
  const auto parsed = parse_install_csdatabase("Lync\\Install-CsDatabase -Upd -LocalDatabases",
                                               &catalogue(), Product::lync2013);
  BOOST_REQUIRE(parsed.has_value());
  BOOST_TEST(parsed->update);
  BOOST_TEST(parsed->local_databases);
}

BOOST_AUTO_TEST_CASE(a_missing_mandatory_parameter_is_named) {
  BOOST_TEST(problem("Invoke-CsDatabaseFailover -PoolFqdn pool01.contoso.com -DatabaseType User") ==
             "missing-mandatory-parameter: Invoke-CsDatabaseFailover lacks its mandatory "
             "parameter -NewPrincipal");
  BOOST_TEST(problem("Invoke-CsDatabaseFailover -PoolFqdn pool01.contoso.com -DatabaseType User "
                     "-NewPrincipal mirror") == "binds");
}

BOOST_AUTO_TEST_CASE(parameters_from_two_sets_conflict) {
  BOOST_TEST(problem("Install-CsDatabase -Update -ConfiguredDatabases -LocalDatabases") ==
             "parameter-set-conflict: Install-CsDatabase takes parameters from two parameter "
             "sets: -ConfiguredDatabases (ByConfigured) and -LocalDatabases (ByLocal)");
}

BOOST_AUTO_TEST_CASE(an_enum_value_must_be_one_of_its_values) {
  BOOST_TEST(problem("Set-CsBusyOptions -Identity sip:kenmyer@litwareinc.com -ActionType Busy",
                     Product::sfb2019) ==
             "invalid-parameter-value: -ActionType of Set-CsBusyOptions is Busy, which is none of "
             "its values (BusyOnBusy, VoicemailOnBusy)");
  BOOST_TEST(problem("Set-CsBusyOptions sip:kenmyer@litwareinc.com -ActionType voicemailonbusy",
                     Product::sfb2019) == "binds");
  BOOST_TEST(problem("Stop-CsWindowsService -ErrorAction Stopp") ==
             "invalid-parameter-value: -ErrorAction of Stop-CsWindowsService is Stopp, which is "
             "none of its values (Continue, Ignore, Inquire, SilentlyContinue, Stop, Suspend)");
  // Variables and expressions are not judged.
  BOOST_TEST(problem("Stop-CsWindowsService -ErrorAction $preference") == "binds");
  BOOST_TEST(problem("Stop-CsWindowsService -ErrorAction ('St' + 'op')") == "binds");
}

BOOST_AUTO_TEST_CASE(a_cmdlet_the_product_lacks_is_refused) {
  BOOST_TEST(problem("Get-CsServerPatchVersion") ==
             "not-in-product: Get-CsServerPatchVersion is not in Lync Server 2013 (only in "
             "Skype for Business Server 2015, Skype for Business Server 2019)");
  BOOST_TEST(problem("Get-CsServerPatchVersion", Product::sfb2019) == "binds");
  BOOST_TEST(problem("Get-CsPoolUpgradeReadinessState -PoolFqdn pool01.contoso.com") ==
             "unknown-parameter: Get-CsPoolUpgradeReadinessState has no parameter -PoolFqdn");
}

BOOST_AUTO_TEST_CASE(positional_arguments_bind_to_positional_parameters) {
  const Binding b = bind("Get-Service W3SVC");
  BOOST_TEST(!b.problem.has_value());
  BOOST_TEST(b.value("Name").value_or("") == "W3SVC");
  BOOST_TEST(problem("Start-Sleep 5 6") ==
             "unknown-parameter: Start-Sleep has no positional "
             "parameter for 6");
  // After a pipe, input arrives from the pipeline: no mandatory parameter is asked for.
  BOOST_TEST(problem("Get-Service | Where-Object { $_.Status -eq 'Running' }") == "binds");
  BOOST_TEST(problem("Get-Service | Select-Object -ExpandProperty Status") == "binds");
}

BOOST_AUTO_TEST_CASE(native_programs_take_their_forms) {
  BOOST_TEST(problem("net stop w3svc") == "binds");
  BOOST_TEST(problem("NET.EXE Start W3SVC") == "binds");
  BOOST_TEST(problem("net stopp w3svc") ==
             "unknown-parameter: net stopp w3svc is no form net accepts (net stop <service>, "
             "net start <service>)");
  BOOST_TEST(problem("iisreset /noforce /restart") == "binds");
  BOOST_TEST(problem("iisreset /stop /stop") ==
             "unknown-parameter: iisreset takes no argument /stop here (it takes /restart, "
             "/start, /stop, /reboot, /rebootonerror, /noforce, /timeout:<seconds>, /status, "
             "/enable, /disable, each once)");
  BOOST_TEST(problem("& 'C:\\Updates\\LyncServerUpdateInstaller.exe' /silentmode") == "binds");
  BOOST_TEST(problem("LyncServerUpdateInstaller.exe /silentmode", Product::sfb2015) ==
             "not-in-product: LyncServerUpdateInstaller.exe is not part of Skype for Business "
             "Server 2015 (only Lync Server 2013)");
  BOOST_TEST(problem("SkypeServerUpdateInstaller.exe /silentmode", Product::sfb2015) == "binds");
  BOOST_TEST(problem("echo hello") == "binds");
  BOOST_TEST(bind("echo hello").cmdlet->name == "Write-Output");
}

BOOST_AUTO_TEST_SUITE_END()
