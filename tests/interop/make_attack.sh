#!/bin/bash
# linphonec -> kamailio -> linphonec with an attacker on the path of the media: the middle
# namespace routes the phones' media through tests/interop/media_mitm.py (IP forwarding off, the
# script forwards each datagram itself) instead of the kernel.
# ZRTP at both ends (output attack-zrtp-MODE-*):
#   make_attack.sh strip            ZRTP dropped in flight: no handshake, the media goes in clear
#   make_attack.sh hello-downgrade  the caller's Hello rewritten (DH3k -> DH2k, CRC recomputed)
#   make_attack.sh nohash-downgrade the same, and the proxy (kamailio -A STRIP_ZRTP_HASH) removes
#                                   a=zrtp-hash from the SDP so that the phones cannot check the
#                                   Hellos against it
# SDES-SRTP at both ends (output attack-srtp-inject-*):
#   make_attack.sh inject-rtp       five forged packets of the caller's SSRC injected towards the
#                                   callee, with the sequence numbers of the genuine ones to come
# Output: BASE-leg-a/-leg-b/-merged.pcap and their .facts.json; the attacker's log (what it
# dropped, changed or injected) as BASE.mitm.txt. Lab: relay_lib.sh. Run as root.
source "$(dirname "$0")/relay_lib.sh"
MODE="${1:?usage: make_attack.sh strip|hello-downgrade|nohash-downgrade|inject-rtp}"
BASE="attack-zrtp-$MODE"
encryption=zrtp
if [[ "$MODE" == inject-rtp ]]; then
    BASE=attack-srtp-inject
    encryption=srtp
fi
relay_up "mitm-${MODE%%-*}"
mitm_mode="$MODE"
if [[ "$MODE" == nohash-* ]]; then
    kamailio_start STRIP_ZRTP_HASH
    mitm_mode="hello-${MODE#nohash-}"
else
    kamailio_start
fi
ip netns exec "$NS_R" timeout 60 /usr/bin/python3 "$INTEROP_DIR/media_mitm.py" "$mitm_mode" ra rb "$A_IP4" "$B_IP4" \
    "$LAB_TMP/mitm.log" >"$LAB_TMP/mitm.out" 2>&1 &
LAB_PIDS+=($!)
sleep 2
linphone_conf a "$encryption"
linphone_conf b "$encryption"
relay_capture_start
linphone_call "sip:bob@$R_A_IP4" 4
relay_capture_stop
relay_finish "$BASE"
cp "$LAB_TMP/mitm.log" "$INTEROP_DIR/$BASE.mitm.txt"
chmod 644 "$INTEROP_DIR/$BASE.mitm.txt"
[[ -s "$INTEROP_DIR/$BASE.mitm.txt" ]] || { cat "$LAB_TMP/mitm.out" >&2; echo "the attacker did nothing" >&2; exit 1; }
case "$MODE" in
  inject-rtp) shows="RTP injected into an SDES-SRTP call: an attacker on the media path, without the keys, sends the callee five forged packets of the caller's SSRC carrying the next five sequence numbers and random bytes; the genuine packets of those numbers follow 20 ms apart. Leg B (and the merged view) holds both; leg A only the genuine ones" ;;
  strip) shows="ZRTP stripped in flight: an attacker on the media path drops every ZRTP packet both ways; each phone sees only its own Hellos, and the call goes on" ;;
  nohash-downgrade) shows="ZRTP downgrade by an attacker who controls the proxy and the media path: kamailio removes a=zrtp-hash from both SDP bodies, and the caller's Hello is rewritten in flight (key agreement DH3k -> DH2k, CRC-32C recomputed); the callee answers HelloACK, no side commits, and the call goes on in clear. Neither wire alone shows the edit; both together do (leg A holds the caller's a=zrtp-hash and its Hello as sent)" ;;
  hello-downgrade) shows="ZRTP Hello tampered in flight: an attacker on the media path rewrites the caller's Hello (key agreement DH3k -> DH2k) and recomputes its CRC-32C; the Hello no longer matches the caller's a=zrtp-hash nor its MAC" ;;
esac
relay_write_facts "$BASE" "$(linphone_version), both ends; $(relay_versions); attacker tests/interop/media_mitm.py (scapy $(pkg_version python3-scapy))" "$shows"
