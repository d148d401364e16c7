#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fails when a file includes a layer above its own (DESIGN.md, "Layers"). From the bottom:
#
#   core -> json -> model -> crypto | store -> engine -> oauth2 -> oidc | saml -> http
#
# A folder may include its own layer and any layer below it; folders that share a rank
# (crypto and store, oidc and saml) may not include each other. include/bulwark/testing and
# src/testing may use every layer, as may tests/, benchmarks/ and examples/ (not checked).
# The top-level public headers are core, except the Engine and its services (engine).
#
#   scripts/check-layers.sh [SOURCE_DIR]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"

rank() {  # rank of a layer name; empty when the layer is not checked
  case "$1" in
    core) echo 0 ;; json) echo 1 ;; model) echo 2 ;; crypto | store) echo 3 ;;
    engine) echo 4 ;; oauth2) echo 5 ;; oidc | saml) echo 6 ;; http) echo 7 ;;
    *) echo "" ;;
  esac
}

top_level_layer() {  # the layer of include/bulwark/<name>.h
  case "$1" in
    engine.h | lambdas.h | user_import.h | *_service.h) echo engine ;;
    *) echo core ;;
  esac
}

layer_of_include() {  # the layer an #include "..." path names; empty for others
  local path=$1
  case "$path" in
    bulwark/*/*) path=${path#bulwark/}; echo "${path%%/*}" ;;
    bulwark/*) top_level_layer "${path#bulwark/}" ;;
    */*) echo "${path%%/*}" ;;
    *) echo "" ;;
  esac
}

layer_of_file() {
  local f=$1 rest
  case "$f" in
    include/bulwark/*/*) rest=${f#include/bulwark/}; echo "${rest%%/*}" ;;
    include/bulwark/*) top_level_layer "${f#include/bulwark/}" ;;
    src/*/*) rest=${f#src/}; echo "${rest%%/*}" ;;
    *) echo "" ;;
  esac
}

violations=0
checked=0
while IFS= read -r -d '' file; do
  from=$(layer_of_file "$file")
  from_rank=$(rank "$from")
  [[ -z "$from_rank" ]] && continue
  checked=$((checked + 1))
  while IFS=: read -r line path; do
    to=$(layer_of_include "$path")
    to_rank=$(rank "$to")
    [[ -z "$to_rank" || "$to" == "$from" ]] && continue
    if (( to_rank >= from_rank )); then
      echo "$file:$line: $from includes \"$path\" ($to is not below $from)"
      violations=$((violations + 1))
    fi
  done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]+"' "$file" |
           sed -E 's/^([0-9]+):[^"]*"([^"]+)".*/\1:\2/')
done < <(find include/bulwark src -type f \( -name '*.h' -o -name '*.cc' -o -name '*.inc' \) -print0 | sort -z)

if (( violations > 0 )); then
  echo "check-layers: $violations include(s) point up a layer (see DESIGN.md, Layers)" >&2
  exit 1
fi
echo "check-layers: $checked files, every include points down"
