/// \file
/// What live mode adds around each step, against which a step's minutes are measured: the
/// PowerShell encoding of a command, one journal record written and flushed to disk (fsync),
/// and starting and reaping one child process (fork, execve, waitpid with its pipes).

#include <filesystem>
#include <string>

#include <benchmark/benchmark.h>
#include <unistd.h>

#include "lyncupdate/live/journal.hpp"
#include "lyncupdate/live/powershell.hpp"
#include "lyncupdate/live/process.hpp"

namespace {

using namespace lyncupdate;

// The longest command of the shipped runbook, as the backend encodes it for -EncodedCommand.
void BM_PowerShellEncoding(benchmark::State& state) {
  const std::string command =
      "Install-CsDatabase -Update -ConfiguredDatabases -SqlServerFqdn sql01.contoso.com "
      "-ExcludeCollocatedStores";
  for (auto _ : state) {
    const live::Pipeline pipeline = live::split_command(command);
    benchmark::DoNotOptimize(live::powershell_invocation(pipeline));
  }
}
BENCHMARK(BM_PowerShellEncoding);

// One intent record appended and flushed: the price of crash safety, paid twice a step.
void BM_JournalAppendFsync(benchmark::State& state) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("lyncupdate-bench-" + std::to_string(::getpid()) + ".journal");
  std::filesystem::remove(path);
  live::Header header;
  header.scenario = "contoso";
  header.scenario_sha256 = std::string(64, '0');
  header.tool = "lyncupdate bench";
  header.transport = "ssh";
  header.started_utc = "2026-11-26T22:00:00Z";
  auto writer = live::JournalWriter::create(path, header);
  if (!writer) {
    state.SkipWithError(writer.error().c_str());
    return;
  }
  live::Intent intent;
  intent.server = "sql01.contoso.com";
  intent.step = "stop-services";
  intent.host = "sql01.contoso.com";
  intent.argv = {"Stop-CsWindowsService"};
  for (auto _ : state) {
    if (!writer->append(intent)) state.SkipWithError("append failed");
  }
  std::filesystem::remove(path);
}
BENCHMARK(BM_JournalAppendFsync)->Unit(benchmark::kMicrosecond);

// A child process started and reaped with its output captured: /bin/true.
void BM_RunProcess(benchmark::State& state) {
  const std::vector<std::string> argv = {"/bin/true"};
  for (auto _ : state) {
    const live::ProcessResult result = live::run_process(argv, {}, std::chrono::seconds(10));
    if (result.exit_code != 0) state.SkipWithError("/bin/true failed");
  }
}
BENCHMARK(BM_RunProcess)->Unit(benchmark::kMicrosecond);

}  // namespace
