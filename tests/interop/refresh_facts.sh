#!/bin/bash
# Re-derive every *.facts.json from its capture (after a change to facts.py), keeping the
# stack / made_by / shows descriptions recorded when the capture was made.
set -euo pipefail
cd "$(dirname "$0")"
for facts in *.facts.json; do
    cap="${facts%.facts.json}.pcap"
    [[ -f "$cap" ]] || cap="${facts%.facts.json}.pcapng"
    args=()
    while IFS= read -r d; do args+=(--decode-as "$d"); done < <(jq -r '.established_with.decode_as[]?' "$facts")
    /usr/bin/python3 facts.py "$cap" --stack "$(jq -r .stack "$facts")" \
        --made-by "$(jq -r .made_by "$facts")" --shows "$(jq -r .shows "$facts")" "${args[@]}"
done
