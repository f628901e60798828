#include "lyncupdate/reports/findings.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "lyncupdate/model/printable.hpp"

namespace lyncupdate::reports {

std::string render_findings_text(std::span<const check::Finding> findings, const TextStyle& style) {
  std::size_t counts[3] = {0, 0, 0};
  for (const check::Finding& f : findings) ++counts[static_cast<std::size_t>(f.severity)];
  if (findings.empty()) return "Static analysis: no findings\n";
  const auto plural = [](std::size_t n, std::string_view word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
  };
  std::string out = fmt::format("Static analysis ({}, {}, {}):\n", plural(counts[2], "error"),
                                plural(counts[1], "warning"), plural(counts[0], "note"));
  // Problems first, so that they are not lost below the proofs.
  std::vector<const check::Finding*> ordered;
  for (const check::Finding& f : findings) ordered.push_back(&f);
  std::ranges::stable_sort(ordered, [](const check::Finding* a, const check::Finding* b) {
    return (a->severity == check::Severity::info) < (b->severity == check::Severity::info);
  });
  // The server column fits the longest server named, 24 characters at least.
  std::size_t server_width = 24;
  for (const check::Finding& f : findings) server_width = std::max(server_width, f.server.size());
  for (const check::Finding* f : ordered) {
    const std::string steps = f->steps.empty() ? "-" : fmt::format("{}", fmt::join(f->steps, ", "));
    const Tone tone = f->severity == check::Severity::error     ? Tone::bad
                      : f->severity == check::Severity::warning ? Tone::warning
                                                                : Tone::faint;
    out += fmt::format("  {}  {:<30} {:<{}} {}\n      {}\n",
                       style.paint(tone, fmt::format("{:<7}", check::severity_name(f->severity))),
                       f->rule, f->server, server_width, steps, model::printable(f->message));
  }
  return out;
}

}  // namespace lyncupdate::reports
