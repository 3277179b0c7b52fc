#!/usr/bin/env bash
# Proves that the README's two set-up commands work on a bare Debian 12 machine: builds a minimal bookworm root
# (mmdebstrap, variant minbase: only Essential packages and apt), clones the commit under test into it and runs
#     bash packaging/quickstart.sh demo      then      bash packaging/quickstart.sh test
# inside it exactly as the README says, then checks the demo video. Registered with ctest as `fresh_root`, label
# `fresh` (tests/CMakeLists.txt, tests/README.md).
#
# Usage: packaging/check-fresh-root.sh [--ci]
#   --ci   run both commands with CI=true (build preset `ci`, warnings as errors), as the host's CI build does;
#          without it CI is passed through from the environment. Either way the root builds with the same
#          compiler flags as the tree that runs the check, so the shared ccache (below) hits.
# Exit status: 0 passed, 1 failed, 77 skipped (ctest's SKIP_RETURN_CODE): not root, no mmdebstrap and none to
# be installed, no route to the Debian mirror or the npm registry, no mount namespaces, or already inside a
# fresh root (the `test` command run in the root runs ctest, and with it this very test: AVATAR_IN_FRESH_ROOT,
# set only here, makes that inner run skip instead of recursing). In the root the sanitizer variants of the
# suites (labels asan and tsan) are off by default too (cmake/Sanitizers.cmake): the host's run of the same
# commit, which runs this check, builds and runs them; the root proves the set-up, the build and the suites.
#
# What the root gets from the host, and nothing else:
#   - the commit under test: a clean `git clone` of HEAD (not the working tree), at the same absolute path as
#     this checkout, so absolute paths compiled into objects (tests' data dirs, QT_TESTCASE_BUILDDIR) are equal;
#   - how the host reaches the registries: /etc/resolv.conf, the extra CA certificates of
#     /usr/local/share/ca-certificates (a TLS-inspecting egress proxy signs with one; Debian's ca-certificates
#     adds them to the root's bundle when setup-debian.sh installs it), the *_proxy variables, and apt's
#     Acquire::*::Proxy and Check-Valid-Until/Check-Date settings (a mirror that serves a dated snapshot needs
#     the latter two);
#   - caches, bind-mounted: the host's ccache directory, apt's downloaded .deb files and npm's cache. ccache is
#     a cache of compiler outputs keyed by the compiler binary and every input of each compilation (flags,
#     preprocessed source, headers), not a dependency: a root whose compiler or headers differ simply misses,
#     and a hit yields the object that compiler would have produced from those inputs. packaging/build.sh sets
#     CCACHE_BASEDIR to the checkout and CCACHE_NOHASHDIR, so a clone at another path hits too. Likewise the
#     .deb files are checked against the signed package lists by apt, and npm checks its cache by the
#     lockfile's integrity hashes. Without them a run re-downloads ~700 MB and recompiles everything (~30 min
#     on 2 cores instead of a few).
#
# Cache: ${AVATAR_FRESH_ROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/avatar-studio-fresh-root}/ (not under
# .../avatar-studio/, which is avatar-render's own render cache): the root's tarball and the apt and npm caches
# (packaging/lib/fresh-root.sh, shared with check-package.sh); last-run/ with the logs and a frame of the demo
# video. The root itself is unpacked under ${TMPDIR:-/var/tmp} and removed afterwards (AVATAR_FRESH_ROOT_KEEP=1
# keeps it).
set -euo pipefail

self="$(readlink -f "$0")"
src="$(cd "$(dirname "$self")/.." && pwd)"
tag=check-fresh-root
# shellcheck source=packaging/lib/fresh-root.sh
source "$src/packaging/lib/fresh-root.sh"

# --- inside: runs in a private mount and PID namespace (see the end of this file) ---------------------------
if [ "${1:-}" = "--inside" ]; then
    root="$2" ci="$3" run_dir="$4" cache="$5" ccache_dir="$6"
    fresh_root_mount_base
    mkdir -p "$root/root/.cache/ccache" "$root/root/.npm"
    fresh_root_mount "$root/root/.cache/ccache" --bind "$ccache_dir"
    fresh_root_mount "$root/root/.npm" --bind "$cache/npm"
    in_root_env+=(CCACHE_STATSLOG=/root/ccache-stats.log)
    [ "$ci" = "true" ] && in_root_env+=(CI=true)

    status=0
    for cmd in demo test; do
        log "running 'bash packaging/quickstart.sh $cmd' in the root (log: $run_dir/$cmd.log)"
        in_root_step "$cmd" "cd '$src' && bash packaging/quickstart.sh $cmd" || {
            status=1
            break
        }
        if [ "$cmd" = demo ]; then
            # Decode frames of the video with the program just built: one a second in, one near the end.
            dur=$(mp4_duration "$root$src/demo.mp4") || {
                status=1
                break
            }
            last=$(awk -v d="$dur" 'BEGIN { printf "%.2f", d - 0.2 }')
            if in_root "cd '$src' && ./build/release/app/render/avatar-render frame demo.mp4 --at 1 -o /tmp/demo-1s.png \
                    && ./build/release/app/render/avatar-render frame demo.mp4 --at $last -o /tmp/demo-end.png" \
                >"$run_dir/demo-frames.log" 2>&1 && is_png "$root/tmp/demo-1s.png" && is_png "$root/tmp/demo-end.png"; then
                cp "$root/tmp/demo-1s.png" "$run_dir/demo-1s.png"
                log "demo.mp4: $(stat -c %s "$root$src/demo.mp4") bytes, $dur s; frames at 1 s and $last s decode"
            else
                cat "$run_dir/demo-frames.log" >&2
                log "demo.mp4: its frames do not decode"
                status=1
                break
            fi
        fi
    done
    # The compilations of this run only (the stats log), not the shared cache's lifetime counters.
    if [ -f "$root/root/ccache-stats.log" ]; then
        in_root "ccache --show-log-stats" >"$run_dir/ccache-stats.txt" 2>&1 || true
        log "ccache in the root: $(grep -E 'Hits:|Misses:' "$run_dir/ccache-stats.txt" | head -n 2 | tr -s ' ' |
            paste -sd ';')"
    fi
    # Drop the .deb files that no mirror serves any more, so apt-archives/ does not grow without bound.
    in_root "apt-get -q autoclean" >/dev/null 2>&1 || true
    exit "$status"
fi

# --- outside ------------------------------------------------------------------------------------------------
ci="${CI:-}"
[ "${1:-}" = "--ci" ] && ci=true
fresh_root_preflight
command -v git >/dev/null 2>&1 || skip "git is missing"
reach https://registry.npmjs.org/ "${https_proxy:-${HTTPS_PROXY:-}}" || skip "no connection to the npm registry"
ccache_dir="${CCACHE_DIR:-$HOME/.cache/ccache}" # packaging/build.sh's default
mkdir -p "$cache/last-run" "$ccache_dir"
t_start=$(date +%s)
fresh_root_tarball
fresh_root_unpack

# The commit under test, cloned clean. Uncommitted changes are not part of it.
commit=$(git -C "$src" rev-parse HEAD)
[ -z "$(git -C "$src" status --porcelain --untracked-files=no)" ] ||
    log "note: $src has uncommitted changes; the root tests the commit $commit without them"
mkdir -p "$root$src"
git init -q "$root$src"
git -C "$root$src" fetch -q "$src" HEAD
git -C "$root$src" checkout -q --detach FETCH_HEAD
log "cloned $commit into the root at $src"

run_dir="$cache/last-run"
rm -f "$run_dir"/*.log "$run_dir"/*.png "$run_dir"/*.txt
t_ready=$(date +%s)
log "root ready in $((t_ready - t_start)) s"
status=0
unshare --mount --pid --fork --propagation private -- \
    bash "$self" --inside "$root" "$ci" "$run_dir" "$cache" "$ccache_dir" || status=$?
log "total $(($(date +%s) - t_start)) s; caches: $(du -sh "$cache" 2>/dev/null | cut -f1) in $cache," \
    "ccache $(du -sh "$ccache_dir" 2>/dev/null | cut -f1)"
[ "$status" -eq 0 ] && log "PASSED: both README commands work on a bare Debian 12 root" || log "FAILED"
exit "$status"
