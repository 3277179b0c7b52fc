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
# set only here, makes that inner run skip instead of recursing).
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
# .../avatar-studio/, which is avatar-render's own render cache): the root's tarball, rebuilt when older than
# AVATAR_FRESH_ROOT_MAX_DAYS (7) or when its recipe (suite, variant, sources, apt options) changes; apt-archives/
# and npm/; last-run/ with the logs and a frame of the demo video. The root itself is unpacked under
# ${TMPDIR:-/var/tmp} and removed afterwards (AVATAR_FRESH_ROOT_KEEP=1 keeps it).
set -euo pipefail

SKIP=77
self="$(readlink -f "$0")"
src="$(cd "$(dirname "$self")/.." && pwd)"

log() { printf 'check-fresh-root: %s\n' "$*" >&2; }
skip() {
    log "SKIPPED: $*"
    exit "$SKIP"
}
die() {
    log "FAILED: $*"
    exit 1
}

# The variables that carry a proxy, when the host has any: they go into the root's environment.
proxy_env() {
    local v
    for v in http_proxy https_proxy ftp_proxy no_proxy all_proxy HTTP_PROXY HTTPS_PROXY FTP_PROXY NO_PROXY \
        ALL_PROXY; do
        [ -n "${!v:-}" ] && printf '%s=%s\n' "$v" "${!v}"
    done
    return 0
}

# --- inside: runs in a private mount and PID namespace (see the end of this file) ---------------------------
if [ "${1:-}" = "--inside" ]; then
    root="$2" ci="$3" run_dir="$4" cache="$5" ccache_dir="$6"
    mounts=()
    cleanup_mounts() {
        local i
        for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
            umount -l "${mounts[$i]}" 2>/dev/null || true
        done
    }
    trap cleanup_mounts EXIT
    mnt() { # mnt TARGET mount-args...
        local target="$1"
        shift
        mount "$@" "$target"
        mounts+=("$target")
    }
    mnt "$root/proc" -t proc proc
    mnt "$root/sys" -t sysfs -o ro sysfs
    mnt "$root/dev" --bind /dev
    mnt "$root/dev/pts" --bind /dev/pts
    mnt "$root/dev/shm" -t tmpfs -o mode=1777,nosuid,nodev shm
    mkdir -p "$root/root/.cache/ccache" "$root/root/.npm"
    mnt "$root/root/.cache/ccache" --bind "$ccache_dir"
    mnt "$root/var/cache/apt/archives" --bind "$cache/apt-archives"
    mnt "$root/root/.npm" --bind "$cache/npm"

    # A bare environment, as a root login on a new machine has it, plus the proxy variables.
    env_args=(HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
        AVATAR_IN_FRESH_ROOT=1 CCACHE_STATSLOG=/root/ccache-stats.log)
    [ "$ci" = "true" ] && env_args+=(CI=true)
    while IFS= read -r kv; do env_args+=("$kv"); done < <(proxy_env)
    in_root() { chroot "$root" /usr/bin/env -i "${env_args[@]}" /bin/bash -c "$1"; }

    status=0
    for cmd in demo test; do
        t0=$(date +%s)
        log "running 'bash packaging/quickstart.sh $cmd' in the root (log: $run_dir/$cmd.log)"
        if in_root "cd '$src' && bash packaging/quickstart.sh $cmd" >"$run_dir/$cmd.log" 2>&1; then
            log "'quickstart.sh $cmd' passed in $(($(date +%s) - t0)) s"
        else
            log "'quickstart.sh $cmd' FAILED after $(($(date +%s) - t0)) s; the end of its log:"
            tail -n 60 "$run_dir/$cmd.log" >&2
            status=1
            break
        fi
        if [ "$cmd" = demo ]; then
            # Decode frames of the video with the program just built: one a second in, one near the end.
            dur=$(bash "$self" --mp4-duration "$root$src/demo.mp4") || {
                status=1
                break
            }
            last=$(awk -v d="$dur" 'BEGIN { printf "%.2f", d - 0.2 }')
            if in_root "cd '$src' && ./build/release/app/render/avatar-render frame demo.mp4 --at 1 -o /tmp/demo-1s.png \
                    && ./build/release/app/render/avatar-render frame demo.mp4 --at $last -o /tmp/demo-end.png" \
                >"$run_dir/demo-frames.log" 2>&1 &&
                [ "$(head -c 8 "$root/tmp/demo-1s.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
                [ "$(head -c 8 "$root/tmp/demo-end.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
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

# --- the MP4 check: top-level boxes, faststart, duration from mvhd; prints the duration in seconds ---------
if [ "${1:-}" = "--mp4-duration" ]; then
    f="$2"
    [ -s "$f" ] || die "$f is missing or empty"
    size=$(stat -c %s "$f")
    u32() { od -An -tu4 --endian=big -j "$1" -N 4 "$f" | tr -d ' '; }
    u64() { od -An -tu8 --endian=big -j "$1" -N 8 "$f" | tr -d ' '; }
    typ() { dd if="$f" bs=1 skip="$1" count=4 status=none; }
    off=0 order="" moov=-1 moov_size=0
    while [ "$off" -lt "$size" ]; do
        len=$(u32 "$off")
        t=$(typ $((off + 4)))
        [ "$len" -eq 1 ] && len=$(u64 $((off + 8)))
        [ "$len" -eq 0 ] && len=$((size - off))
        [ "$len" -ge 8 ] || die "$f: damaged box '$t' at $off"
        order="$order $t"
        [ "$t" = moov ] && moov=$off moov_size=$len
        off=$((off + len))
    done
    [ "$off" -eq "$size" ] || die "$f: the boxes overrun the file ($off > $size)"
    case "$order" in
        " ftyp"*) ;;
        *) die "$f: does not start with ftyp (boxes:$order)" ;;
    esac
    case "$order" in
        *moov*mdat*) ;;
        *) die "$f: moov is not before mdat (boxes:$order)" ;;
    esac
    # mvhd is the first box inside moov: version, flags, then times, timescale and duration.
    [ "$(typ $((moov + 12)))" = mvhd ] || die "$f: no mvhd at the start of moov"
    if [ "$(od -An -tu1 -j $((moov + 16)) -N 1 "$f" | tr -d ' ')" -eq 1 ]; then
        scale=$(u32 $((moov + 36))) dur=$(u64 $((moov + 40)))
    else
        scale=$(u32 $((moov + 28))) dur=$(u32 $((moov + 32)))
    fi
    [ "$scale" -gt 0 ] && [ "$dur" -gt 0 ] || die "$f: mvhd has no duration"
    seconds=$(awk -v d="$dur" -v s="$scale" 'BEGIN { printf "%.2f", d / s }')
    awk -v x="$seconds" 'BEGIN { exit !(x >= 2) }' || die "$f: only $seconds s long"
    echo "$seconds"
    exit 0
fi

# --- outside ------------------------------------------------------------------------------------------------
ci="${CI:-}"
[ "${1:-}" = "--ci" ] && ci=true
[ -z "${AVATAR_IN_FRESH_ROOT:-}" ] || skip "already inside a fresh root (AVATAR_IN_FRESH_ROOT is set)"
[ "$(id -u)" -eq 0 ] || skip "needs root (chroot, mounts); run it as root"
if ! command -v mmdebstrap >/dev/null 2>&1; then
    log "installing mmdebstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mmdebstrap >/dev/null 2>&1 ||
        skip "mmdebstrap is missing and apt-get could not install it"
fi
for tool in unshare chroot git flock; do
    command -v "$tool" >/dev/null 2>&1 || skip "$tool is missing"
done
unshare --mount --pid --fork --propagation private true 2>/dev/null ||
    skip "cannot create mount and PID namespaces here (a container without CAP_SYS_ADMIN?)"

mirror="${AVATAR_FRESH_ROOT_MIRROR:-http://deb.debian.org/debian}"
security="${AVATAR_FRESH_ROOT_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
# Reachability, without sending a request: a TCP connection to the mirror (or the proxy) and to npm's registry.
reach() { # reach URL PROXY
    local hostport="${2:-$1}"
    hostport="${hostport#*://}"
    hostport="${hostport#*@}"
    hostport="${hostport%%/*}"
    local host="${hostport%:*}" port="${hostport##*:}"
    [ "$host" = "$hostport" ] && case "$1" in https://*) port=443 ;; *) port=80 ;; esac
    timeout 15 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null
}
reach "$mirror" "${http_proxy:-${HTTP_PROXY:-}}" || skip "no connection to the Debian mirror $mirror"
reach https://registry.npmjs.org/ "${https_proxy:-${HTTPS_PROXY:-}}" || skip "no connection to the npm registry"

cache="${AVATAR_FRESH_ROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/avatar-studio-fresh-root}"
ccache_dir="${CCACHE_DIR:-$HOME/.cache/ccache}" # packaging/build.sh's default
max_days="${AVATAR_FRESH_ROOT_MAX_DAYS:-7}"
mkdir -p "$cache/apt-archives/partial" "$cache/npm" "$cache/last-run" "$ccache_dir"
exec 9>"$cache/lock"
flock -w 3600 9 || die "another check holds $cache/lock"
t_start=$(date +%s)
# Roots left by a run that was killed (a ctest timeout): the lock says none is in use. Their mounts lived in a
# namespace that is gone, so removing them touches nothing but the roots' own files.
for old in "${TMPDIR:-/var/tmp}"/avatar-fresh-root.*; do
    if [ -d "$old" ] && ! grep -q " $old/" /proc/self/mountinfo; then
        rm -rf --one-file-system "$old"
    fi
done

# The root's recipe. apt needs the host's proxy and snapshot settings while mmdebstrap installs; --aptopt also
# leaves them in the root's /etc/apt/apt.conf.d/99mmdebstrap for setup-debian.sh's apt-get.
aptopts=()
while IFS= read -r line; do
    aptopts+=(--aptopt="$line")
done < <(apt-config dump 2>/dev/null | grep -E '^Acquire::(https?|ftp)::Proxy|^Acquire::Check-(Valid-Until|Date) ' || true)
# force-unsafe-io (also left in the root's /etc/dpkg/dpkg.cfg.d/99mmdebstrap): dpkg skips its fsync calls, which
# take minutes over the ~900 packages setup-debian.sh installs; a root that is thrown away needs no crash safety.
options=(--variant=minbase --mode=root --format=tar --dpkgopt=force-unsafe-io "${aptopts[@]}")
sources=("deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security bookworm-security main")
key=$(printf '%s\n' recipe-1 "${options[@]}" bookworm "${sources[@]}" | sha256sum | cut -c1-16)
tarball="$cache/bookworm-minbase-$key.tar"
for t in "$cache"/bookworm-minbase-*; do # roots of older recipes
    [ "$t" = "$tarball" ] || rm -f "$t"
done
if [ -f "$tarball" ] && [ -z "$(find "$tarball" -mtime +"$max_days")" ]; then
    log "reusing the root $tarball"
else
    log "building a Debian 12 minbase root with mmdebstrap (${aptopts[*]:-no apt options})"
    mmdebstrap --quiet "${options[@]}" bookworm "$tarball.part" "${sources[@]}" >"$cache/last-run/mmdebstrap.log" 2>&1 || {
        tail -n 30 "$cache/last-run/mmdebstrap.log" >&2
        die "mmdebstrap failed"
    }
    mv "$tarball.part" "$tarball"
fi

work=$(mktemp -d "${TMPDIR:-/var/tmp}/avatar-fresh-root.XXXXXX")
root="$work/root"
remove_work() {
    # Every mount was made in the inner namespace and died with it; never delete through a bind mount.
    if grep -q " $work/" /proc/self/mountinfo; then
        log "something is still mounted under $work; not removing it"
    elif [ -z "${AVATAR_FRESH_ROOT_KEEP:-}" ]; then
        rm -rf --one-file-system "$work"
    else
        log "kept the root in $root"
    fi
}
trap remove_work EXIT
mkdir -p "$root"
tar -xf "$tarball" -C "$root" --numeric-owner

# The commit under test, cloned clean. Uncommitted changes are not part of it.
commit=$(git -C "$src" rev-parse HEAD)
[ -z "$(git -C "$src" status --porcelain --untracked-files=no)" ] ||
    log "note: $src has uncommitted changes; the root tests the commit $commit without them"
mkdir -p "$root$src"
git init -q "$root$src"
git -C "$root$src" fetch -q "$src" HEAD
git -C "$root$src" checkout -q --detach FETCH_HEAD
log "cloned $commit into the root at $src"

# How the host reaches the registries.
cp /etc/resolv.conf "$root/etc/resolv.conf"
if [ -d /usr/local/share/ca-certificates ]; then
    cp -r /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
fi

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
