#!/usr/bin/env bash
# The README's two quick-start commands.
#   packaging/quickstart.sh demo   install what is missing, build, render demo.mp4 with the built-in script,
#                                  portrait and voice
#   packaging/quickstart.sh test   install what is missing, build, run the whole test suite with ctest
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-}"
# CI (CI=true) builds with warnings as errors, the demo included: the same compiler flags in both commands, so
# the second one reuses the first one's objects (and packaging/check-fresh-root.sh's root hits the host's ccache).
preset=release
[ "${CI:-}" = "true" ] && preset=ci
case "$mode" in
    demo)
        packaging/setup-debian.sh
        packaging/setup-models.sh
        packaging/build.sh "$preset" avatar-render avatar-studio
        ./build/release/app/render/avatar-render -o demo.mp4
        echo
        echo "The demo video is $(pwd)/demo.mp4"
        echo "Render your own: ./build/release/app/render/avatar-render --text \"Hi!\" --avatar face.jpg -o hi.mp4"
        echo "Open the studio: ./build/release/app/studio/avatar-studio"
        ;;
    test)
        packaging/setup-debian.sh
        packaging/setup-models.sh
        packaging/build.sh "$preset"
        ctest --preset "$preset" -j "$(nproc)"
        ;;
    *)
        echo "usage: packaging/quickstart.sh demo|test" >&2
        exit 2
        ;;
esac
