#!/bin/bash
# linphonec -> linphonec ZRTP call on a link with MTU 576, so the INVITE and the 200 OK (with SDP
# and a=zrtp-hash) leave as IPv4 fragments. Output: zrtp-linphone-mtu576.pcap + .facts.json.
source "$(dirname "$0")/lib.sh"
OUT="$INTEROP_DIR/zrtp-linphone-mtu576.pcap"
lab_up mtu 576
linphone_conf a zrtp
linphone_conf b zrtp
lab_capture_start "$LAB_TMP/cap.pcap" "ip or ip6"
linphone_call "sip:bob@$B_IP4" 4
lab_capture_stop
cp "$LAB_TMP/cap.pcap" "$OUT"
finish_capture "$OUT"
check_zrtp_complete "$OUT"
write_facts "$OUT" "$(linphone_version), both ends; veth MTU 576" \
    "ZRTP call over a 576-byte MTU link: INVITE and 200 OK arrive as IPv4 fragments and must be reassembled before SIP/SDP parsing"
