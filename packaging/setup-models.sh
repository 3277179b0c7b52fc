#!/usr/bin/env bash
# Installs the pinned npm packages of packaging/npm (the face-api weights and its sample photos) and copies the
# weights into models/face-api/, where the build, the tests and `cmake --install` find them. Nothing is
# downloaded at run time: this script is the only step that reaches the npm registry. Idempotent: when the
# pinned version is already in place it only checks the files.
set -euo pipefail
cd "$(dirname "$0")/.."

npm_dir=packaging/npm
pkg_dir="$npm_dir/node_modules/@vladmandic/face-api"
models=models/face-api
want=$(sed -n 's/.*"@vladmandic\/face-api": *"\([^"]*\)".*/\1/p' "$npm_dir/package.json")

have=""
[ -f "$pkg_dir/package.json" ] && have=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pkg_dir/package.json" | head -n 1)
# The other pins (the pure-JS tfjs that tests/fixtures/faceapi-reference.js runs on) change the lockfile but
# not face-api's version: node_modules remembers the hash of the lockfile it was installed from.
lock_stamp="$npm_dir/node_modules/.avatar-package-lock.sha256"
lock_hash=""
[ -f "$npm_dir/package-lock.json" ] && lock_hash=$(sha256sum "$npm_dir/package-lock.json" | cut -d' ' -f1)
if [ "$have" != "$want" ] || [ ! -f "$lock_stamp" ] || [ "$(cat "$lock_stamp")" != "$lock_hash" ]; then
    echo "setup-models: installing the npm packages of $npm_dir (@vladmandic/face-api@$want) with npm"
    # `npm ci` when a lockfile pins every byte; `npm install` writes that lockfile the first time.
    if [ -f "$npm_dir/package-lock.json" ]; then
        (cd "$npm_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    else
        (cd "$npm_dir" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error)
    fi
    sha256sum "$npm_dir/package-lock.json" | cut -d' ' -f1 >"$lock_stamp"
fi

if [ ! -f "$models/.version" ] || [ "$(cat "$models/.version")" != "$want" ]; then
    rm -rf "$models.tmp"
    mkdir -p "$models.tmp"
    cp "$pkg_dir"/model/*.json "$pkg_dir"/model/*.bin "$models.tmp/"
    cp "$pkg_dir/LICENSE" "$models.tmp/LICENSE"
    echo "$want" >"$models.tmp/.version"
    rm -rf "$models"
    mv "$models.tmp" "$models"
fi
# Every weights file named by a manifest must be there.
missing=0
for manifest in "$models"/*-weights_manifest.json; do
    for f in $(sed -n 's/.*"paths": *\[\([^]]*\)\].*/\1/p' "$manifest" | tr -d '", ' | tr ',' ' '); do
        [ -s "$models/$f" ] || { echo "setup-models: $models/$f is missing" >&2; missing=1; }
    done
done
[ "$missing" -eq 0 ] || exit 1
echo "setup-models: face-api $want weights in $models ($(ls "$models" | wc -l) files)"
