#!/bin/bash
# Re-derive every *.facts.json from its capture (after a change to facts.py), keeping the
# stack / made_by / shows descriptions recorded when the capture was made. The same for every
# *.relay.json (relay_facts.py over a pair of leg captures), keeping its nodes and key log.
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
for relay in *.relay.json; do
    [[ -f "$relay" ]] || continue
    args=()
    log="$(jq -r '.established_with.relay_log // empty' "$relay")"
    [[ -n "$log" ]] && args+=(--relay-log "$log")
    /usr/bin/python3 relay_facts.py "${relay%.relay.json}" --caller "$(jq -r .nodes.caller "$relay")" \
        --callee "$(jq -r .nodes.callee "$relay")" \
        --relay "$(jq -r '.nodes.relay_caller_side + "," + .nodes.relay_callee_side' "$relay")" \
        --ip-forward "$(jq -r 'if .nodes.relay_ip_forward then 1 else 0 end' "$relay")" \
        --stack "$(jq -r .stack "$relay")" --made-by "$(jq -r .made_by "$relay")" \
        --shows "$(jq -r .shows "$relay")" "${args[@]}"
done
