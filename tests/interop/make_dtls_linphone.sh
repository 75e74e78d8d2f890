#!/bin/bash
# linphonec -> linphonec call with media_encryption=dtls on both sides, a few seconds of audio
# from a WAV file, hang-up. Output: dtls-linphone.pcap + dtls-linphone.facts.json.
source "$(dirname "$0")/lib.sh"
OUT="$INTEROP_DIR/dtls-linphone.pcap"
lab_up dtls
linphone_conf a dtls
linphone_conf b dtls
lab_capture_start "$LAB_TMP/cap.pcap"
linphone_call "sip:bob@$B_IP4" 4
lab_capture_stop
cp "$LAB_TMP/cap.pcap" "$OUT"
finish_capture "$OUT"
write_facts "$OUT" "$(linphone_version), both ends" \
    "DTLS-SRTP call: a=fingerprint/a=setup in SDP, DTLS 1.2 handshake with use_srtp on the RTP port, then SRTP"
