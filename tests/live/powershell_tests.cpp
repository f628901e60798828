// Commands as argument vectors and their PowerShell encoding: the exact script, quoting that
// no scenario text can escape, and the base64 of UTF-16LE that -EncodedCommand takes.
#include <boost/test/unit_test.hpp>

#include "lyncupdate/live/powershell.hpp"
#include "lyncupdate/model/runbook.hpp"

namespace lyncupdate::live {
namespace {

using Strings = std::vector<std::string>;

constexpr std::string_view prologue = "$ErrorActionPreference = 'Stop'\n";
constexpr std::string_view epilogue = "\nif ($LASTEXITCODE) { exit $LASTEXITCODE }\n";

std::string script_around(std::string_view line) {
  return std::string(prologue) + std::string(line) + std::string(epilogue);
}

// Decodes standard base64 (test side, independent of the encoder).
std::string base64_decode(std::string_view text) {
  constexpr std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (const char c : text) {
    if (c == '=') break;
    bits = (bits << 6) | static_cast<std::uint32_t>(alphabet.find(c));
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xFFu));
    }
  }
  return out;
}

BOOST_AUTO_TEST_SUITE(powershell)

BOOST_AUTO_TEST_CASE(a_cmdlet_with_parameters_passes_names_bare_and_values_quoted) {
  const Pipeline pipeline{{"Install-CsDatabase", "-Update", "-ConfiguredDatabases",
                           "-SqlServerFqdn", "sql01.lab.test"}};
  BOOST_TEST(powershell_script(pipeline) ==
             script_around("& 'Install-CsDatabase' -Update -ConfiguredDatabases -SqlServerFqdn "
                           "'sql01.lab.test'"));
}

BOOST_AUTO_TEST_CASE(a_native_command_is_quoted_word_by_word) {
  BOOST_TEST(powershell_script(split_command("net stop w3svc")) ==
             "$ErrorActionPreference = 'Stop'\n"
             "& 'net' 'stop' 'w3svc'\n"
             "if ($LASTEXITCODE) { exit $LASTEXITCODE }\n");
}

BOOST_AUTO_TEST_CASE(a_two_stage_pipeline_joins_its_stages_with_a_bar) {
  const Pipeline pipeline{
      {"Get-CimInstance", "-ClassName", "Win32_Process", "-Filter", "Name = 'powershell.exe'"},
      {"Select-Object", "-ExpandProperty", "CommandLine"}};
  BOOST_TEST(powershell_script(pipeline) ==
             script_around("& 'Get-CimInstance' -ClassName 'Win32_Process' -Filter "
                           "'Name = ''powershell.exe''' | & 'Select-Object' -ExpandProperty "
                           "'CommandLine'"));
}

BOOST_AUTO_TEST_CASE(only_a_plain_parameter_name_goes_bare) {
  BOOST_TEST(model::is_bare_parameter_name("-Update"));
  BOOST_TEST(model::is_bare_parameter_name("-x1"));
  BOOST_TEST(!model::is_bare_parameter_name("-"));
  BOOST_TEST(!model::is_bare_parameter_name("-1"));
  BOOST_TEST(!model::is_bare_parameter_name("--Update"));
  BOOST_TEST(!model::is_bare_parameter_name("-Update:$true"));
  BOOST_TEST(!model::is_bare_parameter_name("-Name;reboot"));
  BOOST_TEST(!model::is_bare_parameter_name("/silentmode"));
  BOOST_TEST(powershell_script({{"x", "-a;b", "-Ok"}}) == script_around("& 'x' '-a;b' -Ok"));
}

BOOST_AUTO_TEST_CASE(every_single_quote_character_is_doubled) {
  BOOST_TEST(powershell_quote("it's") == "'it''s'");
  BOOST_TEST(powershell_quote("\u2018a\u2019") == "'\u2018\u2018a\u2019\u2019'");
  BOOST_TEST(powershell_quote("\u201A\u201B") == "'\u201A\u201A\u201B\u201B'");
  BOOST_TEST(powershell_quote("'") == "''''");
  BOOST_TEST(powershell_quote("") == "''");
  // Neighbours of the quote characters are text.
  BOOST_TEST(powershell_quote("\u201C\u2017") == "'\u201C\u2017'");
}

BOOST_AUTO_TEST_CASE(nothing_inside_a_single_quoted_literal_is_expanded) {
  BOOST_TEST(powershell_quote("$(reboot)") == "'$(reboot)'");
  BOOST_TEST(powershell_quote("a.b;rm -rf /") == "'a.b;rm -rf /'");
  BOOST_TEST(powershell_quote("`whoami`") == "'`whoami`'");
  BOOST_TEST(powershell_quote("say \"hi\" $env:PATH") == "'say \"hi\" $env:PATH'");
  BOOST_TEST(
      powershell_script({{"Write-Output", "$(reboot)", "a.b;rm -rf /", "x' ; reboot ; '"}}) ==
      script_around("& 'Write-Output' '$(reboot)' 'a.b;rm -rf /' 'x'' ; reboot ; '''"));
}

BOOST_AUTO_TEST_CASE(a_command_splits_on_ascii_whitespace) {
  BOOST_TEST(split_command("  net\tstop   w3svc \n") == (Pipeline{{"net", "stop", "w3svc"}}));
  BOOST_TEST(split_command("Stop-CsWindowsService") == (Pipeline{{"Stop-CsWindowsService"}}));
  BOOST_TEST(split_command("").empty());
  BOOST_TEST(split_command(" \t ").empty());
}

BOOST_AUTO_TEST_CASE(a_pipeline_that_cannot_be_passed_safely_is_refused) {
  BOOST_TEST(!pipeline_problem({{"net", "stop", "w3svc"}}));
  BOOST_TEST(!pipeline_problem({{"Write-Output", "caf\u00e9 \U0001F600"}}));
  BOOST_TEST(pipeline_problem({}).value_or("") ==
             "the pipeline is empty; expected at least one command");
  BOOST_TEST(pipeline_problem({{"a"}, {}}).value_or("") ==
             "stage 2 of the pipeline is empty; expected a command and its arguments");
  BOOST_TEST(pipeline_problem({{"a", ""}}).value_or("") ==
             "argument 2 of stage 1 cannot be passed: it is empty");
  BOOST_TEST(pipeline_problem({{"Write-Output", "a\nRestart-Computer"}}).value_or("") ==
             "argument 2 of stage 1 cannot be passed: it holds control character U+000A at byte 1");
  BOOST_TEST(pipeline_problem({{"a", "b\rc"}}).value_or("") ==
             "argument 2 of stage 1 cannot be passed: it holds control character U+000D at byte 1");
  BOOST_TEST(pipeline_problem({{std::string("a\0b", 3)}}).value_or("") ==
             "argument 1 of stage 1 cannot be passed: it holds control character U+0000 at byte 1");
  BOOST_TEST(pipeline_problem({{"a\x7f"}}).value_or("") ==
             "argument 1 of stage 1 cannot be passed: it holds control character U+007F at byte 1");
  BOOST_TEST(pipeline_problem({{"a", "\xC3("}}).value_or("") ==
             "argument 2 of stage 1 cannot be passed: it is not valid UTF-8 at byte 0");
  BOOST_TEST(pipeline_problem({{"a", "\xC0\xAF"}}).value_or("") ==
             "argument 2 of stage 1 cannot be passed: it is not valid UTF-8 at byte 0");
  BOOST_TEST(pipeline_problem({{"a", "x\xED\xA0\x80"}}).value_or("") ==
             "argument 2 of stage 1 cannot be passed: it is not valid UTF-8 at byte 1");
  BOOST_TEST(!pipeline_problem({{"a", std::string(max_argument_bytes, 'x')}}));
  BOOST_TEST(pipeline_problem({{"a", std::string(max_argument_bytes + 1, 'x')}}).value_or("") ==
             "argument 2 of stage 1 cannot be passed: it has 4097 bytes, at most 4096 allowed");
}

BOOST_AUTO_TEST_CASE(base64_of_utf16le_matches_known_values) {
  BOOST_TEST(utf16le_base64("Get-Date") == "RwBlAHQALQBEAGEAdABlAA==");
  BOOST_TEST(utf16le_base64("") == "");
  BOOST_TEST(utf16le_base64("a") == "YQA=");
  BOOST_TEST(utf16le_base64("\u00e9\u20ac") == "6QCsIA==");  // two and three UTF-8 bytes
  BOOST_TEST(utf16le_base64("\U0001F600") == "PdgA3g==");    // a surrogate pair: D83D DE00
  BOOST_TEST(base64_decode(utf16le_base64("\U0001F600")) == std::string("\x3D\xD8\x00\xDE", 4));
}

BOOST_AUTO_TEST_CASE(base64_of_utf16le_round_trips_a_script) {
  const std::string script = powershell_script({{"Write-Output", "caf\u00e9 \u2019 \U0001F600"}});
  const std::string utf16 = base64_decode(utf16le_base64(script));
  // Back to UTF-8 by hand: every unit of the script but the surrogate pair is one code point.
  std::u16string units;
  for (std::size_t i = 0; i + 1 < utf16.size(); i += 2) {
    units.push_back(static_cast<char16_t>(static_cast<unsigned char>(utf16[i]) |
                                          (static_cast<unsigned char>(utf16[i + 1]) << 8)));
  }
  std::string back;
  for (std::size_t i = 0; i < units.size(); ++i) {
    char32_t c = units[i];
    if (c >= 0xD800 && c <= 0xDBFF) c = 0x10000 + ((c - 0xD800) << 10) + (units[++i] - 0xDC00);
    if (c < 0x80) {
      back.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      back.push_back(static_cast<char>(0xC0 | (c >> 6)));
      back.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      back.push_back(static_cast<char>(0xE0 | (c >> 12)));
      back.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      back.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      back.push_back(static_cast<char>(0xF0 | (c >> 18)));
      back.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      back.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      back.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  BOOST_TEST(back == script);
}

BOOST_AUTO_TEST_CASE(the_invocation_is_fixed_words_and_base64) {
  BOOST_TEST(
      powershell_invocation({{"whoami"}}) ==
          (Strings{"powershell.exe", "-NoProfile", "-NonInteractive", "-EncodedCommand",
                   "JABFAHIAcgBvAHIAQQBjAHQAaQBvAG4AUAByAGUAZgBlAHIAZQBuAGMAZQAgAD0AIAAnAFMAdABv"
                   "AHAAJwAKACYAIAAnAHcAaABvAGEAbQBpACcACgBpAGYAIAAoACQATABBAFMAVABFAFgASQBUAEMA"
                   "TwBEAEUAKQAgAHsAIABlAHgAaQB0ACAAJABMAEEAUwBUAEUAWABJAFQAQwBPAEQARQAgAH0ACgA="}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace lyncupdate::live
