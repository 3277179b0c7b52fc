# bash completion for avatar-studio (installed as /usr/share/bash-completion/completions/avatar-studio).
# The options come from the program's own --help (read once per shell, without a window: the offscreen
# platform), so they follow the program; the values from the choices its help names.

_avatar_studio() {
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        _init_completion || return
    else # without bash-completion: the words of the line up to the cursor, split at blanks only
        local line=${COMP_LINE:0:COMP_POINT}
        read -ra words <<<"$line"
        [[ $line == *[[:blank:]] ]] && words+=('')
        cword=$((${#words[@]} - 1)) cur=${words[-1]} prev=${words[-2]-}
    fi
    case $prev in
        --lang) COMPREPLY=($(compgen -W 'en de' -- "$cur")); return ;;
        --show-dock) COMPREPLY=($(compgen -W 'queue profiler' -- "$cur")); return ;;
        --settings) _avatar_studio_files ini ;;
        --jobs-db) _avatar_studio_files 'db|sqlite|sqlite3' ;;
        --play) _avatar_studio_files 'mp4|MP4|mov|mkv|webm' ;;
        --screenshot) _avatar_studio_files png ;;
        --demo-jobs | --after-ms) return ;;
        *)
            if [[ $cur == -* ]]; then
                if [[ -z ${_avatar_studio_options-} ]]; then
                    _avatar_studio_options=$(QT_QPA_PLATFORM=offscreen "${words[0]}" --help 2>/dev/null |
                        sed -nE 's/^ +(-[a-zA-Z], )?(--?[a-zA-Z][a-zA-Z0-9-]*).*/\1 \2/p' |
                        grep -oE -- '--?[a-zA-Z][a-zA-Z0-9-]*' | sort -u)
                fi
                COMPREPLY=($(compgen -W "$_avatar_studio_options" -- "$cur"))
            fi
            ;;
    esac
}

_avatar_studio_files() { # _avatar_studio_files 'ext1|ext2|...' : files with those extensions, and folders
    local IFS=$'\n' f
    COMPREPLY=()
    for f in $(compgen -f -- "$cur"); do
        [[ -d $f || $f =~ \.($1)$ ]] && COMPREPLY+=("$f")
    done
    compopt -o filenames 2>/dev/null
}
complete -F _avatar_studio avatar-studio
