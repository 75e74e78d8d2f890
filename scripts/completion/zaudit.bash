# bash completion for zaudit(1): commands, options, the values of options with a fixed list
# (--format, --fail-on, --color), and files: captures (*.pcap, *.pcapng, *.cap) where captures go,
# *.toml for --config, any file for the other FILE options, network interfaces for --interface.
#
# `cmake --install` puts it in share/bash-completion/completions/zaudit, where bash-completion
# loads it on first use; without bash-completion, source it from ~/.bashrc. It needs bash 4 and
# nothing from bash-completion.
#
# The lists between the GENERATED lines come from zaudit's own option table (zaudit-docs
# bash-options, spliced in by scripts/gen-docs; a test fails when they are stale): edit the
# options in src/cli/cli.cpp, never here.

# Adds to COMPREPLY the files that `cur` begins, of one kind (capture, toml, or any), and the
# directories, where more of them may be.
_zaudit_files() {
    local cur="$1" kind="$2" file
    local IFS=$'\n'
    for file in $(compgen -f -- "$cur"); do
        if [[ -d "$file" ]]; then
            COMPREPLY+=("$file")
            continue
        fi
        case "$kind:${file,,}" in
            capture:*.pcap | capture:*.pcapng | capture:*.cap | toml:*.toml | any:*) COMPREPLY+=("$file") ;;
        esac
    done
    # Quote what needs it and add '/' to directories; outside a completion (a test) there is no
    # completion to set options on.
    compopt -o filenames 2>/dev/null
    return 0
}

_zaudit() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev=""
    ((COMP_CWORD > 0)) && prev="${COMP_WORDS[COMP_CWORD - 1]}"
    COMPREPLY=()

    # BEGIN GENERATED options: scripts/gen-docs writes it from the options zaudit parses
    local commands=(audit calls zrtp compare rules ledger baseline export)
    local options=(--format -f --output -o --fail-on --interface -i --duration --count --filter
        --calls --since --until --decode-as --srtp-key --verify-all --reveal-keys --ledger
        --config --baseline --export-audio --audio --merge --dialog-timeout --call-timeout
        --max-failed-calls --max-dialogs --max-flows --max-call-messages --max-zrtp-messages
        --max-ssrcs-per-flow --jobs -j --color --quiet -q --verbose -v --version --help -h)
    local -A takes=(['--format']='FORMAT' ['-f']='FORMAT' ['--output']='FILE' ['-o']='FILE'
        ['--fail-on']='LEVEL' ['--interface']='IF' ['-i']='IF' ['--duration']='S' ['--count']='N'
        ['--filter']='BPF' ['--calls']='CALL' ['--since']='TIME' ['--until']='TIME'
        ['--decode-as']='udp:PORT=PROTO' ['--srtp-key']='SPEC' ['--ledger']='FILE'
        ['--config']='FILE' ['--baseline']='FILE' ['--export-audio']='DIR' ['--audio']='DIR'
        ['--dialog-timeout']='S' ['--call-timeout']='S' ['--max-failed-calls']='N'
        ['--max-dialogs']='N' ['--max-flows']='N' ['--max-call-messages']='N'
        ['--max-zrtp-messages']='N' ['--max-ssrcs-per-flow']='N' ['--jobs']='N' ['-j']='N'
        ['--color']='WHEN')
    local -A long_of=(['-f']='--format' ['-o']='--output' ['-i']='--interface' ['-j']='--jobs'
        ['-q']='--quiet' ['-v']='--verbose' ['-h']='--help')
    local -A choices=(['--format']='text json jsonl sarif markdown'
        ['--format@rules']='text json markdown' ['--format@compare']='text json'
        ['--fail-on']='none info low medium high critical' ['--color']='auto always never')
    # END GENERATED options

    # The option whose value is being completed: "--format j", "--format=j" (bash splits it into
    # "--format" "=" "j" when '=' is in COMP_WORDBREAKS, as it is by default) or "--format=j" whole.
    local option="" prefix=""
    if [[ "$cur" == "=" && -n "${takes[$prev]+set}" ]]; then
        option="$prev"
        cur=""
    elif [[ "$prev" == "=" ]] && ((COMP_CWORD > 1)) && [[ -n "${takes[${COMP_WORDS[COMP_CWORD - 2]}]+set}" ]]; then
        option="${COMP_WORDS[COMP_CWORD - 2]}"
    elif [[ "$cur" == --*=* && -n "${takes[${cur%%=*}]+set}" ]]; then
        option="${cur%%=*}"
        prefix="$option="
        cur="${cur#*=}"
    elif [[ -n "${takes[$prev]+set}" ]]; then
        option="$prev"
    fi

    # The command: the first word that is neither an option nor an option's value.
    local command="" positionals=0 i word
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        if [[ "$word" == "=" ]]; then
            ((i++))  # "--option" "=" "value": skip the value too
            continue
        fi
        if [[ -n "${takes[$word]+set}" ]]; then
            [[ "${COMP_WORDS[i + 1]-}" != "=" ]] && ((i++))
            continue
        fi
        [[ "$word" == -* && "$word" != "-" ]] && continue
        ((positionals++))
        if ((positionals == 1)); then
            command="audit"  # a capture's name: the default command
            local name
            for name in "${commands[@]}"; do
                [[ "$word" == "$name" ]] && command="$name"
            done
        fi
    done

    if [[ -n "$option" ]]; then
        local long="${long_of[$option]:-$option}"
        local values="${choices[$long@$command]-${choices[$long]-}}"
        if [[ -n "$values" ]]; then
            COMPREPLY=($(compgen -P "$prefix" -W "$values" -- "$cur"))
        elif [[ "${takes[$option]}" == FILE && -z "$prefix" ]]; then
            _zaudit_files "$cur" "$([[ "$long" == --config ]] && echo toml || echo any)"
        elif [[ "${takes[$option]}" == IF && -z "$prefix" ]]; then
            COMPREPLY=($(compgen -W "$(command ls /sys/class/net 2>/dev/null)" -- "$cur"))
        fi
        return 0
    fi
    if [[ "$cur" == -?* ]]; then
        COMPREPLY=($(compgen -W "${options[*]}" -- "$cur"))
        return 0
    fi
    case "$command" in
        "") # the first word: a command, or already a capture
            COMPREPLY=($(compgen -W "${commands[*]}" -- "$cur"))
            _zaudit_files "$cur" capture
            ;;
        rules) ;;  # takes no capture
        ledger)
            ((positionals == 1)) && COMPREPLY=($(compgen -W "list accept forget" -- "$cur"))
            ;;
        *) _zaudit_files "$cur" capture ;;
    esac
    return 0
}

complete -F _zaudit zaudit
