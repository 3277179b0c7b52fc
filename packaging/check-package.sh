#!/usr/bin/env bash
# Proves that the Debian package is all a user needs: builds avatar-studio_<version>_amd64.deb from a build tree
# (cpack, the same as `cmake --build BUILD --target package`), runs lintian on it, installs it with
#     apt-get install ./avatar-studio_<version>_amd64.deb
# into a fresh bare Debian 12 root (the cached minbase root of check-fresh-root.sh, packaging/lib/fresh-root.sh),
# and there, with no build folder and no source tree, renders a video with the installed avatar-render, decodes
# frames of it, and checks --version, the man pages, the completion, the weights and the studio's --help.
# Registered with ctest as `package`, label `package` (tests/CMakeLists.txt).
#
# Usage: packaging/check-package.sh BUILD_DIR
# Exit status: 0 passed, 1 failed, 77 skipped (not root, no mmdebstrap, no mount namespaces, no route to the
# Debian mirror, or inside a fresh root already). Logs and a frame: <cache>/last-package/.
# Lintian: every tag it reports must be listed, with its reason, in packaging/lintian-accepted.txt; a new one
# fails the check.
set -euo pipefail

self="$(readlink -f "$0")"
src="$(cd "$(dirname "$self")/.." && pwd)"
tag=check-package
# shellcheck source=packaging/lib/fresh-root.sh
source "$src/packaging/lib/fresh-root.sh"

# --- inside: a private mount and PID namespace (see the end of this file) -----------------------------------
if [ "${1:-}" = "--inside" ]; then
    root="$2" cache="$3" run_dir="$4" deb="$5"
    fresh_root_mount_base
    status=0
    # apt needs its package lists (the root has none) and then nothing but the package file.
    in_root_step install "apt-get -q update && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends /tmp/$deb" &&
        in_root_step programs "set -e
            for p in avatar-render avatar-bench avatar-studio; do test \"\$(command -v \$p)\" = /usr/bin/\$p; done
            avatar-render --version | grep -qx 'avatar-render [0-9.]*'
            avatar-bench --version | grep -qx 'avatar-bench [0-9.]*'
            env -u DISPLAY avatar-studio --version | grep -qx 'Avatar Studio [0-9.]*'
            env -u DISPLAY avatar-studio --help | grep -q -- '--jobs-db'
            # the studio's libraries and Qt plugins are all there: its window opens (offscreen) and closes
            QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=/tmp avatar-studio --jobs-db /tmp/jobs.db --settings /tmp/s.ini \
                --screenshot /tmp/studio.png --after-ms 500
            head -c 8 /tmp/studio.png | od -An -tx1 | tr -d ' \n' | grep -qx 89504e470d0a1a0a
            test -s /usr/share/avatar-studio/models/face-api/ssd_mobilenetv1_model-weights_manifest.json
            for m in avatar-render avatar-studio avatar-bench; do zcat -f /usr/share/man/man1/\$m.1* | grep -q '^\\.TH'; done
            test -s /usr/share/bash-completion/completions/avatar-render
            test -s /usr/share/zsh/vendor-completions/_avatar-render
            test -s /usr/share/applications/io.avatarstudio.AvatarStudio.desktop
            test -s /usr/share/metainfo/io.avatarstudio.AvatarStudio.metainfo.xml
            test -s /usr/share/icons/hicolor/scalable/apps/io.avatarstudio.AvatarStudio.svg
            test -s /usr/share/doc/avatar-studio/copyright" &&
        in_root_step voices "avatar-render voices | grep -q '^flite:slt '" &&
        in_root_step render "cd /tmp && avatar-render --text 'Hello from the installed package. It renders on its own.' \
            --size 320x240 -q -o /tmp/package.mp4" || status=1
    if [ "$status" -eq 0 ]; then
        if dur=$(mp4_duration "$root/tmp/package.mp4"); then
            last=$(awk -v d="$dur" 'BEGIN { printf "%.2f", d - 0.2 }')
            if in_root_step frames "avatar-render frame /tmp/package.mp4 --at 1 -o /tmp/package-1s.png &&
                    avatar-render frame /tmp/package.mp4 --at $last -o /tmp/package-end.png" &&
                is_png "$root/tmp/package-1s.png" && is_png "$root/tmp/package-end.png"; then
                cp "$root/tmp/package-1s.png" "$root/tmp/studio.png" "$run_dir/"
                log "package.mp4: $(stat -c %s "$root/tmp/package.mp4") bytes, $dur s; frames at 1 s and $last s decode"
            else
                log "package.mp4: its frames do not decode"
                status=1
            fi
        else
            status=1
        fi
    fi
    in_root "apt-get -q autoclean" >/dev/null 2>&1 || true
    exit "$status"
fi

# --- outside ------------------------------------------------------------------------------------------------
build="${1:?usage: packaging/check-package.sh BUILD_DIR}"
build="$(cd "$build" && pwd)"
fresh_root_preflight
run_dir="$cache/last-package"
mkdir -p "$run_dir"
rm -f "$run_dir"/*.log "$run_dir"/*.png "$run_dir"/*.txt
t_start=$(date +%s)

# The package, as `--target package` makes it, into a folder of its own.
pkg_dir=$(mktemp -d "${TMPDIR:-/var/tmp}/avatar-package.XXXXXX")
trap 'rm -rf "$pkg_dir"' EXIT
cpack --config "$build/CPackConfig.cmake" -B "$pkg_dir" >"$run_dir/cpack.log" 2>&1 || {
    tail -n 30 "$run_dir/cpack.log" >&2
    die "cpack failed"
}
deb_path=$(find "$pkg_dir" -maxdepth 1 -name 'avatar-studio_*_amd64.deb' | head -n 1)
[ -n "$deb_path" ] || die "cpack made no avatar-studio_*_amd64.deb (see $run_dir/cpack.log)"
deb=$(basename "$deb_path")
log "$deb: $(du -h "$deb_path" | cut -f1) in $(($(date +%s) - t_start)) s; Depends: $(dpkg-deb -f "$deb_path" Depends | cut -c1-160)..."

# lintian: each tag must be accepted in packaging/lintian-accepted.txt (tag, then its reason).
if command -v lintian >/dev/null 2>&1; then
    lintian --no-tag-display-limit "$deb_path" >"$run_dir/lintian.txt" 2>&1 || true
    unexpected=$(awk '/^[EWIX]: /{ print $3 }' "$run_dir/lintian.txt" | sort -u |
        grep -vxF -f <(grep -v '^#' "$src/packaging/lintian-accepted.txt" | awk 'NF { print $1 }') || true)
    [ -z "$unexpected" ] || {
        cat "$run_dir/lintian.txt" >&2
        die "lintian tags not accepted in packaging/lintian-accepted.txt: $(echo $unexpected)"
    }
    log "lintian: $(grep -c '^[EWIX]: ' "$run_dir/lintian.txt" || true) accepted tag(s)"
else
    log "lintian is not installed (packaging/setup-debian.sh installs it); not checked"
fi

# The root: nothing of the build and the checkout in it, only the package file.
fresh_root_tarball
fresh_root_unpack
trap 'rm -rf "$pkg_dir"; fresh_root_remove' EXIT
cp "$deb_path" "$root/tmp/$deb"
log "root ready in $(($(date +%s) - t_start)) s"
status=0
unshare --mount --pid --fork --propagation private -- bash "$self" --inside "$root" "$cache" "$run_dir" "$deb" ||
    status=$?
log "total $(($(date +%s) - t_start)) s"
[ "$status" -eq 0 ] && log "PASSED: the package installs and renders on a bare Debian 12 root" || log "FAILED"
exit "$status"
