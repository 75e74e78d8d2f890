#!/bin/bash
# sipp (sip-tester) RTP echo: "-sn uas -rtp_echo" in namespace b sends every RTP packet it
# receives back to its sender unchanged (SSRC, sequence numbers and payload); "-sn uac_pcap" in
# namespace a calls it and plays Debian's g711a.pcap (A-law, 8 s) as its media. One call.
# What it shows: packets that come back to their sender are an echo, not a relay's two sides.
# Output: sipp-echo.pcap + facts.
source "$(dirname "$0")/lib.sh"

OUT="$INTEROP_DIR/sipp-echo.pcap"
lab_up sippecho
# uac_pcap plays "pcap/g711a.pcap" relative to where it runs.
ln -s /usr/share/sip-tester "$LAB_TMP/pcap"
lab_capture_start "$LAB_TMP/cap.pcap"
(cd "$LAB_TMP" && ip netns exec "$NS_B" timeout 40 sipp -sn uas -i "$B_IP4" -p 5060 -mi "$B_IP4" -mp 6000 \
    -rtp_echo -nostdin -bg -trace_err >/dev/null 2>&1) || true
sleep 1
LAB_PIDS+=($(ip netns pids "$NS_B"))
(cd "$LAB_TMP" && ip netns exec "$NS_A" timeout 40 sipp -sn uac_pcap -i "$A_IP4" -p 5060 -mi "$A_IP4" \
    -m 1 -l 1 -nostdin -timeout 30 -timeout_error -trace_err "$B_IP4:5060" \
    >"$LAB_TMP/uac.out" 2>&1) || { cat "$LAB_TMP/uac.out" >&2; exit 1; }
sleep 1
lab_capture_stop
cp "$LAB_TMP/cap.pcap" "$OUT"
finish_capture "$OUT"
write_facts "$OUT" "SIPp $(sipp -v 2>&1 | sed -n 's/.*SIPp \(v[^ ,]*\).*/\1/p' | head -1) (Debian sip-tester $(pkg_version sip-tester)), built-in uac_pcap and uas scenarios, the uas with -rtp_echo" \
    "One plain SIP call over UDP whose caller plays Debian's g711a.pcap (PCMA) and whose callee echoes every RTP packet back to its sender unchanged: two streams, one each way, with the same SSRC, sequence numbers and payloads"
