#include "import_command.hpp"

#include <fmt/format.h>

#include "common.hpp"
#include "lyncupdate/importer/importer.hpp"
#include "lyncupdate/loader/files.hpp"
#include "lyncupdate/model/catalogue.hpp"
#include "lyncupdate/model/scenario.hpp"

namespace lyncupdate::app {
namespace {

int refuse_import(const std::string& message) {
  write_err("lyncupdate import: error: " + message + "; nothing was written\n");
  return exit_bad_input;
}

std::expected<importer::InputFile, int> read_import_input(const std::string& path) {
  auto bytes = loader::read_input_file(path);
  if (!bytes) return std::unexpected(refuse_import(fmt::format("{}: {}", path, bytes.error())));
  return importer::InputFile{path, std::move(*bytes)};
}

}  // namespace

int import_command(const ImportOptions& options) {
  const auto product = model::parse_product(options.product);
  if (!product) {
    return refuse_import(
        fmt::format("--product: unknown version \"{}\"; expected lync2013, sfb2015, "
                    "sfb2019 or sfbse",
                    options.product));
  }
  const auto profile = importer::import_profile(*product);
  if (!profile) {
    return refuse_import(
        fmt::format("--product {}: {} is not yet supported; the Skype for Business "
                    "Server versions need their own runbooks; import supports lync2013 "
                    "(Lync Server 2013)",
                    options.product, model::product_title(*product)));
  }
  if (!options.update_version.empty() && !model::is_update_version(options.update_version)) {
    return refuse_import(
        fmt::format("--update-version: expected a version of 2 to 4 numeric parts "
                    "separated by dots, such as \"5.0.8308.1001\", got \"{}\"",
                    options.update_version));
  }
  importer::ImportRequest request;
  request.profile = *profile;
  request.update_version = options.update_version;
  auto topology = read_import_input(options.topology);
  if (!topology) return topology.error();
  request.topology = std::move(*topology);
  if (!options.users.empty()) {
    auto users = read_import_input(options.users);
    if (!users) return users.error();
    request.users = std::move(*users);
  }
  const auto imported = importer::import_topology(request);
  if (!imported) {
    return report_problems(imported.error(), "lyncupdate import", "nothing was written");
  }

  if (options.output.empty()) {
    write_out(imported->scenario);
  } else if (auto written = loader::write_file_atomically(options.output, imported->scenario);
             !written) {
    write_err(fmt::format("lyncupdate import: {}\n", written.error()));
    return exit_internal;
  }
  std::string text;
  for (const std::string& warning : imported->warnings) {
    text += fmt::format("lyncupdate import: warning: {}\n", warning);
  }
  const std::string file =
      options.output.empty() ? fmt::format("{}.json", imported->name) : shell_word(options.output);
  // The commands that follow, as the README's "Start from your topology" runs them.
  text += fmt::format(
      "next: lyncupdate check {0}; lyncupdate plan {0} -o planned.json (--max-risk P to accept "
      "more than 1% of rehearsals reaching the outage limit); lyncupdate verify planned.json "
      "--cap-factor 2.5 --order-only; lyncupdate report planned.json -o report.html{1}\n",
      file,
      options.update_version.empty()
          ? "; before live, import again with --update-version (live.update_version)"
          : "");
  write_err(text);
  return exit_clean;
}

}  // namespace lyncupdate::app
