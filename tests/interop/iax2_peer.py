#!/usr/bin/python3
"""A minimal IAX2 peer (RFC 5456) for make_iax2_iaxmodem.sh: the server side iaxmodem expects
of an Asterisk. It acknowledges registrations (REGACK), answers one call (ACCEPT with G.711
mu-law, ANSWER), sends SECONDS of mu-law voice (a full voice frame, then mini frames every
20 ms), hangs up and exits. No authentication and no encryption: iaxmodem's libiax2 has none.

usage: iax2_peer.py ADDRESS PORT SECONDS LOG
"""
import math
import select
import socket
import struct
import sys
import time

IAX_CONTROL, CONTROL, VOICE = 6, 4, 2
NEW, PING, PONG, ACK, HANGUP, ACCEPT, LAGRQ, LAGRP, REGREQ, REGACK = 1, 2, 3, 4, 5, 7, 11, 12, 13, 15
ANSWER = 4
IE_USERNAME, IE_FORMAT, IE_REFRESH, IE_CAUSE = 6, 9, 19, 22
ULAW = 0x04


def ulaw(sample):
    """G.711 mu-law of a 16-bit sample (ITU-T G.711)."""
    sign = 0x80 if sample < 0 else 0
    magnitude = min(abs(sample), 32635) + 0x84
    exponent = max(0, magnitude.bit_length() - 8)
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | exponent << 4 | mantissa) & 0xFF


def tone(first_sample, count, hz=2100.0):
    """The V.25 answer tone a modem answering a call would play, 8 kHz."""
    return bytes(ulaw(int(8000 * math.sin(2 * math.pi * hz * (first_sample + n) / 8000))) for n in range(count))


def ie(kind, value):
    return struct.pack("!BB", kind, len(value)) + value


class Call:
    def __init__(self, ours, theirs, address):
        self.ours, self.theirs, self.address = ours, theirs, address
        self.oseq, self.iseq = 0, 0
        self.start = time.monotonic()

    def ts(self):
        return int((time.monotonic() - self.start) * 1000)


def main():
    address, port, seconds, log_path = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    log = open(log_path, "w", buffering=1)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((address, port))
    calls = {}  # (address, their call number) -> Call
    next_call = 1
    media = None  # the answered call
    answered_at = 0.0
    samples_sent = 0
    hung_up = False
    deadline = time.monotonic() + 60

    def send_full(call, frame_type, subclass, body=b"", ts=None, is_ack=False):
        header = struct.pack("!HHIBBBB", 0x8000 | call.ours, call.theirs, call.ts() if ts is None else ts,
                             call.oseq, call.iseq, frame_type, subclass)
        sock.sendto(header + body, call.address)
        if not is_ack:
            call.oseq = (call.oseq + 1) & 0xFF
        log.write(f"sent type {frame_type} subclass {subclass} to call {call.theirs}\n")

    while time.monotonic() < deadline:
        ready, _, _ = select.select([sock], [], [], 0.005)
        if ready:
            data, sender = sock.recvfrom(4096)
            if len(data) >= 12 and data[0] & 0x80:
                source, destination, ts, oseq, iseq, frame_type, subclass = struct.unpack("!HHIBBBB", data[:12])
                source &= 0x7FFF
                key = (sender, source)
                call = calls.get(key)
                if call is None:
                    call = calls[key] = Call(next_call, source, sender)
                    next_call += 1
                log.write(f"got type {frame_type} subclass {subclass} from call {source} ts {ts} oseq {oseq}\n")
                if frame_type == IAX_CONTROL and subclass == ACK:
                    if hung_up and call is media:
                        break
                    continue
                call.iseq = (oseq + 1) & 0xFF
                send_full(call, IAX_CONTROL, ACK, ts=ts, is_ack=True)
                if frame_type == IAX_CONTROL and subclass == REGREQ:
                    send_full(call, IAX_CONTROL, REGACK,
                              ie(IE_USERNAME, b"iaxmodem") + ie(IE_REFRESH, struct.pack("!H", 60)))
                elif frame_type == IAX_CONTROL and subclass == NEW and media is None:
                    send_full(call, IAX_CONTROL, ACCEPT, ie(IE_FORMAT, struct.pack("!I", ULAW)))
                    send_full(call, CONTROL, ANSWER)
                    media, answered_at = call, time.monotonic()
                elif frame_type == IAX_CONTROL and subclass == PING:
                    send_full(call, IAX_CONTROL, PONG, ts=ts)
                elif frame_type == IAX_CONTROL and subclass == LAGRQ:
                    send_full(call, IAX_CONTROL, LAGRP, ts=ts)
                elif frame_type == IAX_CONTROL and subclass == HANGUP and call is media:
                    break
        if media is not None and not hung_up:
            elapsed = time.monotonic() - answered_at
            while samples_sent < int(elapsed * 8000) // 160 * 160:
                voice = tone(samples_sent, 160)
                ts = media.ts()
                if samples_sent == 0:
                    send_full(media, VOICE, ULAW, voice)
                else:
                    sock.sendto(struct.pack("!HH", media.ours, ts & 0xFFFF) + voice, media.address)
                samples_sent += 160
            if elapsed >= seconds:
                send_full(media, IAX_CONTROL, HANGUP, ie(IE_CAUSE, b"Normal Clearing"))
                hung_up = True
    log.write(f"done: {samples_sent // 160} voice frames sent\n")


if __name__ == "__main__":
    main()
