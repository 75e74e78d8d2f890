#!/usr/bin/env bash
# Sources the bash completion and completes command lines as bash would (COMP_WORDS, COMP_CWORD,
# then the completion function), comparing COMPREPLY with what each should offer.
# usage: test_completion.bash COMPLETION_SCRIPT ZAUDIT
if (($# != 2)); then
    echo "usage: $0 COMPLETION_SCRIPT ZAUDIT" >&2
    exit 2
fi
script="$(realpath "$1")"
zaudit="$(realpath "$2")"  # the test works in a folder of its own
# shellcheck source=/dev/null
source "$script" || exit 1
complete -p zaudit >/dev/null || { echo "FAIL $script does not register a completion for zaudit"; exit 1; }

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT
cd "$workdir" || exit 1
touch call.pcap tap.pcapng OLD.CAP notes.txt zaudit.toml other.toml report.json "with space.pcap"
mkdir evidence

failures=0
checks=0

# complete WORD...: the words of a command line, the last one being completed (may be empty);
# leaves the offers, sorted, one per line, in $offered.
complete_words() {
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    _zaudit zaudit "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    offered="$(printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort)"
}

# expect "LINE" OFFER...: completing LINE (words split at spaces; a trailing space completes an
# empty word) offers exactly OFFER... (in any order).
expect() {
    local line="$1"
    shift
    local -a words
    read -r -a words <<<"$line"
    [[ "$line" == *" " ]] && words+=("")
    complete_words "${words[@]}"
    local wanted
    wanted="$(printf '%s\n' "$@" | LC_ALL=C sort)"
    ((checks++))
    if [[ "$offered" != "$wanted" ]]; then
        ((failures++))
        echo "FAIL '$line'"
        echo "  offered: $(echo $offered)"
        echo "  wanted:  $(echo $wanted)"
    fi
}

all_formats=(json jsonl markdown sarif text)
captures=(OLD.CAP call.pcap evidence tap.pcapng "with space.pcap")

# Commands and captures first, then only captures.
expect "zaudit " audit baseline calls compare export ledger rules zrtp "${captures[@]}"
expect "zaudit ca" calls call.pcap
expect "zaudit call.pcap " "${captures[@]}"
expect "zaudit calls " "${captures[@]}"
expect "zaudit ledger " list accept forget
expect "zaudit ledger accept "
expect "zaudit rules "
expect "zaudit w" "with space.pcap"
# Options, and the values of those that take one from a list.
expect "zaudit --fo" --format
expect "zaudit --fail" --fail-on
expect "zaudit --format " "${all_formats[@]}"
expect "zaudit -f s" sarif
expect "zaudit rules --format " json markdown text
expect "zaudit compare a.pcap --format " json text
expect "zaudit --format j" json jsonl
expect "zaudit --format = j" json jsonl
expect "zaudit --format =" "${all_formats[@]}"
expect "zaudit --format=j" --format=json --format=jsonl
expect "zaudit --fail-on " none info low medium high critical
expect "zaudit --color a" auto always
# A value is not a command: "rules" is the report's file here, so every format is offered.
expect "zaudit --output rules --format " "${all_formats[@]}"
expect "zaudit -o rules " audit baseline calls compare export ledger rules zrtp "${captures[@]}"
expect "zaudit --merge ca" calls call.pcap
# File values: captures, *.toml for --config, any file for the others; nothing for free values.
expect "zaudit --config " evidence other.toml zaudit.toml
expect "zaudit -o re" report.json
expect "zaudit --ledger n" notes.txt
expect "zaudit --calls "
expect "zaudit --since "
expect "zaudit --jobs "

# Every long option of --help is one the completion offers: the generated lists cannot lag.
complete_words zaudit --
help_options="$("$zaudit" --help | grep -oE '^  (-[a-z] \[ )?--[a-z][a-z-]*' | grep -oE -- '--[a-z][a-z-]*' | LC_ALL=C sort -u)"
if [[ -z "$help_options" ]]; then
    ((failures++))
    echo "FAIL no option found in $zaudit --help"
fi
for option in $help_options; do
    ((checks++))
    if ! grep -qxF -- "$option" <<<"$offered"; then
        ((failures++))
        echo "FAIL --help has $option, which 'zaudit --' does not offer"
    fi
done

echo "$checks completions checked: $failures failed"
((failures == 0))
