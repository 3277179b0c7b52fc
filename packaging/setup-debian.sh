#!/usr/bin/env bash
# Installs every Debian 12 package that Avatar Studio's build, tests and demo need. Non-interactive and
# idempotent: when everything is present it only runs dpkg-query and returns within a second.
# Usage: packaging/setup-debian.sh            (as root, or with sudo available)
set -euo pipefail

packages=(
    # toolchain
    build-essential cmake ninja-build ccache git pkg-config ca-certificates clang-format
    # Qt 6 (engine tests use QtCore + QtTest; the studio adds Widgets, Charts, Multimedia)
    qt6-base-dev qt6-base-dev-tools
    # the studio: Charts, Multimedia (libqt6multimedia6 carries the FFmpeg media plugin), SVG icon,
    # Linguist tools for the translations, Qt's own German strings; Charts' CMake package needs OpenGL's and xkb
    qt6-charts-dev qt6-multimedia-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    qt6-translations-l10n libqt6opengl6-dev libxkbcommon-dev
    # validating the desktop entry and the AppStream metainfo; the man pages (help2man, from each program's
    # --help); checking the Debian package (lintian) and the bash and zsh completion (tests)
    desktop-file-utils appstream help2man lintian bash-completion zsh
    # media: FFmpeg libraries (libavcodec brings libx264; libavfilter mixes music under speech and
    # measures loudness, EBU R128), images
    libavcodec-dev libavformat-dev libavfilter-dev libavutil-dev libswscale-dev libswresample-dev libpng-dev
    libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libjpeg62-turbo-dev
    # face analysis: dlib and its 68-landmark model; LibTorch (CPU) runs the face-api models (engine/facenet),
    # with OpenBLAS behind it: Debian's default reference BLAS makes its convolutions 30x slower
    libdlib-dev libdlib-data libtorch-dev libopenblas0-pthread liblapack-dev libblas-dev
    # speech
    flite1-dev libespeak-ng-dev espeak-ng-data
    # a recording's phones (engine/voice): PocketSphinx and its US English model, dictionary and phone model
    libpocketsphinx-dev libsphinxbase-dev pocketsphinx-en-us
    # burned-in captions: libass and the font it draws them with
    libass-dev fonts-dejavu-core fonts-wqy-microhei fontconfig
    libsqlite3-dev sqlite3
    # JSON (engine/core: nlohmann-json, header-only) and the cache keys' SHA-256 (OpenSSL's libcrypto)
    nlohmann-json3-dev libssl-dev
    # Unicode text rules for the script and the captions (engine/core/TextBreaks: sentences, line breaks,
    # graphemes, East-Asian width): ICU
    libicu-dev
    # the profiler's PDF report (Cairo's PDF surface; its text in DejaVu Sans, above), and poppler's tools,
    # with which the tests read the PDF back
    libcairo2-dev poppler-utils
    # the render farm (issue #16): Slurm and munge for `batch --slurm` and the tst_farm one-node cluster
    slurm-wlm munge
    # looking at the studio and screenshots under a virtual display
    xvfb xauth
    # the libFuzzer targets (fuzz/, ctest label fuzz): Clang and its sanitizer and fuzzer runtimes
    clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
# npm fetches the face-api weights and sample photos (packaging/setup-models.sh). Any npm will do: a machine
# that already has Node.js from elsewhere keeps it, a fresh Debian 12 gets Debian's.
if ! command -v npm >/dev/null 2>&1; then
    missing+=(npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup-debian: all ${#packages[@]} packages are installed."
    exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo_cmd=(sudo)
    else
        echo "setup-debian: run as root (or install sudo) to install: ${missing[*]}" >&2
        exit 1
    fi
fi

echo "setup-debian: installing ${#missing[@]} package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have empty package lists; refresh them when they are missing or a day old.
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -n 1)" ]; then
    "${sudo_cmd[@]}" apt-get update -q
fi
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
