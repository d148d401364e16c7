#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the libFuzzer harnesses (the `fuzz` preset: clang, ASan+UBSan) and runs each one for
# a bounded time on a scratch copy of its seed corpus (tests/fuzz/corpus/<harness>/ plus
# tests/fuzz/regressions/<harness>/), so the tree is never written. Exits non-zero when a
# harness finds a crash, a leak, a timeout or a broken invariant; the input is left under
# build/fuzz/run/<harness>/ (add it to tests/fuzz/regressions/<harness>/ once fixed).
#
#   scripts/fuzz.sh                 # 60 seconds per harness, every harness
#   scripts/fuzz.sh 20              # 20 seconds per harness
#   scripts/fuzz.sh 100000runs      # 100,000 executions per harness
#   scripts/fuzz.sh 30 jws router   # only these harnesses
#
# BULWARK_FUZZ_FLAGS adds libFuzzer flags, e.g. BULWARK_FUZZ_FLAGS=-entropic=0 for the router
# harness's long runs: its entropic bookkeeping costs more than the requests (1.6x the
# executions per second without it).
set -euo pipefail
cd "$(dirname "$0")/.."

bound="${1:-60}"
shift || true
case "$bound" in
  *runs) limit=(-runs="${bound%runs}") ;;
  *[!0-9]* | '') echo "fuzz.sh: the bound is SECONDS or NUMBERruns, not '$bound'" >&2; exit 2 ;;
  *) limit=(-max_total_time="$bound") ;;
esac

all=(jws jwk router http_decode kickstart password json)
harnesses=("$@")
[[ ${#harnesses[@]} -eq 0 ]] && harnesses=("${all[@]}")

bash scripts/install-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-5G}"

cmake --preset fuzz >/dev/null
targets=()
for h in "${harnesses[@]}"; do targets+=("bulwark_fuzz_$h"); done
cmake --build --preset fuzz -j "$jobs" --target "${targets[@]}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=()
for h in "${harnesses[@]}"; do
  run="build/fuzz/run/$h"
  rm -rf "$run"
  mkdir -p "$run/corpus" "$run/artifacts"
  cp -r "tests/fuzz/corpus/$h/." "$run/corpus/"
  if [[ -d "tests/fuzz/regressions/$h" ]]; then cp -r "tests/fuzz/regressions/$h/." "$run/corpus/"; fi
  dict=()
  [[ -f "tests/fuzz/$h.dict" ]] && dict=(-dict="tests/fuzz/$h.dict")
  echo "fuzz.sh: $h (${limit[*]})"
  # shellcheck disable=SC2086  # BULWARK_FUZZ_FLAGS is a list of flags
  if "build/fuzz/tests/fuzz/bulwark_fuzz_$h" "${limit[@]}" "${dict[@]}" ${BULWARK_FUZZ_FLAGS:-} \
       -max_len=8192 -timeout=30 -rss_limit_mb=2560 -print_final_stats=1 \
       -artifact_prefix="$run/artifacts/" "$run/corpus" >"$run.log" 2>&1; then
    grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$run.log" | tail -n 1 || true
  else
    failed+=("$h")
    tail -n 40 "$run.log"
    echo "fuzz.sh: $h FAILED; log $run.log, input(s):" "$run"/artifacts/*
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz.sh: findings in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: ${#harnesses[@]} harnesses, no findings"
