#pragma once
/// \file
/// Helpers shared by the loader tests: the shipped contoso scenario as mutable JSON, loading a
/// mutated copy, rendering the outcome, and scratch folders for file tests.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "lyncupdate/loader/loader.hpp"
#include "lyncupdate/model/scenario.hpp"

namespace lyncupdate::loader::testing {

/// Ordered, so that a dumped fixture keeps contoso's key order and diagnostics keep theirs.
using Json = nlohmann::ordered_json;

/// The shipped contoso scenario, as the file has it (its runbook named, not inlined).
Json contoso();

/// The shipped contoso scenario with the shipped runbook inlined, so that tests can break
/// steps and see pointers under `/runbook`.
Json contoso_inline();

/// The index of the step called `id` in `scenario`'s inline runbook.
std::size_t step_index(const Json& scenario, std::string_view id);

/// The JSON pointer of the step called `id` in `scenario`'s inline runbook: "/runbook/6".
std::string step_pointer(const Json& scenario, std::string_view id);

/// The ids of the shipped contoso runbook's steps as a message lists them: `"a", "b"`.
std::string quoted_step_ids();

/// Loads `scenario` as the text of a file called `name`, without a folder.
LoadResult load(const Json& scenario, std::string_view name = "bad.json");

/// Every diagnostic of `result`, rendered; empty when it loaded.
std::vector<std::string> rendered(const LoadResult& result);

/// A file of the fixtures folder.
std::filesystem::path data_path(std::string_view name);

/// Writes `bytes` to `path`, replacing it.
void write_file(const std::filesystem::path& path, std::string_view bytes);

/// A fresh folder under the system temporary folder, removed with everything in it at scope
/// exit.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Every field of a scenario, one per line, so that two scenarios compare with a readable
/// difference (the model types have no equality).
std::string canonical(const model::Scenario& scenario);

}  // namespace lyncupdate::loader::testing
