#!/usr/bin/env bash
# The man pages agree with the programs: every option that `PROGRAM --help` names is in PROGRAM.1, and the page's
# version is the one `PROGRAM --version` prints. help2man makes the pages from those two outputs at build time
# (cmake/Packaging.cmake), so this fails when a page is stale or was written by hand.
# Usage: tests/check-man-pages.sh MAN_DIR PROGRAM...
set -euo pipefail
man_dir=$1
shift
# No display: --help and --version must work without one (help2man runs them so at build time).
unset DISPLAY WAYLAND_DISPLAY QT_QPA_PLATFORM
failed=0
for program in "$@"; do
    name=$(basename "$program")
    page="$man_dir/$name.1"
    [ -s "$page" ] || { echo "FAIL: $page is missing"; failed=1; continue; }
    version=$("$program" --version | awk '{ print $NF }')
    # .TH NAME SECTION DATE "SOURCE VERSION" ...: the page of this program, at this version
    th=$(grep -m1 '^\.TH' "$page")
    grep -qix "\.TH \"\?$name\"\? \"\?1\"\? .*\"$name $version\".*" <<<"$th" ||
        { echo "FAIL: $page is not $name's page of version $version: $th"; failed=1; }
    # The page's text without roff's escapes: \- is a minus, \fB/\fR/\fI change fonts.
    text=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$page")
    n=0
    for option in $("$program" --help | grep -oE -- '(^|[ [|,])--?[a-zA-Z][a-zA-Z0-9-]*' |
        grep -oE -- '--?[a-zA-Z][a-zA-Z0-9-]*' | sort -u); do
        n=$((n + 1))
        grep -qF -- "$option" <<<"$text" || { echo "FAIL: $name --help names $option, $page does not"; failed=1; }
    done
    [ "$n" -ge 2 ] || { echo "FAIL: $name --help names only $n options"; failed=1; }
    echo "$name.1: version $version, all $n options of --help"
done
exit "$failed"
