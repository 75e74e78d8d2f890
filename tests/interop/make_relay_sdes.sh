#!/bin/bash
# linphonec -> kamailio + rtpengine -> linphonec, SDES-SRTP at both ends (media_encryption=srtp).
# rtpengine passes the caller's a=crypto on to the callee (and adds its own, see README), the
# callee picks the caller's tag 1, and rtpengine forwards SRTP in passthrough: the same keys on
# both legs, the same SRTP bytes. Its key log is kept in relay-sdes.rtpengine-keys.txt.
# Output: relay-sdes-leg-a/-leg-b/-merged.pcap, their .facts.json, relay-sdes.relay.json.
# Lab and package list: relay_lib.sh. Run as root.
source "$(dirname "$0")/relay_lib.sh"
BASE=relay-sdes
relay_up rsdes
rtpengine_start
kamailio_start WITH_RTPENGINE
linphone_conf a srtp
linphone_conf b srtp
relay_capture_start
linphone_call "sip:bob@$R_A_IP4" 4
relay_capture_stop
relay_finish "$BASE"
relay_keys "$BASE"
relay_write_facts "$BASE" "$(linphone_version), both ends; $(relay_versions rtpengine)" \
    "SDES-SRTP call through a SIP proxy with a media relay in SRTP passthrough: the callee gets the caller's a=crypto (plus rtpengine's own extra suites), answers with tag 1; rtpengine anchors the media and forwards SRTP unchanged (same keys, SSRC, sequence numbers and bytes on both hops)"
relay_expect "$BASE" forwarded
