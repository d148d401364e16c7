#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The main job: installs what is missing, builds bulwark-server and runs it on an embedded
# SQLite file (default ./bulwark-server.db), set up on its first run from the demo kickstart
# (examples/kickstart/demo.json). Prints a curl line that logs the demo user in.
#   scripts/server.sh [DB] [HOST:PORT]       (default 127.0.0.1:9011; Ctrl-C stops it)
set -euo pipefail
cd "$(dirname "$0")/.."

db="${1:-bulwark-server.db}"
listen="${2:-127.0.0.1:9011}"

bash scripts/install-deps.sh

jobs=$(nproc 2>/dev/null || echo 2)
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"

cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs" --target bulwark_server

# The demo's credentials (examples/kickstart/demo.json): replace them before real use.
api_key="bulwark-demo-api-key-change-me-0123456789"
login='{"loginId":"richard@piedpiper.example","password":"pied-piper-demo-password","applicationId":"85a03867-dccf-4882-adde-1a79aeec50df"}'

./build/dev/examples/server/bulwark-server --db "$db" --kickstart examples/kickstart/demo.json \
    --listen "$listen" |
  while IFS= read -r line; do
    echo "$line"
    case "$line" in
      *"listening on "*)
        url="${line##*listening on }"
        echo
        echo "Log in as the demo user (in another terminal):"
        echo "  curl -s -H 'Authorization: $api_key' -H 'Content-Type: application/json' \\"
        echo "       -d '$login' $url/api/login"
        echo
        ;;
    esac
  done
