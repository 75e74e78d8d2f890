#!/bin/bash
# linphonec -> linphonec ZRTP call over IPv6 (use_ipv6=1, ULA addresses fd77::1 / fd77::2).
# Output: zrtp-linphone-ipv6.pcap + .facts.json. Captures all IP traffic (ip6 fragments and
# neighbour discovery included) because BPF "udp" does not match IPv6 fragments.
source "$(dirname "$0")/lib.sh"
OUT="$INTEROP_DIR/zrtp-linphone-ipv6.pcap"
lab_up ipv6
LINPHONE_IPV6=1
linphone_conf a zrtp
linphone_conf b zrtp
lab_capture_start "$LAB_TMP/cap.pcap" "ip or ip6"
linphone_call "sip:bob@[$B_IP6]" 4
lab_capture_stop
cp "$LAB_TMP/cap.pcap" "$OUT"
finish_capture "$OUT"
check_zrtp_complete "$OUT"
write_facts "$OUT" "$(linphone_version), both ends" \
    "ZRTP call over IPv6: SIP over UDP/IPv6 with c=IN IP6, ZRTP then SRTP over IPv6"
