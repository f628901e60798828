#!/usr/bin/env bash
# Installs what lyncupdate needs (Debian 12 packages, only those missing), builds it in
# Release into build/, then either rehearses the default scenario or runs the test suites.
#
# Usage:
#   ./setup.sh          install, build, run `build/lyncupdate simulate`
#   ./setup.sh test     install (with the test-only packages), build, run every test suite
#                       with ctest
#
# Runs as root or as a user with sudo. `cmake --build` honours CMAKE_BUILD_PARALLEL_LEVEL.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

# `file` is for `cpack -G DEB` (README, "Set up"), which finds the binary's library
# dependencies with it and dpkg-shlibdeps (dpkg-dev, part of build-essential).
readonly packages=(
  build-essential
  cmake
  ninja-build
  libboost-graph-dev
  libboost-test-dev
  libfmt-dev
  nlohmann-json3-dev
  libbenchmark-dev
  libcli11-dev
  libpugixml-dev
  libssl-dev
  openssh-client
  file
  clang-format
  clang-tidy
)

# Only for `./setup.sh test`: the browser test opens an HTML report in headless Chromium, the
# schema test validates the JSON outputs with jsonschema, the live tests start a real sshd
# (the lab host) on 127.0.0.1, CI's package test asks man-db where the manual page went, and
# CI builds the fuzz targets with Clang 16 and its libFuzzer (fuzz/README.md: Clang 14 cannot
# compile libstdc++'s std::expected).
readonly test_packages=(
  chromium
  python3-jsonschema
  openssh-server
  clang-16
  libclang-rt-16-dev
  man-db
)

usage() {
  echo "usage: ./setup.sh [test]" >&2
  exit 2
}

mode=run
case $# in
  0) ;;
  1) [[ $1 == test ]] || usage; mode="test" ;;
  *) usage ;;
esac

# Prints the packages of the lists above (the test list in test mode) that dpkg does not
# report as installed.
missing_packages() {
  local package status
  local -a wanted=("${packages[@]}")
  if [[ $mode == test ]]; then
    wanted+=("${test_packages[@]}")
  fi
  for package in "${wanted[@]}"; do
    status=$(dpkg-query --show --showformat='${db:Status-Status}' "$package" 2>/dev/null || true)
    if [[ $status != installed ]]; then
      echo "$package"
    fi
  done
}

install_dependencies() {
  local missing
  mapfile -t missing < <(missing_packages)
  if ((${#missing[@]} == 0)); then
    echo "setup: every package it needs is installed"
    return
  fi
  local -a as_root=()
  if ((EUID != 0)); then
    if ! command -v sudo >/dev/null; then
      echo "setup: error: missing packages (${missing[*]}) and not root, and sudo is not" \
        "installed; install them as root" >&2
      exit 1
    fi
    as_root=(sudo)
  fi
  echo "setup: installing ${missing[*]}"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
}

build() {
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
  cmake --build build
}

install_dependencies
build
case $mode in
  run) build/lyncupdate simulate ;;
  test) ctest --test-dir build --output-on-failure --no-tests=error --parallel 2 ;;
esac
