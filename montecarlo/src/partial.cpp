#include "lyncupdate/montecarlo/partial.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lyncupdate/loader/files.hpp"
#include "lyncupdate/version/version.hpp"

namespace lyncupdate::mc {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view schema = "lyncupdate/montecarlo-partial/2";

// A content problem at a JSON pointer; caught in read_partial and turned into a message.
// strerror's text in lower case, as every message of the tool is.
std::string reason(int error) {
  std::string text = std::strerror(error);
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z')
    text[0] = static_cast<char>(text[0] - 'A' + 'a');
  return text;
}

struct Bad {
  std::string pointer;
  std::string message;
};

const Json& at(const Json& object, std::string_view key, const std::string& pointer) {
  if (!object.is_object()) throw Bad{pointer, "expected an object"};
  const auto it = object.find(key);
  if (it == object.end()) throw Bad{pointer, fmt::format("missing required key \"{}\"", key)};
  return *it;
}

std::uint64_t unsigned_at(const Json& object, std::string_view key, const std::string& pointer) {
  const Json& v = at(object, key, pointer);
  if (!v.is_number_unsigned()) {
    throw Bad{fmt::format("{}/{}", pointer, key), "expected an integer 0 or more"};
  }
  return v.get<std::uint64_t>();
}

std::int64_t signed_at(const Json& object, std::string_view key, const std::string& pointer) {
  const Json& v = at(object, key, pointer);
  if (!v.is_number_integer()) throw Bad{fmt::format("{}/{}", pointer, key), "expected an integer"};
  return v.get<std::int64_t>();
}

std::string string_at(const Json& object, std::string_view key, const std::string& pointer) {
  const Json& v = at(object, key, pointer);
  if (!v.is_string()) throw Bad{fmt::format("{}/{}", pointer, key), "expected a string"};
  return v.get<std::string>();
}

std::vector<std::int64_t> samples_at(const Json& array, std::uint64_t runs,
                                     const std::string& pointer) {
  if (!array.is_array() || array.size() != runs) {
    throw Bad{pointer, fmt::format("expected an array of {} integers, one per run", runs)};
  }
  std::vector<std::int64_t> out;
  out.reserve(array.size());
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_number_integer() || array[i].get<std::int64_t>() < 0) {
      throw Bad{fmt::format("{}/{}", pointer, i), "expected milliseconds, an integer 0 or more"};
    }
    out.push_back(array[i].get<std::int64_t>());
  }
  return out;
}

// Runs in which a server's longest outage reached the limit: at most the runs where any
// server's did, at least those where a server that is no back end did (a mirror's outage
// does not count, and the file does not say which back ends are mirrors).
std::pair<std::uint64_t, std::uint64_t> runs_reaching_bounds(const BatchResult& b) {
  std::uint64_t any = 0;
  std::uint64_t certain = 0;
  const std::int64_t limit = b.scenario.backend_outage_limit.count();
  for (std::size_t run = 0; run < b.runs(); ++run) {
    bool reached = false;
    bool surely = false;
    for (std::size_t s = 0; s < b.scenario.servers.size(); ++s) {
      if (b.longest_outage_ms[s][run] < limit) continue;
      reached = true;
      const model::Role role = b.scenario.servers[s].role;
      surely = surely || role == model::Role::standard_edition || role == model::Role::front_end;
    }
    any += reached ? 1U : 0U;
    certain += surely ? 1U : 0U;
  }
  return {certain, any};
}

// The counts must be possible for the runs of the file and agree with its samples: a count
// above the runs, or one the samples contradict, would make the merged report lie.
void check_counts(const BatchResult& b, const Json& rules) {
  for (const auto& [key, value] : rules.items()) {
    if (std::ranges::find(counted_rules, key) == counted_rules.end()) {
      std::string known;
      for (const std::string_view rule : counted_rules) {
        known += fmt::format("{}\"{}\"", known.empty() ? "" : ", ", rule);
      }
      throw Bad{"/counts/violations",
                fmt::format("unknown rule {}; expected only {}", Json(key).dump(), known)};
    }
  }
  const auto at_most = [](std::uint64_t count, std::uint64_t bound, const std::string& pointer,
                          std::string_view what) {
    if (count > bound) {
      throw Bad{pointer, fmt::format("expected at most {} ({}), got {}", bound, what, count)};
    }
  };
  const std::uint64_t runs = b.runs();
  at_most(b.runs_reaching_limit, runs, "/counts/runs_reaching_limit", "the runs of this file");
  at_most(b.runs_stopped, runs, "/counts/runs_stopped", "the runs of this file");
  at_most(b.runs_with_violations, runs, "/counts/runs_with_violations", "the runs of this file");
  at_most(b.retried_attempts, b.failed_attempts, "/counts/retried_attempts", "the failed attempts");
  for (std::size_t r = 0; r < counted_rules.size(); ++r) {
    const std::string p = fmt::format("/counts/violations/{}", counted_rules[r]);
    at_most(b.runs_with_rule[r], b.runs_with_violations, p + "/runs", "the runs with violations");
    if (b.violations[r] < b.runs_with_rule[r]) {
      throw Bad{p + "/count",
                fmt::format("expected at least {} (one per run with the rule), got {}",
                            b.runs_with_rule[r], b.violations[r])};
    }
    if (b.violations[r] > 0 && b.runs_with_rule[r] == 0) {
      throw Bad{p + "/runs",
                fmt::format("expected at least 1 (the rule was broken {} times), got 0",
                            b.violations[r])};
    }
  }
  const auto [certain, any] = runs_reaching_bounds(b);
  if (b.runs_reaching_limit < certain || b.runs_reaching_limit > any) {
    throw Bad{
        "/counts/runs_reaching_limit",
        certain == any
            ? fmt::format("expected {} (the runs whose samples reach the outage limit), got {}",
                          any, b.runs_reaching_limit)
            : fmt::format("expected from {} to {} (the runs whose samples reach the outage "
                          "limit), got {}",
                          certain, any, b.runs_reaching_limit)};
  }
}

BatchResult from_json(const Json& doc) {
  if (string_at(doc, "schema", "") != schema) {
    throw Bad{"/schema", fmt::format("expected \"{}\"", schema)};
  }
  BatchResult b;
  b.scenario.name = string_at(doc, "scenario", "");
  b.scenario.hash = string_at(doc, "scenario_hash", "");
  b.scenario.seed = unsigned_at(doc, "seed", "");
  b.runs_total = unsigned_at(doc, "runs", "");
  b.first_run = unsigned_at(doc, "first_run", "");
  b.end_run = unsigned_at(doc, "end_run", "");
  if (b.first_run > b.end_run || b.end_run > b.runs_total) {
    throw Bad{"/end_run", "expected first_run <= end_run <= runs"};
  }
  const Json& limits = at(doc, "limits", "");
  b.scenario.stages = unsigned_at(limits, "stages", "/limits");
  b.scenario.backend_outage_limit =
      Duration(signed_at(limits, "backend_outage_limit_ms", "/limits"));
  b.scenario.window_start = Duration(signed_at(limits, "window_start_ms", "/limits"));
  b.scenario.window_length = Duration(signed_at(limits, "window_length_ms", "/limits"));
  const Json& servers = at(doc, "servers", "");
  if (!servers.is_array()) throw Bad{"/servers", "expected an array of servers"};
  const Json& outages = at(at(doc, "samples", ""), "longest_outage_ms", "/samples");
  if (!outages.is_array() || outages.size() != servers.size()) {
    throw Bad{"/samples/longest_outage_ms", "expected one array of samples per server"};
  }
  for (std::size_t s = 0; s < servers.size(); ++s) {
    const std::string p = fmt::format("/servers/{}", s);
    BatchServer server;
    server.fqdn = string_at(servers[s], "fqdn", p);
    const auto role = model::parse_role(string_at(servers[s], "role", p));
    if (!role) throw Bad{p + "/role", "expected a role"};
    server.role = *role;
    server.stage = unsigned_at(servers[s], "stage", p);
    b.scenario.servers.push_back(std::move(server));
    b.longest_outage_ms.push_back(
        samples_at(outages[s], b.runs(), fmt::format("/samples/longest_outage_ms/{}", s)));
  }
  b.window_ms =
      samples_at(at(doc["samples"], "window_ms", "/samples"), b.runs(), "/samples/window_ms");
  for (std::size_t m = 0; m < user_metrics.size(); ++m) {
    b.user_samples[m] = samples_at(at(doc["samples"], user_metrics[m], "/samples"), b.runs(),
                                   fmt::format("/samples/{}", user_metrics[m]));
  }
  const Json& counts = at(doc, "counts", "");
  b.runs_reaching_limit = unsigned_at(counts, "runs_reaching_limit", "/counts");
  b.runs_stopped = unsigned_at(counts, "runs_stopped", "/counts");
  b.runs_with_violations = unsigned_at(counts, "runs_with_violations", "/counts");
  b.failed_attempts = unsigned_at(counts, "failed_attempts", "/counts");
  b.retried_attempts = unsigned_at(counts, "retried_attempts", "/counts");
  b.reboots = unsigned_at(counts, "reboots", "/counts");
  const Json& rules = at(counts, "violations", "/counts");
  for (std::size_t r = 0; r < counted_rules.size(); ++r) {
    const std::string p = fmt::format("/counts/violations/{}", counted_rules[r]);
    const Json& rule = at(rules, counted_rules[r], "/counts/violations");
    b.runs_with_rule[r] = unsigned_at(rule, "runs", p);
    b.violations[r] = unsigned_at(rule, "count", p);
  }
  check_counts(b, rules);
  return b;
}

}  // namespace

std::string partial_text(const BatchResult& b) {
  Json doc;
  doc["schema"] = schema;
  doc["tool_version"] = version::full();
  doc["scenario"] = b.scenario.name;
  doc["scenario_hash"] = b.scenario.hash;
  doc["seed"] = b.scenario.seed;
  doc["runs"] = b.runs_total;
  doc["first_run"] = b.first_run;
  doc["end_run"] = b.end_run;
  doc["limits"] = Json{{"stages", b.scenario.stages},
                       {"backend_outage_limit_ms", b.scenario.backend_outage_limit.count()},
                       {"window_start_ms", b.scenario.window_start.count()},
                       {"window_length_ms", b.scenario.window_length.count()}};
  Json servers = Json::array();
  for (const BatchServer& s : b.scenario.servers) {
    servers.push_back(
        Json{{"fqdn", s.fqdn}, {"role", model::role_name(s.role)}, {"stage", s.stage}});
  }
  doc["servers"] = std::move(servers);
  Json rules = Json::object();
  for (std::size_t r = 0; r < counted_rules.size(); ++r) {
    rules[std::string(counted_rules[r])] =
        Json{{"runs", b.runs_with_rule[r]}, {"count", b.violations[r]}};
  }
  doc["counts"] = Json{{"runs_reaching_limit", b.runs_reaching_limit},
                       {"runs_stopped", b.runs_stopped},
                       {"runs_with_violations", b.runs_with_violations},
                       {"failed_attempts", b.failed_attempts},
                       {"retried_attempts", b.retried_attempts},
                       {"reboots", b.reboots},
                       {"violations", std::move(rules)}};
  // Samples on one line each: a million runs stay a readable, if long, file.
  doc["samples"] = Json{{"window_ms", b.window_ms}, {"longest_outage_ms", b.longest_outage_ms}};
  for (std::size_t m = 0; m < user_metrics.size(); ++m) {
    doc["samples"][std::string(user_metrics[m])] = b.user_samples[m];
  }
  return doc.dump() + "\n";
}

std::expected<void, std::string> write_partial(const std::filesystem::path& path,
                                               const BatchResult& batch) {
  return loader::write_file_atomically(path, partial_text(batch));
}

std::expected<BatchResult, std::string> parse_partial(std::string_view text,
                                                      const std::string& name) {
  const Json doc = Json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    return std::unexpected(
        fmt::format("{}: error: not a JSON document; expected a partial result written by "
                    "simulate --partial",
                    name));
  }
  try {
    return from_json(doc);
  } catch (const Bad& bad) {
    return std::unexpected(fmt::format("{}: error: {}{}{}", name, bad.pointer,
                                       bad.pointer.empty() ? "" : ": ", bad.message));
  }
}

std::expected<BatchResult, std::string> read_partial(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::unexpected(fmt::format("{}: error: cannot read the file: {}", name, reason(errno)));
  }
  // The size is checked before the file is read, and the read stops past the bound anyway
  // (the file may grow meanwhile).
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  const auto too_large = [&] {
    return std::unexpected(fmt::format(
        "{}: error: the file is larger than {} MiB, the most a partial result may be; split the "
        "runs into more shards",
        name, max_partial_bytes >> 20));
  };
  if (!ec && size > max_partial_bytes) return too_large();
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_partial_bytes) return too_large();
  }
  return parse_partial(text, name);
}

}  // namespace lyncupdate::mc
