#!/bin/bash
# linphonec -> linphonec call with media_encryption=none on both sides, a few seconds of audio
# from a WAV file, hang-up. Output: plain-linphone.pcap + plain-linphone.facts.json.
source "$(dirname "$0")/lib.sh"
OUT="$INTEROP_DIR/plain-linphone.pcap"
lab_up plain
linphone_conf a none
linphone_conf b none
lab_capture_start "$LAB_TMP/cap.pcap"
linphone_call "sip:bob@$B_IP4" 4
lab_capture_stop
cp "$LAB_TMP/cap.pcap" "$OUT"
finish_capture "$OUT"
write_facts "$OUT" "$(linphone_version), both ends" \
    "Plain RTP call (media_encryption=none): SIP over UDP, clear Opus RTP both ways"
