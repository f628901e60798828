#!/usr/bin/env bash
# Runs every libFuzzer target of fuzz/ for a bounded time and fails on any finding, printing
# the reproducer. Usage:
#   fuzz/run.sh BUILD_DIR [SECONDS_PER_TARGET]    (default 60)
# The committed corpus (fuzz/corpus/TARGET) and the seeds (scenarios/*.json and
# scenarios/broken/*.json for the loader) are read, never written: new inputs go to a scratch
# folder. Prints, per target,
# the executions per second and the coverage (libFuzzer's cov:) it reached.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:?usage: fuzz/run.sh BUILD_DIR [SECONDS_PER_TARGET]}
seconds=${2:-60}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# The scenario loader is also seeded with every shipped and broken scenario.
mkdir -p "$scratch/seeds/scenario_fuzz"
cp "$root"/scenarios/*.json "$root"/scenarios/broken/*.json "$scratch/seeds/scenario_fuzz/"
seeds_of() {
  if [[ -d $scratch/seeds/$1 ]]; then echo "$scratch/seeds/$1"; fi
}
# A target's committed corpus, when it has one (the loader's seeds are the scenarios above).
committed_of() {
  if [[ -d $root/fuzz/corpus/$1 ]]; then echo "$root/fuzz/corpus/$1"; fi
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
summary=()
failed=0
for target in scenario_fuzz journal_fuzz partial_fuzz calibrate_fuzz roundtrip_fuzz; do
  binary="$build/fuzz/$target"
  work="$scratch/$target"
  mkdir -p "$work/corpus" "$work/artifacts"
  log="$work/log"
  echo "== $target: ${seconds}s"
  # -timeout: one input running over 10 s is a hang; -rss_limit_mb: a leak or a blow-up.
  # shellcheck disable=SC2046
  if ! "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
      "$work/corpus" $(committed_of "$target") $(seeds_of "$target") >"$log" 2>&1; then
    failed=1
    tail -n 60 "$log"
    for artifact in "$work/artifacts"/*; do
      [[ -e $artifact ]] || continue
      echo "---- reproducer $(basename "$artifact") ($(stat -c %s "$artifact") bytes), base64:"
      base64 "$artifact"
      echo "---- replay: base64 -d > input <<< '...'; $binary input"
    done
    summary+=("$target: FAILED")
    continue
  fi
  execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  summary+=("$target: ${runs:-?} runs, ${execs:-?} exec/s, cov ${cov:-?}, ft ${ft:-?}")
done
echo "== fuzzing, ${seconds}s per target:"
printf '  %s\n' "${summary[@]}"
exit "$failed"
