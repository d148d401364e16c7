#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The main job: installs what is missing, builds bulwark-server and runs it on an embedded
# SQLite file (default ./bulwark-server.db), set up on its first run from the demo kickstart
# (examples/kickstart/demo.json). Prints a curl line that logs the demo user in, and an
# authorize URL to open in a browser (the OAuth 2.0 authorization code flow with the hosted
# login page).
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
client_id="85a03867-dccf-4882-adde-1a79aeec50df"
client_secret="bulwark-demo-client-secret-change-me"
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
        callback="$url/demo/callback"
        echo "Or log in through the hosted login page: open this in a browser"
        echo "  $url/oauth2/authorize?client_id=$client_id&response_type=code&scope=openid%20offline_access&state=demo&redirect_uri=$callback"
        echo "The browser ends at $callback?code=CODE&... (a 404 page: the demo has no client)."
        echo "Exchange the code for tokens within 30 seconds:"
        echo "  curl -s -u '$client_id:$client_secret' -d grant_type=authorization_code \\"
        echo "       -d redirect_uri=$callback -d code=CODE $url/oauth2/token"
        echo
        ;;
    esac
  done
