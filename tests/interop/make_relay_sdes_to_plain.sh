#!/bin/bash
# linphonec (SDES, media_encryption=srtp) -> kamailio + rtpengine -> linphonec (plain, none).
# kamailio adds the RTP/AVP flag to rtpengine_offer (-A TO_PLAIN): the callee gets a plain
# RTP/AVP offer without a=crypto, rtpengine answers the caller with its own a=crypto key, and
# decrypts / encrypts between the hops. Its key log: relay-sdes-to-plain.rtpengine-keys.txt.
# Output: relay-sdes-to-plain-leg-a/-leg-b/-merged.pcap, their .facts.json and .relay.json.
# Lab and package list: relay_lib.sh. Run as root.
source "$(dirname "$0")/relay_lib.sh"
BASE=relay-sdes-to-plain
relay_up rs2p
rtpengine_start
kamailio_start WITH_RTPENGINE TO_PLAIN
linphone_conf a srtp
linphone_conf b none
relay_capture_start
linphone_call "sip:bob@$R_A_IP4" 4
relay_capture_stop
relay_finish "$BASE"
relay_keys "$BASE"
relay_write_facts "$BASE" "caller $(linphone_version) with srtp, callee the same with none; $(relay_versions rtpengine)" \
    "SDES-SRTP on the caller's hop, plain RTP on the callee's hop: rtpengine (offer flag RTP/AVP) strips a=crypto toward the callee, answers the caller with its own key, and decrypts/encrypts media (same SSRC and sequence numbers, SRTP 10 bytes longer on leg A)"
relay_expect "$BASE" decrypted-to-plain
