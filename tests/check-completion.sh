#!/usr/bin/env bash
# Exercises the bash completion of avatar-render and avatar-studio (packaging/completion) as bash calls it:
# COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT set for a typed line, the completion function called, COMPREPLY
# checked. Once with bash-completion's helpers loaded (as installed), once without them. The zsh functions are
# checked for syntax and for naming every option of the programs' --help.
# Usage: tests/check-completion.sh SOURCE_DIR BIN_DIR...   (BIN_DIRs hold avatar-render and avatar-studio)
src=$1
shift
for d in "$@"; do PATH="$d:$PATH"; done
export PATH QT_QPA_PLATFORM=offscreen
failed=0
fail() {
    echo "FAIL: $*"
    failed=1
}

# complete_line FUNCTION 'typed line': COMPREPLY for the cursor at the end of the line, into `offered`, one per
# line. In this shell, not a subshell, so that the completion's cached --help survives as in an interactive shell.
complete_line() {
    local fn=$1 line=$2
    COMP_LINE=$line COMP_POINT=${#line}
    # bash splits words at blanks and at COMP_WORDBREAKS' characters, which include the colon.
    read -ra COMP_WORDS <<<"$(sed 's/:/ : /g' <<<"$line")"
    [[ $line == *' ' ]] && COMP_WORDS+=('')
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    "$fn" 2>/dev/null
    offered=$(printf '%s\n' "${COMPREPLY[@]}")
}

# expect FUNCTION 'line' WORD...: every WORD is among the completions; expect_not: none is.
expect() {
    local fn=$1 line=$2 w
    shift 2
    complete_line "$fn" "$line"
    for w in "$@"; do
        grep -qxF -- "$w" <<<"$offered" || fail "[$mode] '$line<TAB>' offers no '$w' (offers: $(echo $offered))"
    done
}
expect_not() {
    local fn=$1 line=$2 w
    shift 2
    complete_line "$fn" "$line"
    for w in "$@"; do
        ! grep -qxF -- "$w" <<<"$offered" || fail "[$mode] '$line<TAB>' offers '$w'"
    done
}

files=$(mktemp -d)
trap 'rm -rf "$files"' EXIT
touch "$files/talk.mp4" "$files/face.png" "$files/face.JPG" "$files/notes.txt" "$files/profile.json"
mkdir "$files/out"
cd "$files" || exit 1

run_checks() {
    # subcommands, and the render's options from its --help
    expect _avatar_render 'avatar-render ' render voices frame shapes faces queue
    expect _avatar_render 'avatar-render fr' frame
    expect _avatar_render 'avatar-render --vo' --voice
    expect _avatar_render 'avatar-render --text Hi -' --avatar --captions --face-backend --cache-dir --no-cache -o -q
    expect_not _avatar_render 'avatar-render --' --at --backend --jobs-db
    # each subcommand its own options
    expect _avatar_render 'avatar-render frame talk.mp4 -' --at -o
    expect_not _avatar_render 'avatar-render frame talk.mp4 -' --voice
    expect _avatar_render 'avatar-render shapes -' --avatar --framing --face -o
    expect _avatar_render 'avatar-render voices --' --json
    expect _avatar_render 'avatar-render faces --' --backend --known-db --precision --no-cache
    expect _avatar_render 'avatar-render queue ' add run list
    expect _avatar_render 'avatar-render queue add --' --jobs-db --priority --name --voice
    expect _avatar_render 'avatar-render queue run --' --jobs-db --jobs
    # voice ids from `avatar-render voices`, also after the colon bash splits them at
    expect _avatar_render 'avatar-render --voice ' flite:slt flite:awb
    expect _avatar_render 'avatar-render --voice flite:a' awb
    # values
    expect _avatar_render 'avatar-render --captions ' none burn srt vtt all
    expect _avatar_render 'avatar-render --fps 29' 29.97
    expect _avatar_render 'avatar-render --fps ' 23.976 25 59.94
    expect _avatar_render 'avatar-render --face-backend t' torch
    expect _avatar_render 'avatar-render --tier ' standard advanced ultra quantum
    expect _avatar_render 'avatar-render --preset very' veryfast veryslow
    # file types: a video is written as .mp4, a frame as .png, a portrait is an image, a report by its format
    expect _avatar_render 'avatar-render -o ' talk.mp4 out
    expect_not _avatar_render 'avatar-render -o ' face.png notes.txt
    expect _avatar_render 'avatar-render frame talk.mp4 -o ' face.png
    expect_not _avatar_render 'avatar-render frame talk.mp4 -o ' talk.mp4
    expect _avatar_render 'avatar-render --avatar ' face.png face.JPG
    expect_not _avatar_render 'avatar-render --avatar ' talk.mp4 notes.txt
    expect _avatar_render 'avatar-render --script ' notes.txt
    expect _avatar_render 'avatar-render --report ' profile.json
    expect _avatar_render 'avatar-render frame ' talk.mp4
    expect _avatar_render 'avatar-render faces ' face.png
    # the studio
    expect _avatar_studio 'avatar-studio --' --lang --jobs-db --play --screenshot --version --help
    expect _avatar_studio 'avatar-studio --lang ' en de
    expect _avatar_studio 'avatar-studio --play ' talk.mp4
    expect_not _avatar_studio 'avatar-studio --play ' face.png
}

# Without bash-completion's helpers (the scripts' own fallback), then with them as an installed system has them.
mode=plain
source "$src/packaging/completion/avatar.bash"
run_checks
if [ -r /usr/share/bash-completion/bash_completion ]; then
    mode=bash-completion
    unset -v "${!_avatar_render_help_@}" _avatar_studio_options
    source /usr/share/bash-completion/bash_completion
    source "$src/packaging/completion/avatar.bash"
    run_checks
else
    echo "note: bash-completion is not installed (packaging/setup-debian.sh installs it); checked without it"
fi

# zsh: the functions parse, and they name every option that the programs' --help names.
if command -v zsh >/dev/null 2>&1; then
    for f in "$src/packaging/completion/_avatar-render" "$src/packaging/completion/_avatar-studio"; do
        zsh -n "$f" || fail "zsh cannot parse $f"
    done
else
    echo "note: zsh is not installed (packaging/setup-debian.sh installs it); its syntax is not checked"
fi
for program in avatar-render avatar-studio; do
    for option in $("$program" --help | grep -oE -- '(^|[ [|,])--?[a-zA-Z][a-zA-Z0-9-]*' |
        grep -oE -- '--?[a-zA-Z][a-zA-Z0-9-]*' | sort -u); do
        case $option in --help-all) continue ;; esac
        grep -qF -- "$option" "$src/packaging/completion/_$program" ||
            fail "zsh: _$program lacks $option of '$program --help'"
    done
done
for option in $(avatar-render faces --help | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
    grep -qF -- "$option" "$src/packaging/completion/_avatar-render" ||
        fail "zsh: _avatar-render lacks $option of 'avatar-render faces --help'"
done
[ "$failed" -eq 0 ] && echo "bash and zsh completion: all checks passed"
exit "$failed"
