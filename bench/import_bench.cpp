/// \file
/// `lyncupdate import` of the generated 24-pool, 300-machine topology
/// (tests/importer/fixtures/generated-24-pools.xml, from importer/tools/generate-topology): the
/// XML read alone, and the whole import (derive, users estimated, the scenario written, loaded,
/// planned sequentially, estimated and loaded again), which must stay well under a second.

#include <benchmark/benchmark.h>

#include "lyncupdate/importer/importer.hpp"
#include "lyncupdate/importer/topology_xml.hpp"
#include "lyncupdate/loader/files.hpp"

namespace {

using namespace lyncupdate;

constexpr const char* generated =
    LYNCUPDATE_SOURCE_DIR "/tests/importer/fixtures/generated-24-pools.xml";

void BM_ReadTopologyXml24Pools(benchmark::State& state) {
  const auto bytes = loader::read_input_file(generated);
  if (!bytes) {
    state.SkipWithError(bytes.error().c_str());
    return;
  }
  for (auto _ : state) {
    auto published = importer::read_topology_xml(*bytes, "generated-24-pools.xml");
    benchmark::DoNotOptimize(published);
  }
}
BENCHMARK(BM_ReadTopologyXml24Pools)->Unit(benchmark::kMillisecond);

void BM_Import24Pools(benchmark::State& state) {
  const auto bytes = loader::read_input_file(generated);
  if (!bytes) {
    state.SkipWithError(bytes.error().c_str());
    return;
  }
  importer::ImportRequest request;
  request.topology = {"generated-24-pools.xml", *bytes};
  request.profile = *importer::import_profile(model::Product::lync2013);
  for (auto _ : state) {
    auto imported = importer::import_topology(request);
    if (!imported) state.SkipWithError("the generated topology does not import");
    benchmark::DoNotOptimize(imported);
  }
}
BENCHMARK(BM_Import24Pools)->Unit(benchmark::kMillisecond);

}  // namespace
