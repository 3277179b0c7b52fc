# Shared by packaging/check-fresh-root.sh and packaging/check-package.sh (source it, do not run it): the cached
# bare Debian 12 root, unpacking it, how it reaches the registries, and the mounts and environment a command in
# it gets. The callers set `tag` (their name in messages) before sourcing.
#
# Cache: ${AVATAR_FRESH_ROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/avatar-studio-fresh-root}/: the root's
# tarball (mmdebstrap, variant minbase), rebuilt when older than AVATAR_FRESH_ROOT_MAX_DAYS (7) or when its
# recipe changes; apt-archives/ (apt's downloaded .deb files, checked by apt against the signed lists) and npm/.
# Roots are unpacked under ${TMPDIR:-/var/tmp} and removed afterwards (AVATAR_FRESH_ROOT_KEEP=1 keeps them).

SKIP=77

log() { printf '%s: %s\n' "$tag" "$*" >&2; }
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

# Reachability, without sending a request: a TCP connection to URL's host (or to the proxy's, when given).
reach() { # reach URL PROXY
    local hostport="${2:-$1}"
    hostport="${hostport#*://}"
    hostport="${hostport#*@}"
    hostport="${hostport%%/*}"
    local host="${hostport%:*}" port="${hostport##*:}"
    [ "$host" = "$hostport" ] && case "$1" in https://*) port=443 ;; *) port=80 ;; esac
    timeout 15 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null
}

# Skips (exit 77) where a root cannot be made here: inside a fresh root already, not root, no mmdebstrap and
# none to be installed, no mount namespaces, no route to the Debian mirror. Sets mirror, security, cache.
fresh_root_preflight() {
    [ -z "${AVATAR_IN_FRESH_ROOT:-}" ] || skip "already inside a fresh root (AVATAR_IN_FRESH_ROOT is set)"
    [ "$(id -u)" -eq 0 ] || skip "needs root (chroot, mounts); run it as root"
    if ! command -v mmdebstrap >/dev/null 2>&1; then
        log "installing mmdebstrap"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends mmdebstrap >/dev/null 2>&1 ||
            skip "mmdebstrap is missing and apt-get could not install it"
    fi
    local tool
    for tool in unshare chroot flock; do
        command -v "$tool" >/dev/null 2>&1 || skip "$tool is missing"
    done
    unshare --mount --pid --fork --propagation private true 2>/dev/null ||
        skip "cannot create mount and PID namespaces here (a container without CAP_SYS_ADMIN?)"
    mirror="${AVATAR_FRESH_ROOT_MIRROR:-http://deb.debian.org/debian}"
    security="${AVATAR_FRESH_ROOT_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
    reach "$mirror" "${http_proxy:-${HTTP_PROXY:-}}" || skip "no connection to the Debian mirror $mirror"
    cache="${AVATAR_FRESH_ROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/avatar-studio-fresh-root}"
    mkdir -p "$cache/apt-archives/partial" "$cache/npm"
}

# Takes the cache's lock (one root at a time: they share apt-archives/), removes roots left by killed runs and
# makes sure the tarball is there and fresh. Sets tarball.
fresh_root_tarball() {
    local max_days="${AVATAR_FRESH_ROOT_MAX_DAYS:-7}" old line t
    exec 9>"$cache/lock"
    flock -w 3600 9 || die "another check holds $cache/lock"
    # Roots left by a run that was killed (a ctest timeout): the lock says none is in use. Their mounts lived in
    # a namespace that is gone, so removing them touches nothing but the roots' own files.
    for old in "${TMPDIR:-/var/tmp}"/avatar-fresh-root.*; do
        if [ -d "$old" ] && ! grep -q " $old/" /proc/self/mountinfo; then
            rm -rf --one-file-system "$old"
        fi
    done
    # The root's recipe. apt needs the host's proxy and snapshot settings while mmdebstrap installs; --aptopt
    # also leaves them in the root's /etc/apt/apt.conf.d/99mmdebstrap for the apt-get runs inside it.
    local aptopts=()
    while IFS= read -r line; do
        aptopts+=(--aptopt="$line")
    done < <(apt-config dump 2>/dev/null | grep -E '^Acquire::(https?|ftp)::Proxy|^Acquire::Check-(Valid-Until|Date) ' || true)
    # force-unsafe-io (also left in the root's /etc/dpkg/dpkg.cfg.d/99mmdebstrap): dpkg skips its fsync calls,
    # which take minutes over hundreds of packages; a root that is thrown away needs no crash safety.
    local options=(--variant=minbase --mode=root --format=tar --dpkgopt=force-unsafe-io "${aptopts[@]}")
    local sources=("deb $mirror bookworm main" "deb $mirror bookworm-updates main"
        "deb $security bookworm-security main")
    local key
    key=$(printf '%s\n' recipe-1 "${options[@]}" bookworm "${sources[@]}" | sha256sum | cut -c1-16)
    tarball="$cache/bookworm-minbase-$key.tar"
    for t in "$cache"/bookworm-minbase-*; do # roots of older recipes
        [ "$t" = "$tarball" ] || rm -f "$t"
    done
    if [ -f "$tarball" ] && [ -z "$(find "$tarball" -mtime +"$max_days")" ]; then
        log "reusing the root $tarball"
    else
        log "building a Debian 12 minbase root with mmdebstrap (${aptopts[*]:-no apt options})"
        mkdir -p "$cache/last-run"
        mmdebstrap --quiet "${options[@]}" bookworm "$tarball.part" "${sources[@]}" \
            >"$cache/last-run/mmdebstrap.log" 2>&1 || {
            tail -n 30 "$cache/last-run/mmdebstrap.log" >&2
            die "mmdebstrap failed"
        }
        mv "$tarball.part" "$tarball"
    fi
}

# Unpacks the tarball into a new work folder, removed on exit. Sets work and root.
fresh_root_unpack() {
    work=$(mktemp -d "${TMPDIR:-/var/tmp}/avatar-fresh-root.XXXXXX")
    root="$work/root"
    trap fresh_root_remove EXIT
    mkdir -p "$root"
    tar -xf "$tarball" -C "$root" --numeric-owner
    # How the host reaches the registries: its resolver and the extra CA certificates a TLS-inspecting egress
    # proxy signs with (Debian's ca-certificates adds them to the root's bundle when it is installed there).
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    if [ -d /usr/local/share/ca-certificates ]; then
        cp -r /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
    fi
}

fresh_root_remove() {
    # Every mount was made in the inner namespace and died with it; never delete through a bind mount.
    if grep -q " $work/" /proc/self/mountinfo; then
        log "something is still mounted under $work; not removing it"
    elif [ -z "${AVATAR_FRESH_ROOT_KEEP:-}" ]; then
        rm -rf --one-file-system "$work"
    else
        log "kept the root in $root"
    fi
}

# Inside the private mount namespace: the kernel file systems and apt's cache of .deb files, unmounted on exit.
# Sets in_root_env (a bare root login's environment plus the proxy and the C locale variables); mount more with
# fresh_root_mount.
fresh_root_mount_base() {
    fresh_root_mounts=()
    trap fresh_root_unmount EXIT
    fresh_root_mount "$root/proc" -t proc proc
    fresh_root_mount "$root/sys" -t sysfs -o ro sysfs
    fresh_root_mount "$root/dev" --bind /dev
    fresh_root_mount "$root/dev/pts" --bind /dev/pts
    fresh_root_mount "$root/dev/shm" -t tmpfs -o mode=1777,nosuid,nodev shm
    fresh_root_mount "$root/var/cache/apt/archives" --bind "$cache/apt-archives"
    in_root_env=(HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin AVATAR_IN_FRESH_ROOT=1)
    local kv v
    while IFS= read -r kv; do in_root_env+=("$kv"); done < <(proxy_env)
    # ccache hashes the locale variables (they choose the compiler's message language), so without the host's the
    # root never hit the host's objects, only earlier roots'. Passed on where every Debian root has the locale.
    for v in LANG LC_ALL LC_CTYPE LC_MESSAGES; do
        case "${!v:-}" in
        C | POSIX | C.UTF-8 | C.utf8) in_root_env+=("$v=${!v}") ;;
        esac
    done
}

fresh_root_mount() { # fresh_root_mount TARGET mount-args...
    local target="$1"
    shift
    mount "$@" "$target"
    fresh_root_mounts+=("$target")
}

fresh_root_unmount() {
    local i
    for ((i = ${#fresh_root_mounts[@]} - 1; i >= 0; i--)); do
        umount -l "${fresh_root_mounts[$i]}" 2>/dev/null || true
    done
}

in_root() { chroot "$root" /usr/bin/env -i "${in_root_env[@]}" /bin/bash -c "$1"; }

# in_root_step NAME COMMAND: runs COMMAND in the root with its output in $run_dir/NAME.log; says how long it took,
# and on failure shows the end of the log and returns 1.
in_root_step() {
    local t0
    t0=$(date +%s)
    if in_root "$2" >"$run_dir/$1.log" 2>&1; then
        log "$1: passed in $(($(date +%s) - t0)) s"
    else
        log "$1: FAILED after $(($(date +%s) - t0)) s; the end of $run_dir/$1.log:"
        tail -n 60 "$run_dir/$1.log" >&2
        return 1
    fi
}

# Checks an MP4's top-level boxes (ftyp first, moov before mdat: faststart) and prints its duration in seconds
# from mvhd; fails under 2 s.
mp4_duration() {
    local f="$1"
    [ -s "$f" ] || die "$f is missing or empty"
    local size off=0 order="" moov=-1 len t scale dur seconds
    size=$(stat -c %s "$f")
    u32() { od -An -tu4 --endian=big -j "$1" -N 4 "$f" | tr -d ' '; }
    u64() { od -An -tu8 --endian=big -j "$1" -N 8 "$f" | tr -d ' '; }
    typ() { dd if="$f" bs=1 skip="$1" count=4 status=none; }
    while [ "$off" -lt "$size" ]; do
        len=$(u32 "$off")
        t=$(typ $((off + 4)))
        [ "$len" -eq 1 ] && len=$(u64 $((off + 8)))
        [ "$len" -eq 0 ] && len=$((size - off))
        [ "$len" -ge 8 ] || die "$f: damaged box '$t' at $off"
        order="$order $t"
        [ "$t" = moov ] && moov=$off
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
}

# True when FILE starts with PNG's signature.
is_png() { [ "$(head -c 8 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }
