#!/bin/bash
# iaxmodem (Debian's, built on its own copy of libiax2) registers with a small IAX2 peer of ours
# (iax2_peer.py, standing in for the Asterisk Debian 12 lacks) and dials it: the peer answers
# with G.711 mu-law, both sides send voice for a few seconds, the peer hangs up. IAX2 without
# encryption (libiax2 has none). Output: iax2-iaxmodem.pcap + iax2-iaxmodem.facts.json.
source "$(dirname "$0")/lib.sh"
OUT="$INTEROP_DIR/iax2-iaxmodem.pcap"
CONFIG=/etc/iaxmodem/zaudit-interop  # iaxmodem reads its configuration from /etc/iaxmodem only
DEVICE=/dev/ttyIAXzi
trap 'rm -f "$CONFIG"; lab_cleanup' EXIT
lab_up iax2

mkdir -p /etc/iaxmodem
cat >"$CONFIG" <<EOF
device		$DEVICE
owner		root:root
mode		660
port		4570
refresh		60
server		$A_IP4
peername	iaxmodem
secret		interop
cidname		zaudit interop
cidnumber	5550100
codec		ulaw
EOF

lab_capture_start "$LAB_TMP/cap.pcap" "udp port 4569"
ip netns exec "$NS_A" /usr/bin/python3 "$INTEROP_DIR/iax2_peer.py" "$A_IP4" 4569 4 "$LAB_TMP/peer.log" &
LAB_PIDS+=("$!")
PEER_PID=$!
sleep 0.5
ip netns exec "$NS_B" iaxmodem zaudit-interop >"$LAB_TMP/iaxmodem.out" 2>&1 &
LAB_PIDS+=("$!")
for _ in $(seq 1 50); do
    grep -q "got type 6 subclass 13" "$LAB_TMP/peer.log" 2>/dev/null && [ -e "$DEVICE" ] && break
    sleep 0.1
done
sleep 0.5
# Dial through the modem's tty, as a fax or modem application would.
exec 3<>"$DEVICE"
printf 'ATDT100\r' >&3
wait "$PEER_PID" || true
exec 3>&-
sleep 0.5
lab_capture_stop
cat "$LAB_TMP/peer.log" >&2
cp "$LAB_TMP/cap.pcap" "$OUT"
finish_capture "$OUT"
write_facts "$OUT" "iaxmodem $(pkg_version iaxmodem) (its own libiax2) against tests/interop/iax2_peer.py; Debian $(cat /etc/debian_version)" \
    "IAX2 registration (REGREQ/REGACK) and a call dialled by iaxmodem: NEW, ACCEPT (mu-law), ANSWER, plain voice both ways (full then mini frames), HANGUP"
