#!/bin/bash
# linphonec -> kamailio -> linphonec, ZRTP at both ends, with an attacker on the path of the media:
# the middle namespace routes the phones' media through tests/interop/zrtp_mitm.py (IP forwarding
# off, the script forwards each datagram itself) instead of the kernel.
#   make_attack_zrtp.sh strip            ZRTP dropped in flight: no handshake, the media goes in clear
#   make_attack_zrtp.sh hello-downgrade  the caller's Hello rewritten (DH3k -> DH2k, CRC recomputed)
#   make_attack_zrtp.sh nohash-downgrade the same, and the proxy (kamailio -A STRIP_ZRTP_HASH)
#                                        removes a=zrtp-hash from the SDP so that the phones cannot
#                                        check the Hellos against it
# Output: attack-zrtp-MODE-leg-a/-leg-b/-merged.pcap and their .facts.json; the attacker's log
# (what it dropped or changed) as attack-zrtp-MODE.mitm.txt. Lab: relay_lib.sh. Run as root.
source "$(dirname "$0")/relay_lib.sh"
MODE="${1:?usage: make_attack_zrtp.sh strip|hello-downgrade|nohash-downgrade}"
BASE="attack-zrtp-$MODE"
relay_up "mitm-${MODE%%-*}"
mitm_mode="$MODE"
if [[ "$MODE" == nohash-* ]]; then
    kamailio_start STRIP_ZRTP_HASH
    mitm_mode="hello-${MODE#nohash-}"
else
    kamailio_start
fi
ip netns exec "$NS_R" timeout 60 /usr/bin/python3 "$INTEROP_DIR/zrtp_mitm.py" "$mitm_mode" ra rb "$A_IP4" "$B_IP4" \
    "$LAB_TMP/mitm.log" >"$LAB_TMP/mitm.out" 2>&1 &
LAB_PIDS+=($!)
sleep 2
linphone_conf a zrtp
linphone_conf b zrtp
relay_capture_start
linphone_call "sip:bob@$R_A_IP4" 4
relay_capture_stop
relay_finish "$BASE"
cp "$LAB_TMP/mitm.log" "$INTEROP_DIR/$BASE.mitm.txt"
chmod 644 "$INTEROP_DIR/$BASE.mitm.txt"
[[ -s "$INTEROP_DIR/$BASE.mitm.txt" ]] || { cat "$LAB_TMP/mitm.out" >&2; echo "the attacker did nothing" >&2; exit 1; }
case "$MODE" in
  strip) shows="ZRTP stripped in flight: an attacker on the media path drops every ZRTP packet both ways; each phone sees only its own Hellos, and the call goes on" ;;
  nohash-downgrade) shows="ZRTP downgrade by an attacker who controls the proxy and the media path: kamailio removes a=zrtp-hash from both SDP bodies, and the caller's Hello is rewritten in flight (key agreement DH3k -> DH2k, CRC-32C recomputed); the callee answers HelloACK, no side commits, and the call goes on in clear. Neither wire alone shows the edit; both together do (leg A holds the caller's a=zrtp-hash and its Hello as sent)" ;;
  hello-downgrade) shows="ZRTP Hello tampered in flight: an attacker on the media path rewrites the caller's Hello (key agreement DH3k -> DH2k) and recomputes its CRC-32C; the Hello no longer matches the caller's a=zrtp-hash nor its MAC" ;;
esac
relay_write_facts "$BASE" "$(linphone_version), both ends; $(relay_versions); attacker tests/interop/zrtp_mitm.py (scapy $(pkg_version python3-scapy))" "$shows"
