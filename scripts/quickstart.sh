#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The main job: installs what is missing, builds the quickstart example and runs it against
# an embedded SQLite file (default ./bulwark-quickstart.db; pass another path to change it).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
# Share cache hits between checkouts in different folders (CI clones anew each run).
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"

cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs" --target bulwark_quickstart
./build/dev/examples/quickstart/bulwark_quickstart "${1:-bulwark-quickstart.db}"
