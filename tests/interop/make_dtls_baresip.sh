#!/bin/bash
# baresip -> baresip call with mediaenc=dtls_srtp (DTLS-SRTP, UDP/TLS/RTP/SAVP) on both accounts, PCMU from a
# WAV file, hang-up by the caller. Output: dtls-baresip.pcap + dtls-baresip.facts.json.
source "$(dirname "$0")/lib.sh"
OUT="$INTEROP_DIR/dtls-baresip.pcap"
lab_up brdtls
make_tone "$LAB_TMP/tone.wav" 10
baresip_conf a "$A_IP4" alice dtls_srtp
baresip_conf b "$B_IP4" bob dtls_srtp
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
    "DTLS-SRTP call between two baresip instances (mediaenc=dtls_srtp): a=fingerprint and a=setup at SDP session level, DTLS handshake on the RTP port, SRTP with PCMU"
