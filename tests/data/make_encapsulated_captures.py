#!/usr/bin/python3
"""Wraps a real call in the encapsulations of port mirrors, overlays and access links.

From tests/interop/sipp-echo.pcap (sipp's uac_pcap calling uas -rtp_echo) it keeps the SIP
and the first 30 RTP packets each way, then writes, under encapsulated/, that call as it stands
(plain.pcap) and each IP packet of it inside one encapsulation, built by scapy 2.5 (Debian's
python3-scapy), an implementation independent of zaudit:

  gre.pcap        IPv4 in GRE (RFC 2784) with a key, over IPv4
  gretap.pcap     the Ethernet frame in GRE (transparent Ethernet bridging) with a sequence number
  erspan2.pcap    ERSPAN type II (GRE with sequence number, 8-byte header), VLAN-tagged frame
  erspan3.pcap    ERSPAN type III (12-byte header), over IPv6
  vxlan.pcap      VXLAN (RFC 7348, UDP 4789, VNI 42)
  ipip.pcap       IPv4 in IPv4 (RFC 2003)
  mpls.pcap       two MPLS labels (RFC 3032)
  pppoe.pcap      PPPoE session stage (RFC 2516), PPP's protocol field compressed to one byte
                  (scapy's choice for 0x0021)

Each output is then read back with tshark, which must find in it the same UDP datagrams (ports
and payloads, innermost layer) as in plain.pcap. Run by hand (never by the tests or CI):
tests/data/make_encapsulated_captures.py; needs python3-scapy and tshark.
"""
import os
import subprocess
import sys

from scapy.all import (GRE, IP, IPv6, PPP, PPPoE, UDP, VXLAN, Dot1Q, Ether, rdpcap,
                       wrpcap)
from scapy.contrib.erspan import ERSPAN_II, ERSPAN_III
from scapy.contrib.mpls import MPLS

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "interop", "sipp-echo.pcap")
OUT = os.path.join(HERE, "encapsulated")
RTP_PER_DIRECTION = 30

MAC_A, MAC_B = "02:00:00:00:00:0a", "02:00:00:00:00:0b"
V4_A, V4_B = "192.0.2.1", "192.0.2.2"
V6_A, V6_B = "2001:db8::1", "2001:db8::2"


def the_call():
    kept, rtp = [], {}
    for frame in rdpcap(SOURCE):
        udp = frame[UDP]
        if udp.sport == 5060 or udp.dport == 5060:
            kept.append(frame)
            continue
        key = (udp.sport, frame[IP].src)
        rtp[key] = rtp.get(key, 0) + 1
        if rtp[key] <= RTP_PER_DIRECTION:
            kept.append(frame)
    return kept


def wrap(frame, kind, i):
    ip = frame[IP]
    if kind == "plain":
        return frame
    if kind == "gre":
        return Ether(src=MAC_A, dst=MAC_B) / IP(src=V4_A, dst=V4_B) / GRE(key_present=1, key=7) / ip
    if kind == "gretap":
        return (Ether(src=MAC_A, dst=MAC_B) / IP(src=V4_A, dst=V4_B) / GRE(seqnum_present=1, seqence_number=i) /
                frame)
    if kind == "erspan2":
        inner = Ether(src=frame.src, dst=frame.dst) / Dot1Q(vlan=100) / ip
        return (Ether(src=MAC_A, dst=MAC_B) / IP(src=V4_A, dst=V4_B) / GRE(seqnum_present=1, seqence_number=i) /
                ERSPAN_II(ver=1, session_id=5) / inner)
    if kind == "erspan3":
        return (Ether(src=MAC_A, dst=MAC_B, type=0x86dd) / IPv6(src=V6_A, dst=V6_B) / GRE(seqnum_present=1, seqence_number=i) /
                ERSPAN_III(ver=2, session_id=6) / frame)
    if kind == "vxlan":
        return (Ether(src=MAC_A, dst=MAC_B) / IP(src=V4_A, dst=V4_B) / UDP(sport=49152 + i % 1000, dport=4789) /
                VXLAN(flags=0x08, vni=42) / frame)
    if kind == "ipip":
        return Ether(src=MAC_A, dst=MAC_B) / IP(src=V4_A, dst=V4_B, proto=4) / ip
    if kind == "mpls":
        return Ether(src=MAC_A, dst=MAC_B) / MPLS(label=1000, s=0, ttl=64) / MPLS(label=2000, s=1, ttl=64) / ip
    if kind == "pppoe":
        return Ether(src=MAC_A, dst=MAC_B) / PPPoE(sessionid=0x1234) / PPP(proto=0x0021) / ip
    raise ValueError(kind)


def udp_datagrams(path):
    """(source port, destination port, payload) of every innermost UDP datagram, as tshark reads it."""
    out = subprocess.run(["tshark", "-n", "-r", path, "-Y", "udp", "-T", "fields", "-E", "occurrence=l",
                          "-e", "udp.srcport", "-e", "udp.dstport", "-e", "udp.payload"],
                         check=True, capture_output=True, text=True).stdout
    return [tuple(line.split("\t")) for line in out.splitlines()]


def main():
    os.makedirs(OUT, exist_ok=True)
    call = the_call()
    kinds = ["plain", "gre", "gretap", "erspan2", "erspan3", "vxlan", "ipip", "mpls", "pppoe"]
    for kind in kinds:
        frames = []
        for i, frame in enumerate(call):
            packet = wrap(frame, kind, i)
            packet.time = frame.time
            frames.append(packet)
        wrpcap(os.path.join(OUT, kind + ".pcap"), frames, linktype=1)
    expected = udp_datagrams(os.path.join(OUT, "plain.pcap"))
    for kind in kinds[1:]:
        seen = udp_datagrams(os.path.join(OUT, kind + ".pcap"))
        if seen != expected:
            sys.exit(f"{kind}.pcap: tshark reads other UDP datagrams than in plain.pcap")
        print(f"{kind}.pcap: {len(seen)} datagrams, as tshark reads them")


if __name__ == "__main__":
    main()
