#!/bin/bash
# baresip -> baresip call with mediaenc=srtp-mand (SDES, RTP/SAVP) on both accounts, PCMU from a
# WAV file, hang-up by the caller. Output: sdes-baresip.pcap + sdes-baresip.facts.json.
source "$(dirname "$0")/lib.sh"
OUT="$INTEROP_DIR/sdes-baresip.pcap"
lab_up brsdes
make_tone "$LAB_TMP/tone.wav" 10
baresip_conf a "$A_IP4" alice srtp-mand
baresip_conf b "$B_IP4" bob srtp-mand
lab_capture_start "$LAB_TMP/cap.pcap"
ip netns exec "$NS_B" timeout 30 baresip -f "$LAB_TMP/b" -t 25 >"$LAB_TMP/b.out" 2>&1 &
LAB_PIDS+=($!)
sleep 2
ip netns exec "$NS_A" timeout 30 baresip -f "$LAB_TMP/a" -t 25 -e "/dial sip:bob@$B_IP4" >"$LAB_TMP/a.out" 2>&1 &
LAB_PIDS+=($!)
sleep 5
baresip_cmd "$NS_A" "/hangup"
sleep 1.5
lab_capture_stop
grep -E "Call established|SRTP is Enabled|terminated|closed" "$LAB_TMP/a.out" >&2 || true
cp "$LAB_TMP/cap.pcap" "$OUT"
finish_capture "$OUT"
write_facts "$OUT" "$(baresip_version), both ends" \
    "SDES-SRTP call between two baresip instances (mediaenc=srtp-mand): a=crypto in cleartext SIP over UDP, SRTP with PCMU, RTCP APP PING packets before the answer"
