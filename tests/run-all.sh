#!/bin/bash
# The whole test run, as CI does it (`.ci/run`): install the Debian packages, build, run the
# unit and integration tests, then the unit tests again under ASan+UBSan.
# Run as root from any directory; exits non-zero if anything failed.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
jobs=$(nproc)
export DEBIAN_FRONTEND=noninteractive

packages=(cmake g++ pkg-config nlohmann-json3-dev libseccomp-dev libcap-dev libgtest-dev
  busybox-static iproute2 runc
  # tests/integration/rootless and rootless podman: newuidmap/newgidmap, and /etc/subuid so
  # useradd grants ranges.
  uidmap
  # tests/engines: containerd (ctr, runc v2 shim, CRI plugin), podman + conmon, the Python CRI
  # client (grpcio, protobuf, protoc) and the CNI plugins for the pod network.
  containerd podman conmon python3-grpcio python3-protobuf protobuf-compiler
  containernetworking-plugins)

step() { printf '\n=== %s\n' "$*"; }

install_missing_packages() {
  local missing=() p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
      missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  if [ "$(id -u)" != 0 ]; then
    echo "missing packages (run as root to install): ${missing[*]}" >&2
    return 1
  fi
  step "installing ${missing[*]}"
  apt-get update -qq </dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null >/dev/null
}

failed=()

step "packages"
install_missing_packages

step "build (build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"

step "unit, integration and engine tests"
# Integration tests are RUN_SERIAL (they share the host's mounts and netns); unit tests
# run in parallel.
ctest --test-dir build --output-on-failure -j"$jobs" --timeout 300 </dev/null ||
  failed+=("tests (build/)")

step "build with ASan+UBSan (build-asan/)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DMINIRUN_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs" --target unit_tests

step "unit tests under ASan+UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan -L unit --output-on-failure -j"$jobs" --timeout 300 </dev/null ||
  failed+=("unit tests under sanitizers (build-asan/)")

if [ ${#failed[@]} -gt 0 ]; then
  step "FAILED: ${failed[*]}"
  exit 1
fi
step "all tests passed"
