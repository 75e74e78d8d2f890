#!/bin/bash
# linphonec -> kamailio + rtpengine -> linphonec, plain RTP (media_encryption=none at both ends).
# rtpengine (userspace) anchors the media on 10.78.1.254 / 10.78.2.254 and forwards it.
# Output: relay-plain-leg-a.pcap (caller's wire), relay-plain-leg-b.pcap (callee's wire),
# relay-plain-merged.pcap (mergecap -F pcap of both), a .facts.json for each and
# relay-plain.relay.json. Lab and package list: relay_lib.sh. Run as root.
source "$(dirname "$0")/relay_lib.sh"
BASE=relay-plain
relay_up rplain
rtpengine_start
kamailio_start WITH_RTPENGINE
linphone_conf a none
linphone_conf b none
relay_capture_start
linphone_call "sip:bob@$R_A_IP4" 4
relay_capture_stop
relay_finish "$BASE"
relay_write_facts "$BASE" "$(linphone_version), both ends; $(relay_versions rtpengine)" \
    "Plain RTP call through a SIP proxy with a media relay: kamailio record-routes, rtpengine rewrites c=/o=/m= to its own address on each side and forwards RTP (same SSRC, sequence numbers and bytes on both hops)"
relay_expect "$BASE" forwarded
