#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The test command: installs what is missing, builds everything once under
# AddressSanitizer + UndefinedBehaviorSanitizer with warnings as errors (the `asan` preset),
# and runs the whole suite with ctest; then builds the unit tests under ThreadSanitizer (the
# `tsan` preset) and runs them, so that every concurrency test is also a race check; then a
# short libFuzzer run of every harness in tests/fuzz (scripts/fuzz.sh, 15 s each).
# Extra arguments go to ctest (e.g. -R store) and skip the ThreadSanitizer and fuzzing
# passes, as do BULWARK_SKIP_TSAN=1 and BULWARK_SKIP_FUZZ=1.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
# Share cache hits between checkouts in different folders (CI clones anew each run).
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-5G}"

cmake --preset asan
cmake --build --preset asan -j "$jobs"
ctest --preset asan -j "$jobs" "$@"

if [[ $# -eq 0 && "${BULWARK_SKIP_TSAN:-0}" != "1" ]]; then
  cmake --preset tsan -DBULWARK_BUILD_EXAMPLES=OFF -DBULWARK_BUILD_BENCHMARKS=OFF
  cmake --build --preset tsan -j "$jobs" --target bulwark_unit_tests
  TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1" ./build/tsan/tests/bulwark_unit_tests
fi

if [[ $# -eq 0 && "${BULWARK_SKIP_FUZZ:-0}" != "1" ]]; then
  bash scripts/fuzz.sh 15
fi
