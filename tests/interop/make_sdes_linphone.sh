#!/bin/bash
# linphonec -> linphonec call with media_encryption=srtp on both sides, a few seconds of audio
# from a WAV file, hang-up. Output: sdes-linphone.pcap + sdes-linphone.facts.json.
source "$(dirname "$0")/lib.sh"
OUT="$INTEROP_DIR/sdes-linphone.pcap"
lab_up sdes
linphone_conf a srtp
linphone_conf b srtp
lab_capture_start "$LAB_TMP/cap.pcap"
linphone_call "sip:bob@$B_IP4" 4
lab_capture_stop
cp "$LAB_TMP/cap.pcap" "$OUT"
finish_capture "$OUT"
write_facts "$OUT" "$(linphone_version), both ends" \
    "SDES-SRTP call: a=crypto keys in cleartext SIP over UDP (RTP/SAVP), then SRTP both ways"
