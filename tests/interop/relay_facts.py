#!/usr/bin/python3
"""Write <base>.relay.json: what the middle hop did to a call captured on two wires
(<base>-leg-a.pcap on the caller's side, <base>-leg-b.pcap on the callee's side), established
with tshark only (never with zaudit), plus the SDES keys a media relay logged.

usage: relay_facts.py BASE --caller IP --callee IP --relay IP_A,IP_B --ip-forward 0|1
                      --stack "..." --made-by make_x.sh --shows "..." [--relay-log KEYS.txt]

Packets of the two legs are paired by RTP SSRC and sequence number (ZRTP: SSRC and ZRTP
sequence; STUN: transaction id; RTCP: identical bytes only) and their UDP payloads compared.
Schema (version 1) is documented in tests/interop/README.md.
"""
import argparse
import base64
import json
import os
import re
import subprocess
import sys

TSHARK = ["tshark", "-n", "--enable-heuristic", "rtp_udp"]
PACKET_FIELDS = ["frame.number", "ip.src", "udp.srcport", "ip.dst", "udp.dstport", "rtp.ssrc", "rtp.seq",
                 "srtp.enc_payload", "zrtp.type", "zrtp.source_id", "zrtp.sequence", "stun.type", "stun.id",
                 "rtcp.pt", "srtcp.e", "udp.payload"]
SIP_FIELDS = ["frame.number", "ip.src", "ip.dst", "sip.Method", "sip.Status-Code", "sip.CSeq", "sip.Via",
              "sip.Record-Route", "sip.Route", "sip.Contact", "sdp.owner.address", "sdp.connection_info.address",
              "sdp.media.port", "sdp.media.proto", "sdp.media_attr"]


def tshark_rows(path, display_filter, names):
    cmd = TSHARK + ["-r", path, "-Y", display_filter, "-T", "fields", "-E", "separator=/t",
                    "-E", "aggregator=|", "-E", "occurrence=a"]
    for name in names:
        cmd += ["-e", name]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [dict(zip(names, line.split("\t"))) for line in out.splitlines()]


def split(value):
    return value.split("|") if value else []


def first_int(value, base=10):
    return int(value.split("|")[0], base) if value else None


def packets(path):
    """Every non-SIP UDP packet of a leg, classified as tshark dissects it."""
    out = []
    for r in tshark_rows(path, "udp and not sip", PACKET_FIELDS):
        pkt = {"frame": int(r["frame.number"]), "src": f"{r['ip.src']}:{r['udp.srcport']}",
               "dst": f"{r['ip.dst']}:{r['udp.dstport']}", "payload": r["udp.payload"].split("|")[0]}
        if r["zrtp.type"]:
            pkt.update(kind="zrtp", key=(first_int(r["zrtp.source_id"], 16), first_int(r["zrtp.sequence"])))
        elif r["stun.type"]:
            pkt.update(kind="stun", key=r["stun.id"].split("|")[0])
        elif r["rtp.ssrc"] and not (r["rtcp.pt"] or r["srtcp.e"]):
            pkt.update(kind="rtp", key=(first_int(r["rtp.ssrc"], 16), first_int(r["rtp.seq"])),
                       srtp=bool(r["srtp.enc_payload"]))
        else:
            # RTCP / SRTCP (tshark does not always recognise SRTCP on a relay's port): paired by bytes.
            pkt.update(kind="rtcp", key=pkt["payload"])
        out.append(pkt)
    return out


def sip_view(path):
    """Per SIP message: routing headers and the SDP addresses, as tshark shows them."""
    msgs = []
    for r in tshark_rows(path, "sip", SIP_FIELDS):
        m = {"frame": int(r["frame.number"]), "src": r["ip.src"], "dst": r["ip.dst"],
             "method": r["sip.Method"] or None, "status": int(r["sip.Status-Code"]) if r["sip.Status-Code"] else None,
             "cseq": r["sip.CSeq"], "via": split(r["sip.Via"]), "record_route": split(r["sip.Record-Route"]), "route": split(r["sip.Route"]),
             "contact": r["sip.Contact"] or None}
        if r["sdp.owner.address"]:
            attrs = split(r["sdp.media_attr"])
            m["sdp"] = {"origin_address": r["sdp.owner.address"], "connection": split(r["sdp.connection_info.address"]),
                        "media_ports": [int(p) for p in split(r["sdp.media.port"])],
                        "profiles": split(r["sdp.media.proto"]),
                        "crypto": [a[len("crypto:"):] for a in attrs if a.startswith("crypto:")],
                        "zrtp_hash": [a[len("zrtp-hash:"):] for a in attrs if a.startswith("zrtp-hash:")]}
        msgs.append(m)
    return msgs


def key_bytes(crypto):
    """'1 AES_CM_128_HMAC_SHA1_80 inline:KEY|...' -> master key || salt (base64 padding optional)."""
    m = re.search(r"inline:([A-Za-z0-9+/=]+)", crypto)
    if not m:
        return None
    b64 = m.group(1).rstrip("=")
    return base64.b64decode(b64 + "=" * (-len(b64) % 4))


def sdes_keys(msgs):
    """RFC 4568: the offerer sends with the offer's key of the tag the answer picked, the answerer
    with the answer's key. Returns (offerer's crypto line, answerer's crypto line) or Nones."""
    offer = next((m["sdp"] for m in msgs if m["method"] == "INVITE" and "sdp" in m), None)
    answer = next((m["sdp"] for m in msgs if m["status"] in (183, 200) and "sdp" in m
                   and m["cseq"].endswith("INVITE")), None)
    if not offer or not answer or not answer["crypto"]:
        return None, answer["crypto"][0] if answer and answer["crypto"] else None
    tag = answer["crypto"][0].split()[0]
    used = next((c for c in offer["crypto"] if c.split()[0] == tag), None)
    return used, answer["crypto"][0]


def relay_log_keys(path):
    """master key || salt (base64) of every 'Initialized ... SRTP with SDES crypto params' line."""
    keys = set()
    if not path:
        return None
    with open(path) as f:
        for line in f:
            m = re.search(r"SDES crypto params: suite (\S+), tag \d+, key (\S+) salt (\S+)", line)
            if m:
                keys.add(base64.b64encode(base64.b64decode(m.group(2)) + base64.b64decode(m.group(3))).decode())
    return sorted(keys)


def compare_kind(pa, pb, kind):
    a = {p["key"]: p for p in pa if p["kind"] == kind}
    b = {p["key"]: p for p in pb if p["kind"] == kind}
    both = set(a) & set(b)
    return a, b, both, sum(1 for k in both if a[k]["payload"] == b[k]["payload"])


def rtp_streams(pa, pb, caller):
    a, b, both, _ = compare_kind(pa, pb, "rtp")
    streams = []
    for ssrc in sorted({k[0] for k in a} | {k[0] for k in b}):
        ka = [k for k in a if k[0] == ssrc]
        kb = [k for k in b if k[0] == ssrc]
        matched = [k for k in ka if k in both]
        one_a = a[ka[0]] if ka else None
        one_b = b[kb[0]] if kb else None
        same = [k for k in matched if a[k]["payload"] == b[k]["payload"]]
        deltas = sorted({(len(a[k]["payload"]) - len(b[k]["payload"])) // 2 for k in matched})
        srtp_a = any(a[k]["srtp"] for k in ka)
        srtp_b = any(b[k]["srtp"] for k in kb)
        outbound = bool(one_a) and one_a["src"].startswith(caller + ":")
        # What the middle hop did in the direction of travel: from the sender's leg to the receiver's.
        srtp_in, srtp_out = (srtp_a, srtp_b) if outbound else (srtp_b, srtp_a)
        if not matched:
            transform = None
        elif len(same) == len(matched):
            transform = "identical"
        elif srtp_in != srtp_out:
            transform = "srtp-to-rtp" if srtp_in else "rtp-to-srtp"
        else:
            transform = "srtp-re-encrypted" if srtp_in else "rtp-rewritten"
        streams.append({
            "ssrc": "0x%08x" % ssrc,
            "direction": "caller-to-callee" if outbound else "callee-to-caller",
            "leg_a": {"src": one_a["src"], "dst": one_a["dst"], "packets": len(ka), "srtp": srtp_a} if one_a else None,
            "leg_b": {"src": one_b["src"], "dst": one_b["dst"], "packets": len(kb), "srtp": srtp_b} if one_b else None,
            "matched_ssrc_seq": len(matched),
            "identical_udp_payload": len(same),
            "same_rtp_header": sum(1 for k in matched if a[k]["payload"][:24] == b[k]["payload"][:24]),
            "length_delta_a_minus_b": deltas,
            "transform": transform,
        })
    return streams, len(a), len(b), len(both)


def media_verdict(streams, anchored):
    transforms = {s["transform"] for s in streams if s["transform"]}
    if not transforms:
        return None
    if transforms == {"identical"}:
        return "forwarded" if anchored else "direct"
    if transforms <= {"srtp-to-rtp", "rtp-to-srtp"}:
        return "decrypted-to-plain"
    if transforms <= {"srtp-re-encrypted", "identical"}:
        return "re-encrypted"
    return "rewritten"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("--caller", required=True)
    ap.add_argument("--callee", required=True)
    ap.add_argument("--relay", required=True, help="relay addresses on the caller's and on the callee's side")
    ap.add_argument("--ip-forward", type=int, required=True)
    ap.add_argument("--stack", required=True)
    ap.add_argument("--made-by", required=True)
    ap.add_argument("--shows", required=True)
    ap.add_argument("--relay-log")
    args = ap.parse_args()
    relay_a, relay_b = args.relay.split(",")
    leg_a, leg_b = args.base + "-leg-a.pcap", args.base + "-leg-b.pcap"
    pa, pb = packets(leg_a), packets(leg_b)
    sip_a, sip_b = sip_view(leg_a), sip_view(leg_b)

    streams, n_a, n_b, n_both = rtp_streams(pa, pb, args.caller)
    ends_a = {e.rsplit(":", 1)[0] for s in streams if s["leg_a"] for e in (s["leg_a"]["src"], s["leg_a"]["dst"])}
    ends_b = {e.rsplit(":", 1)[0] for s in streams if s["leg_b"] for e in (s["leg_b"]["src"], s["leg_b"]["dst"])}
    anchored = bool(ends_a) and ends_a == {args.caller, relay_a} and ends_b == {args.callee, relay_b}
    za, zb, zboth, zsame = compare_kind(pa, pb, "zrtp")
    sa, sb, sboth, _ = compare_kind(pa, pb, "stun")
    ca, cb, cboth, _ = compare_kind(pa, pb, "rtcp")
    offer_a, answer_a = sdes_keys(sip_a)
    offer_b, answer_b = sdes_keys(sip_b)
    logged = relay_log_keys(args.relay_log)

    def key_fact(line_a, line_b):
        if not line_a and not line_b:
            return None
        ka, kb = (key_bytes(x) if x else None for x in (line_a, line_b))
        fact = {"leg_a": line_a, "leg_b": line_b, "same_key": ka is not None and ka == kb}
        if logged is not None:
            fact["leg_a_in_relay_log"] = bool(ka) and base64.b64encode(ka).decode() in logged
            fact["leg_b_in_relay_log"] = bool(kb) and base64.b64encode(kb).decode() in logged
        return fact

    facts = {
        "schema": 1,
        "legs": {"a": os.path.basename(leg_a), "b": os.path.basename(leg_b),
                 "merged": os.path.basename(args.base + "-merged.pcap")},
        "stack": args.stack, "made_by": args.made_by, "shows": args.shows,
        "established_with": {"tshark": subprocess.run(["tshark", "--version"], capture_output=True, text=True)
                             .stdout.split("\n")[0], "options": TSHARK[1:],
                             "relay_log": os.path.basename(args.relay_log) if args.relay_log else None},
        "nodes": {"caller": args.caller, "relay_caller_side": relay_a, "relay_callee_side": relay_b,
                  "callee": args.callee, "relay_ip_forward": bool(args.ip_forward)},
        "relay": {
            "anchor": f"{relay_a}/{relay_b}" if anchored else None,
            "anchor_endpoints": {"leg_a": sorted({e for s in streams if s["leg_a"] for e in (s["leg_a"]["src"], s["leg_a"]["dst"])
                                                  if e.startswith(relay_a + ":")}),
                                 "leg_b": sorted({e for s in streams if s["leg_b"] for e in (s["leg_b"]["src"], s["leg_b"]["dst"])
                                                  if e.startswith(relay_b + ":")})},
            "media": media_verdict(streams, anchored),
            "same_ssrc_seq_on_both_legs": n_a > 0 and n_a == n_b == n_both,
            "rtp_packets": {"leg_a": n_a, "leg_b": n_b, "matched": n_both},
        },
        "rtp_streams": streams,
        "zrtp": {"leg_a": len(za), "leg_b": len(zb), "matched_ssrc_sequence": len(zboth), "identical_udp_payload": zsame},
        "stun": {"leg_a": len(sa), "leg_b": len(sb), "same_transaction_id_on_both_legs": len(sboth)},
        "rtcp": {"leg_a": len(ca), "leg_b": len(cb), "identical_udp_payload": len(cboth)},
        "sdes": {"caller_to_callee": key_fact(offer_a, offer_b), "callee_to_caller": key_fact(answer_a, answer_b),
                 "relay_logged_keys": logged},
        "sip": {"leg_a": sip_a, "leg_b": sip_b},
    }
    out = args.base + ".relay.json"
    with open(out, "w") as f:
        json.dump(facts, f, indent=1)
        f.write("\n")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
