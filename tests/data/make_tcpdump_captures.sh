#!/usr/bin/env bash
# Re-creates the captures written by tcpdump (an independent pcap writer) used by the reader
# tests: UDP over IPv4 and IPv6 on loopback (Ethernet framing), and the same via "any" (SLL2).
# Needs root. Expected: tcpdump-lo.pcap 9 packets, tcpdump-any-sll2.pcap 6 packets.
set -euo pipefail
cd "$(dirname "$0")"
timeout 6 tcpdump -i lo -U -s 0 -w tcpdump-lo.pcap 'udp port 5999 or udp port 5998' &
timeout 6 tcpdump -i any -U -s 0 -w tcpdump-any-sll2.pcap 'udp port 5999' &
sleep 1.5
for i in 1 2 3 4 5; do echo "hello $i" > /dev/udp/127.0.0.1/5999; done
python3 - <<'PY'
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
for i in range(3):
    s.sendto(b'v6 datagram %d' % i, ('::1', 5998))
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x' * 3000, ('127.0.0.1', 5999))
PY
wait
