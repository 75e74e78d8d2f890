#!/bin/bash
# linphonec -> kamailio -> linphonec WITHOUT a media relay: SIP goes through the proxy (two
# Record-Routes, one Via), the SDP is untouched and RTP flows phone to phone. The middle
# namespace is an IP router here (ip_forward=1), so the same RTP packets cross both wires.
# Plain RTP (media_encryption=none), the counterpart of relay-plain.
# Output: proxy-direct-media-leg-a/-leg-b/-merged.pcap, their .facts.json and .relay.json.
# Lab and package list: relay_lib.sh. Run as root.
source "$(dirname "$0")/relay_lib.sh"
BASE=proxy-direct-media
relay_up pdirect forward
kamailio_start
linphone_conf a none
linphone_conf b none
relay_capture_start
linphone_call "sip:bob@$R_A_IP4" 4
relay_capture_stop
relay_finish "$BASE"
relay_write_facts "$BASE" "$(linphone_version), both ends; $(relay_versions)" \
    "Plain RTP call through a SIP proxy without a media relay: kamailio record-routes and leaves the SDP alone; RTP goes directly between the phones' addresses (routed by the proxy's host, not relayed)"
relay_expect "$BASE" direct
