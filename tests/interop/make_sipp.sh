#!/bin/bash
# sipp (sip-tester) built-in scenarios: "-sn uas" in namespace b, "-sn uac" in namespace a, two
# calls each (INVITE/180/200/ACK, 1 s pause, BYE/200, SDP without media traffic).
# Usage: make_sipp.sh [udp|tcp]   (no argument: both)
# Output: sipp-udp.pcap / sipp-tcp.pcap + facts. TCP is -t t1: one connection for all calls.
source "$(dirname "$0")/lib.sh"

run_one() {
    local transport="$1" topt="u1"
    [[ "$transport" == tcp ]] && topt="t1"
    local OUT="$INTEROP_DIR/sipp-$transport.pcap"
    lab_up "sipp$transport"
    lab_capture_start "$LAB_TMP/cap.pcap"
    (cd "$LAB_TMP" && ip netns exec "$NS_B" timeout 30 sipp -sn uas -t "$topt" -i "$B_IP4" -p 5060 \
        -nostdin -bg -trace_err >/dev/null 2>&1) || true
    # -bg forks: find the daemon by its namespace for cleanup.
    sleep 1
    LAB_PIDS+=($(ip netns pids "$NS_B"))
    (cd "$LAB_TMP" && ip netns exec "$NS_A" timeout 30 sipp -sn uac -t "$topt" -i "$A_IP4" -p 5060 \
        -m 2 -l 1 -r 1 -d 1000 -nostdin -timeout 20 -timeout_error -trace_err "$B_IP4:5060" \
        >"$LAB_TMP/uac.out" 2>&1) || { cat "$LAB_TMP/uac.out" >&2; return 1; }
    sleep 1
    lab_capture_stop
    cp "$LAB_TMP/cap.pcap" "$OUT"
    finish_capture "$OUT"
    write_facts "$OUT" "SIPp $(sipp -v 2>&1 | sed -n 's/.*SIPp \(v[^ ,]*\).*/\1/p' | head -1) (Debian sip-tester $(pkg_version sip-tester)), built-in uac and uas scenarios" \
        "Two plain SIP calls over $(tr a-z A-Z <<<"$transport")$([[ $transport == tcp ]] && echo ' (one TCP connection, -t t1)'): INVITE/180/200/ACK/BYE/200 (the uas scenario sends no 100) with a minimal SDP offer (c=, m=audio RTP/AVP 0) and no media"
    lab_cleanup
    LAB_NAME=""
    LAB_PIDS=()
}

if [[ $# -eq 0 ]]; then
    run_one udp
    run_one tcp
else
    run_one "$1"
fi
