#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian 12 packages bulwark needs to build, test and run its examples.
# Idempotent: installs only what is missing and runs `apt-get update` only then.
# Nothing else is downloaded.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config ccache git
  libssl-dev libsqlite3-dev libxml2-dev libxmlsec1-dev
  nlohmann-json3-dev libfmt-dev catch2 libbenchmark-dev
  libcpp-httplib-dev libargon2-dev libcrypt-dev
  openssl  # the CLI: independent cross-checks in tests/unit/crypto/openssl_cli_test.cc
  clang libclang-rt-dev  # libFuzzer for tests/fuzz (scripts/fuzz.sh)
  chromium  # headless, for the browser test of the hosted login page (tests/integration/oidc)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
