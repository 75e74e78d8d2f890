#!/bin/bash
# linphonec -> linphonec call, ZRTP on both sides with default algorithms, a few seconds of
# Opus audio from a WAV file, hang-up. Output: zrtp-linphone.pcap + zrtp-linphone.facts.json.
source "$(dirname "$0")/lib.sh"
OUT="$INTEROP_DIR/zrtp-linphone.pcap"
lab_up zrtp
linphone_conf a zrtp
linphone_conf b zrtp
lab_capture_start "$LAB_TMP/cap.pcap"
linphone_call "sip:bob@$B_IP4" 4
lab_capture_stop
cp "$LAB_TMP/cap.pcap" "$OUT"
finish_capture "$OUT"
check_zrtp_complete "$OUT"
write_facts "$OUT" "$(linphone_version), both ends" \
    "ZRTP first-contact handshake (no cached secrets) with default algorithms, then SRTP; SIP over UDP with a=zrtp-hash"
