#!/usr/bin/env bash
# Configures and builds the Release tree with tests (build/release), using ccache when present.
# Usage: packaging/build.sh [release|ci] [target...]   (ci: warnings are errors; no target: everything)
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-release}"
shift || true
targets=()
for t in "$@"; do targets+=(--target "$t"); done
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-2G}"
# Paths inside the checkout are hashed relative to it, so a fresh clone elsewhere (CI) hits the same cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(pwd)}"
export CCACHE_NOHASHDIR=true
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)" "${targets[@]}"
