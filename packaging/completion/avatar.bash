# bash completion for avatar-render and avatar-studio (installed as /usr/share/bash-completion/completions/
# avatar-render and .../avatar-studio: bash-completion loads the file named after the command).
# The options come from the programs' own --help (read once per shell), so they follow the programs; the voice
# ids from `avatar-render voices`; values and file types from the choices the help names.

# _avatar_init [bash-completion's _init_completion options]: sets the caller's cur, prev, words and cword.
_avatar_init() {
    if declare -F _init_completion >/dev/null; then
        _init_completion "$@" || return
    else # without bash-completion: the words of the line up to the cursor, split at blanks only
        local line=${COMP_LINE:0:COMP_POINT}
        read -ra words <<<"$line"
        [[ $line == *[[:blank:]] ]] && words+=('')
        cword=$((${#words[@]} - 1)) cur=${words[-1]} prev=${words[-2]-}
    fi
}

_avatar_files() { # _avatar_files 'ext1|ext2|...' : files with those extensions, and folders
    local IFS=$'\n' f
    COMPREPLY=()
    for f in $(compgen -f -- "$cur"); do
        [[ -d $f || $f =~ \.($1)$ ]] && COMPREPLY+=("$f")
    done
    compopt -o filenames 2>/dev/null
}

# _avatar_render_load_help render|faces|queue: reads that help once per shell into _avatar_render_help_<name>.
# Not in a command substitution, which would run it in a subshell and lose what it read.
_avatar_render_load_help() {
    local key="_avatar_render_help_$1"
    [[ -n ${!key-} ]] && return
    local text
    case $1 in
        faces | queue | batch) text=$("$_avatar_render_cmd" "$1" --help 2>/dev/null) ;;
        *) text=$("$_avatar_render_cmd" --help 2>/dev/null) ;;
    esac
    printf -v "$key" '%s' "$text"
}

# The options a subcommand takes, from the help read before: those that begin the lines of the option tables
# (render, faces; `queue add` takes the render's), or those of its usage line (voices, frame, shapes, queue run
# and list).
_avatar_render_options() {
    local sub=$1
    {
        case $sub in
            render | add | faces | batch)
                local key=_avatar_render_help_render
                [[ $sub == faces ]] && key=_avatar_render_help_faces
                [[ $sub == batch ]] && key=_avatar_render_help_batch
                sed -nE 's/^ +(-[a-zA-Z], )?(--?[a-zA-Z][a-zA-Z0-9-]*).*/\1 \2/p' <<<"${!key}"
                [[ $sub == faces ]] && grep -E '^ *Usage:' <<<"${!key}" -A2
                ;;
            voices | frame | shapes | cues) grep -E "^ *(Usage:|or:)? *avatar-render $sub " <<<"$_avatar_render_help_render" ;;
            run | list) grep -E "^ *(Usage:)? *avatar-render queue $sub " <<<"$_avatar_render_help_queue" ;;
        esac
        [[ $sub == add ]] && grep -E "^ *(Usage:)? *avatar-render queue add " -A1 <<<"$_avatar_render_help_queue"
    } | grep -oE -- '(^|[ [|,])--?[a-zA-Z][a-zA-Z0-9-]*' | grep -oE -- '--?[a-zA-Z][a-zA-Z0-9-]*' | sort -u
}

_avatar_render() {
    local cur prev words cword
    _avatar_init -n : || return # voice ids have a colon: keep flite:slt one word
    _avatar_render_cmd=${words[0]}
    local images='png|PNG|jpg|JPG|jpeg|JPEG|webp|bmp|tif|tiff'

    # The subcommand: the first word after the program (render when it is an option or missing).
    local sub=render i=1
    if ((cword > 1)) || [[ $cur == -* ]]; then
        case ${words[1]} in
            render | voices | frame | shapes | faces | cues | batch) sub=${words[1]} ;;
            queue)
                sub=queue
                ((cword > 2)) && sub=${words[2]}
                ;;
        esac
    fi

    case $prev in
        --voice)
            COMPREPLY=($(compgen -W "$("$_avatar_render_cmd" voices 2>/dev/null | awk '{print $1}')" -- "$cur"))
            # bash replaces only the part of the word after its last colon (COMP_WORDBREAKS)
            if [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
                local prefix=${cur%"${cur##*:}"} i
                for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=${COMPREPLY[i]#"$prefix"}; done
            fi
            return ;;
        --avatar) _avatar_files "$images"; return ;;
        --script) _avatar_files 'txt|TXT|md'; return ;;
        --audio) _avatar_files 'wav|WAV|flac|FLAC|mp3|MP3|m4a|M4A|aac|ogg|opus'; return ;;
        --report) _avatar_files 'json|html|csv|pdf'; return ;;
        --baseline) _avatar_files json; return ;;
        --jobs-db | --known-db) _avatar_files 'db|sqlite|sqlite3'; return ;;
        --cache-dir | --shared-cache | --batch-dir | --shard)
            COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null; return ;;
        -o | --output)
            case $sub in frame | shapes) _avatar_files png ;; cues) _avatar_files 'tsv|xml|json|dat' ;; *) _avatar_files mp4 ;; esac
            return ;;
        --captions) COMPREPLY=($(compgen -W 'none burn srt vtt all' -- "$cur")); return ;;
        --fps) COMPREPLY=($(compgen -W '23.976 24 25 29.97 30 50 59.94 60' -- "$cur")); return ;;
        --caption-position) COMPREPLY=($(compgen -W 'bottom middle top' -- "$cur")); return ;;
        --face-backend | --backend) COMPREPLY=($(compgen -W 'dlib torch' -- "$cur")); return ;;
        --framing) COMPREPLY=($(compgen -W 'as-is head shoulders' -- "$cur")); return ;;
        --expression) COMPREPLY=($(compgen -W 'neutral friendly serious' -- "$cur")); return ;;
        --tier) COMPREPLY=($(compgen -W 'standard advanced ultra quantum' -- "$cur")); return ;;
        --precision) COMPREPLY=($(compgen -W 'float32 bf16' -- "$cur")); return ;;
        --priority) COMPREPLY=($(compgen -W 'high normal low' -- "$cur")); return ;;
        --preset)
            COMPREPLY=($(compgen -W 'ultrafast superfast veryfast faster fast medium slow slower veryslow' -- "$cur"))
            return ;;
        --text | --speed | --pitch | --size | --crf | --threads | --face | --at | --name | --jobs | \
            --caption-font | --caption-size | --caption-colour | --caption-highlight | --caption-outline | \
            --min-score | --tasks | --task | --partition | --time | --cpus-per-task)
            return ;; # a value of the user's own
    esac

    if ((cword == 1)) && [[ $cur != -* ]]; then
        COMPREPLY=($(compgen -W 'render voices frame shapes faces queue cues batch' -- "$cur"))
        return
    fi
    if [[ $sub == queue ]]; then
        COMPREPLY=($(compgen -W 'add run list' -- "$cur"))
        return
    fi
    if [[ $cur == -* ]]; then
        _avatar_render_load_help render
        case $sub in
            faces) _avatar_render_load_help faces ;;
            batch) _avatar_render_load_help batch ;;
            add | run | list) _avatar_render_load_help queue ;;
        esac
        COMPREPLY=($(compgen -W "$(_avatar_render_options "$sub")" -- "$cur"))
        return
    fi
    case $sub in
        frame) _avatar_files 'mp4|MP4|mov|mkv' ;;
        faces) _avatar_files "$images" ;;
        batch)
            # batch status|resubmit DIR: a batch folder of a Slurm array (docs/FARM.md)
            if ((cword == 2)); then
                _avatar_files 'avatarproj|csv|CSV'
                COMPREPLY+=($(compgen -W 'status resubmit' -- "$cur"))
            elif [[ ${words[2]} == status || ${words[2]} == resubmit ]]; then
                COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null
            else
                _avatar_files 'avatarproj|csv|CSV'
            fi
            ;;
    esac
}
complete -F _avatar_render avatar-render

_avatar_studio() {
    local cur prev words cword
    _avatar_init || return
    case $prev in
        --lang) COMPREPLY=($(compgen -W 'en de' -- "$cur")); return ;;
        --show-dock) COMPREPLY=($(compgen -W 'queue profiler scenes' -- "$cur")); return ;;
        --project) _avatar_files avatarproj ;;
        --batch) _avatar_files 'csv|CSV' ;;
        --narration) _avatar_files 'wav|flac|mp3|m4a|aac|ogg|oga|opus' ;;
        --settings) _avatar_files ini ;;
        --jobs-db) _avatar_files 'db|sqlite|sqlite3' ;;
        --play) _avatar_files 'mp4|MP4|mov|mkv|webm' ;;
        --screenshot) _avatar_files png ;;
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
complete -F _avatar_studio avatar-studio
