#!/bin/bash
# linphonec -> kamailio + rtpengine -> linphonec, ZRTP at both ends (media_encryption=zrtp).
# rtpengine anchors the media and passes ZRTP, then SRTP, through untouched: the ZRTP handshake
# is end to end (a=zrtp-hash unchanged in SDP, the same ZRTP messages on both hops).
# Output: relay-zrtp-leg-a/-leg-b/-merged.pcap, their .facts.json, relay-zrtp.relay.json.
# Lab and package list: relay_lib.sh. Run as root.
source "$(dirname "$0")/relay_lib.sh"
BASE=relay-zrtp
relay_up rzrtp
rtpengine_start
kamailio_start WITH_RTPENGINE
linphone_conf a zrtp
linphone_conf b zrtp
relay_capture_start
linphone_call "sip:bob@$R_A_IP4" 4
relay_capture_stop
relay_finish "$BASE"
check_zrtp_complete "$INTEROP_DIR/$BASE-leg-a.pcap"
check_zrtp_complete "$INTEROP_DIR/$BASE-leg-b.pcap"
relay_write_facts "$BASE" "$(linphone_version), both ends; $(relay_versions rtpengine)" \
    "ZRTP call through a SIP proxy with a media relay: rtpengine anchors the media and forwards ZRTP (Hello..Conf2ACK) and the SRTP after it byte for byte; the key agreement is end to end between the phones"
relay_expect "$BASE" forwarded
