#!/usr/bin/python3
"""Write <capture>.facts.json: facts about an interop capture, established with
capinfos and tshark only (never with zaudit), so zaudit's parsers can be checked
against an independent decoder.

usage: facts.py CAPTURE --stack "..." --made-by make_x.sh --shows "..." [--decode-as X ...]

Schema (version 1) is documented in tests/interop/README.md.
"""
import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

TSHARK = ["tshark", "-n", "--enable-heuristic", "rtp_udp"]


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def tool_version(cmd, pattern):
    out = subprocess.run(cmd, capture_output=True, text=True)
    m = re.search(pattern, out.stdout + out.stderr)
    return m.group(1) if m else None


def hex_text(value):
    return bytes.fromhex(value).decode("utf-8", "replace") if value else ""


def capinfos(path):
    out = run(["capinfos", "-M", "-c", "-t", "-E", "-u", path])
    facts = {}
    for line in out.splitlines():
        key, _, val = line.partition(":")
        key, val = key.strip(), val.strip()
        if key == "Number of packets":
            facts["packets"] = int(val.split()[0])
        elif key == "File type":
            facts["file_type"] = val
        elif key == "File encapsulation":
            facts["encapsulation"] = val
        elif key == "Capture duration":
            facts["duration_s"] = round(float(val.split()[0]), 3)
    return facts


def sip_stat(path, extra):
    out = run(TSHARK + extra + ["-r", path, "-q", "-z", "sip,stat"])
    stat = {"messages": 0, "resent": 0, "responses": {}, "requests": {}}
    section = None
    for line in out.splitlines():
        if m := re.match(r"Number of SIP messages: (\d+)", line):
            stat["messages"] = int(m.group(1))
        elif m := re.match(r"Number of resent SIP messages: (\d+)", line):
            stat["resent"] = int(m.group(1))
        elif "Status Codes" in line:
            section = "responses"
        elif "Request methods" in line:
            section = "requests"
        elif line.startswith("*"):
            section = None
        elif section and (m := re.match(r"\s+(.+?)\s*:\s*(\d+) Packets", line)):
            key = m.group(1)
            if section == "responses":
                key = key.split()[1]  # "SIP 200 OK" -> "200"
            stat[section][key] = int(m.group(2))
    return stat


RTP_ROW = re.compile(
    r"^\s*([\d.]+)\s+([\d.]+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)\s+(0x[0-9A-Fa-f]+)\s+(.+?)\s+"
    r"(\d+)\s+(-?\d+) \((-?[\d.]+)%\)" + r"\s+(-?[\d.]+)" * 6)


def packets_with_clock(path, extra):
    """RTP packets per (src, dst, ssrc) whose payload type tshark could name, hence clock: a
    static type, or a dynamic one it tied to an SDP a=rtpmap. Its jitter covers only those: it
    shows "DynamicRTP-Type-N" for the others (e.g. SRTP after a ZRTP handshake, whose
    conversation tshark sets up without the SDP's payload map)."""
    root = ET.fromstring(run(TSHARK + extra + ["-r", path, "-Y", "rtp", "-T", "pdml", "-J", "frame ip ipv6 udp rtp"]))
    counts = {}
    for pkt in root.iter("packet"):
        _, src, dst = packet_endpoints(pkt)
        ssrc = first(pkt, "rtp.ssrc", "show")
        if ssrc is None:  # "rtp" matched by something without an RTP header (e.g. only RTP events)
            continue
        showname = first(pkt, "rtp.p_type", "showname") or ""
        key = (src, dst, "0x%08x" % int(ssrc, 16))
        counts[key] = counts.get(key, 0) + (0 if "DynamicRTP-Type-" in showname else 1)
    return counts


def rtp_streams(path, extra):
    out = run(TSHARK + extra + ["-r", path, "-q", "-z", "rtp,streams"])
    clocked = packets_with_clock(path, extra) if out.count("\n") > 3 else {}
    streams = []
    for line in out.splitlines():
        if m := RTP_ROW.match(line):
            streams.append({
                "src": endpoint(m.group(3), m.group(4)),
                "dst": endpoint(m.group(5), m.group(6)),
                "ssrc": "0x%08x" % int(m.group(7), 16),
                "payload": m.group(8),
                "packets": int(m.group(9)),
                "lost": int(m.group(10)),
                "lost_percent": float(m.group(11)),
                # Min/mean delta (groups 12, 13) and min jitter (15) are not kept. tshark prints a
                # minimum jitter of -1 when it computed none (no clock rate for the payload
                # type: dynamic without an SDP it associated); mean and max are then null.
                "max_delta_ms": float(m.group(14)),
                "mean_jitter_ms": None if float(m.group(15)) < 0 else float(m.group(16)),
                "max_jitter_ms": None if float(m.group(15)) < 0 else float(m.group(17)),
            })
            s = streams[-1]
            s["packets_with_clock"] = clocked.get((s["src"], s["dst"], s["ssrc"]), 0)
    return streams


def endpoint(ip, port):
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def fields(elem, name):
    return [f for f in elem.iter("field") if f.get("name") == name]


def first(elem, name, attr="show"):
    found = fields(elem, name)
    return found[0].get(attr) if found else None


def packet_endpoints(pkt):
    ip_src = first(pkt, "ip.src") or first(pkt, "ipv6.src")
    ip_dst = first(pkt, "ip.dst") or first(pkt, "ipv6.dst")
    if first(pkt, "udp.srcport") is not None:
        return "udp", endpoint(ip_src, first(pkt, "udp.srcport")), endpoint(ip_dst, first(pkt, "udp.dstport"))
    return "tcp", endpoint(ip_src, first(pkt, "tcp.srcport")), endpoint(ip_dst, first(pkt, "tcp.dstport"))


def parse_sdp(proto):
    """SDP fields in document order: session attributes until the first m=, then per media."""
    sdp = {"connection": [], "session_attributes": [], "media": []}
    current = None
    for f in proto.iter("field"):
        name = f.get("name")
        if name == "sdp.connection_info":
            sdp["connection"].append(f.get("show"))
            if current is not None:
                current["connection"] = f.get("show")
        elif name == "sdp.session_attr":
            sdp["session_attributes"].append(hex_text(f.get("value"))[2:].rstrip("\r\n"))
        elif name == "sdp.media":
            parts = hex_text(f.get("value"))[2:].strip().split()
            current = {"type": parts[0], "port": int(parts[1].split("/")[0]), "profile": parts[2],
                       "formats": parts[3:], "attributes": []}
            sdp["media"].append(current)
        elif name == "sdp.media_attr" and current is not None:
            current["attributes"].append(hex_text(f.get("value"))[2:].rstrip("\r\n"))
    return sdp


def sip_messages(root):
    messages = []
    for pkt in root.iter("packet"):
        frame = int(first(pkt, "frame.number"))
        transport, src, dst = packet_endpoints(pkt)
        for proto in pkt.findall("proto"):
            if proto.get("name") != "sip":
                continue
            msg = {"frame": frame, "transport": transport, "src": src, "dst": dst,
                   "method": first(proto, "sip.Method"),
                   "status": int(first(proto, "sip.Status-Code")) if first(proto, "sip.Status-Code") else None,
                   "cseq": first(proto, "sip.CSeq"),
                   "call_id": first(proto, "sip.Call-ID"),
                   "user_agent": first(proto, "sip.User-Agent") or first(proto, "sip.Server")}
            if any(p.get("name") == "sdp" for p in proto.iter("proto")) or fields(proto, "sdp.version"):
                msg["sdp"] = parse_sdp(proto)
            messages.append(msg)
    return messages


ZRTP_SCALARS = {
    "zrtp.sequence": "sequence", "zrtp.source_id": "ssrc", "zrtp.version": "version",
    "zrtp.client_source_id": "client_id", "zrtp.zid": "zid", "zrtp.hash_image": "hash_image",
    "zrtp.hvi": "hvi", "zrtp.nonce": "nonce", "zrtp.error": "error",
}
ZRTP_LISTS = {"zrtp.hash": "hash", "zrtp.cipher": "cipher", "zrtp.at": "auth",
              "zrtp.keya": "key_agreement", "zrtp.sas": "sas"}
BYTE_FIELDS = {"zid", "hash_image", "hvi", "nonce"}


def zrtp_messages(root):
    out = []
    for pkt in root.iter("packet"):
        frame = int(first(pkt, "frame.number"))
        _, src, dst = packet_endpoints(pkt)
        for proto in pkt.findall("proto"):
            if proto.get("name") != "zrtp":
                continue
            msg = {"frame": frame, "src": src, "dst": dst,
                   "type": (first(proto, "zrtp.type") or "").strip(),
                   "length_words": int(first(proto, "zrtp.length") or 0),
                   "checksum_good": first(proto, "zrtp.checksum.status") == "1"}
            for field, key in ZRTP_SCALARS.items():
                found = fields(proto, field)
                if found:
                    msg[key] = found[0].get("value") if key in BYTE_FIELDS else found[0].get("show")
            if msg["type"] == "Hello":
                # What a=zrtp-hash should carry (RFC 6189 8.1): SHA-256 over the message only,
                # from the 0x505a preamble to the MAC, without the 12-byte header and the CRC.
                payload = bytes.fromhex(first(pkt, "udp.payload", "value") or "")
                msg["message_sha256"] = hashlib.sha256(payload[12:-4]).hexdigest()
                msg["flags"] = {k: first(proto, "zrtp." + k) == "1" for k in ("sigcap", "mitm", "passive")}
            for field, key in ZRTP_LISTS.items():
                vals = [f.get("show").strip() for f in fields(proto, field)]
                if vals:
                    msg[key] = vals if msg["type"] == "Hello" else vals[0]
            out.append(msg)
    return out


DTLS_HS = {1: "ClientHello", 2: "ServerHello", 3: "HelloVerifyRequest", 4: "NewSessionTicket", 11: "Certificate",
           12: "ServerKeyExchange", 13: "CertificateRequest", 14: "ServerHelloDone",
           15: "CertificateVerify", 16: "ClientKeyExchange", 20: "Finished"}


def dtls_records(root):
    out = []
    for pkt in root.iter("packet"):
        frame = int(first(pkt, "frame.number"))
        _, src, dst = packet_endpoints(pkt)
        for proto in pkt.findall("proto"):
            if proto.get("name") != "dtls":
                continue
            rec = {"frame": frame, "src": src, "dst": dst,
                   "versions": [f.get("show") for f in fields(proto, "dtls.record.version")],
                   "content_types": [int(f.get("show")) for f in fields(proto, "dtls.record.content_type")],
                   "handshakes": [DTLS_HS.get(int(f.get("show")), f.get("show"))
                                  for f in fields(proto, "dtls.handshake.type")]}
            profiles = [f.get("showname").split(": ", 1)[-1] for f in fields(proto, "dtls.use_srtp.protection_profile")]
            if profiles:
                rec["use_srtp_profiles"] = profiles
            certs = [f.get("value") for f in fields(proto, "dtls.handshake.certificate")]
            if certs:
                # a=fingerprint is the hash of the DER certificate (RFC 8122), computed from tshark's bytes.
                rec["certificate_sha256"] = ":".join(
                    "%02X" % b for b in hashlib.sha256(bytes.fromhex(certs[0])).digest())
            out.append(rec)
    return out


def summarise(facts):
    sip = facts["sip"]["messages"]
    call_ids = []
    for m in sip:
        if m["call_id"] and m["call_id"] not in call_ids:
            call_ids.append(m["call_id"])
    media = [md for m in sip if "sdp" in m for md in m["sdp"]["media"]]
    sess = [a for m in sip if "sdp" in m for a in m["sdp"]["session_attributes"]]
    attrs = [a for md in media for a in md["attributes"]] + sess

    def attr_values(name):
        vals = []
        for a in attrs:
            if a.startswith(name + ":") and a[len(name) + 1:] not in vals:
                vals.append(a[len(name) + 1:])
        return vals

    zrtp = facts["zrtp"]
    types = []
    for z in zrtp:
        if z["type"] not in types:
            types.append(z["type"])
    needed = ["Hello", "HelloACK", "Commit", "DHPart1", "DHPart2", "Confirm1", "Confirm2", "Conf2ACK"]
    return {
        "sip_call_ids": call_ids,
        "calls": len(call_ids),
        "sip_sequence": [m["method"] or str(m["status"]) for m in sip],
        "media_profiles": sorted({md["profile"] for md in media}),
        "crypto_suites": sorted({v.split()[1] for v in attr_values("crypto") if len(v.split()) > 1}),
        "zrtp_hash_attributes": attr_values("zrtp-hash"),
        "fingerprints": attr_values("fingerprint"),
        "setup": attr_values("setup"),
        "rtp_streams": len(facts["rtp_streams"]),
        "zrtp_message_types": types,
        "zrtp_handshake_complete": all(t in types for t in needed[2:]) and "Hello" in types,
        "zrtp_checksums_all_good": all(z["checksum_good"] for z in zrtp),
        "zrtp_commits": [{k: z.get(k) for k in ("frame", "src", "hash", "cipher", "auth", "key_agreement", "sas")}
                         for z in zrtp if z["type"] == "Commit"],
        "zrtp_sequence": ["%d %s %s" % (z["frame"], z["src"], z["type"]) for z in zrtp],
        "zrtp_initiator": next((z["src"] for z in zrtp if z["type"] == "DHPart2"), None),
        "zrtp_endpoints": {z["src"]: {"zid": z.get("zid"), "version": z.get("version"),
                                      "client_id": z.get("client_id"), "hello_sha256": z.get("message_sha256")}
                           for z in zrtp if z["type"] == "Hello"},
        "zrtp_hello_hashes_match_sdp": sorted({z["message_sha256"] for z in zrtp if z["type"] == "Hello"})
        == sorted({v.split()[-1] for v in attr_values("zrtp-hash")}) if zrtp else None,
        "zrtp_versions": sorted({z["version"] for z in zrtp if "version" in z}),
        "zrtp_client_ids": sorted({z["client_id"] for z in zrtp if "client_id" in z}),
        "dtls_handshake_types": sorted({h for r in facts["dtls"] for h in r["handshakes"]}),
        "dtls_srtp_profiles": sorted({p for r in facts["dtls"] for p in r.get("use_srtp_profiles", [])}),
        "dtls_certificate_sha256": sorted({r["certificate_sha256"] for r in facts["dtls"] if "certificate_sha256" in r}),
        "dtls_certificates_match_sdp_fingerprints": sorted({r["certificate_sha256"] for r in facts["dtls"]
                                                            if "certificate_sha256" in r})
        == sorted({v.split()[-1].upper() for v in attr_values("fingerprint")}) if facts["dtls"] else None,
        "dtls_srtp_profile_selected": sorted({p for r in facts["dtls"] if "ServerHello" in r["handshakes"]
                                              for p in r.get("use_srtp_profiles", [])}),
        "dtls_client": next((r["src"] for r in facts["dtls"] if "ClientHello" in r["handshakes"]), None),
    }


def count(path, extra, display_filter):
    out = run(TSHARK + extra + ["-r", path, "-Y", display_filter, "-T", "fields", "-e", "frame.number"])
    return len(out.split())


def ip_fragments(path, extra):
    """IPv4 fragments: ip.frag_offset is the raw 13-bit field (8-byte units) in tshark 4.0."""
    out = run(TSHARK + extra + ["-r", path, "-Y", "ip.flags.mf == 1 or ip.frag_offset > 0", "-T", "fields",
                                "-e", "frame.number", "-e", "ip.src", "-e", "ip.dst", "-e", "ip.id",
                                "-e", "ip.frag_offset", "-e", "ip.flags.mf", "-e", "ip.len"])
    frags = []
    for line in out.splitlines():
        frame, src, dst, ident, off, mf, length = line.split("\t")
        frags.append({"frame": int(frame), "src": src, "dst": dst, "id": ident,
                      "offset_bytes": int(off) * 8, "more_fragments": mf in ("1", "True"),
                      "ip_total_length": int(length)})
    return frags


def iax2_frames(path, extra):
    """IAX2 (RFC 5456) as tshark dissects it: each full frame's call numbers, type and IAX
    subclass with the IEs a call audit reads, and the voice frames (full and mini) per source call."""
    out = run(TSHARK + extra + ["-r", path, "-Y", "iax2", "-T", "fields", "-E", "occurrence=f",
                                "-e", "frame.number", "-e", "iax2.packet_type", "-e", "iax2.src_call",
                                "-e", "iax2.dst_call", "-e", "iax2.type", "-e", "iax2.iax.subclass",
                                "-e", "iax2.iax.called_number", "-e", "iax2.iax.calling_number",
                                "-e", "iax2.iax.format", "-e", "iax2.iax.cause"])
    full, voice = [], {}
    for line in out.splitlines():
        frame, packet_type, src, dst, ftype, subclass, called, calling, fmt, cause = line.split("\t")
        if packet_type == "0" or ftype == "2":  # a mini frame, or a full voice frame
            voice[src] = voice.get(src, 0) + 1
        if packet_type == "1":
            entry = {"frame": int(frame), "src_call": int(src), "dst_call": int(dst), "type": int(ftype)}
            for key, value in (("subclass", subclass), ("called_number", called), ("calling_number", calling),
                               ("format", fmt), ("cause", cause)):
                if value:
                    entry[key] = int(value) if key in ("subclass", "format") else value
            full.append(entry)
    return {"full_frames": full, "voice_frames_by_source_call": voice} if full or voice else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("capture")
    ap.add_argument("--stack", required=True)
    ap.add_argument("--made-by", required=True)
    ap.add_argument("--shows", required=True)
    ap.add_argument("--decode-as", action="append", default=[])
    args = ap.parse_args()
    extra = [x for d in args.decode_as for x in ("-d", d)]
    path = args.capture

    root = ET.fromstring(run(TSHARK + extra + ["-r", path, "-Y", "sip or zrtp or dtls", "-T", "pdml", "-J", "frame eth sll ip ipv6 udp tcp sip sdp zrtp dtls"]))
    facts = {
        "schema": 1,
        "file": os.path.basename(path),
        "stack": args.stack,
        "made_by": args.made_by,
        "shows": args.shows,
        "established_with": {
            "tshark": tool_version(["tshark", "--version"], r"TShark \(Wireshark\) (\S+)"),
            "options": (TSHARK + extra)[1:],
            "decode_as": args.decode_as,
        },
        "capture": capinfos(path),
        "counts": {
            "stun": count(path, extra, "stun"),
            "zrtp": count(path, extra, "zrtp"),
            "dtls": count(path, extra, "dtls"),
            "srtp": count(path, extra, "srtp.enc_payload"),
            "rtp": count(path, extra, "rtp.p_type and not srtp.enc_payload and not zrtp and not stun and not dtls"),
            "rtcp": count(path, extra, "rtcp or srtcp"),
            "ip_fragments": count(path, extra, "(ip.flags.mf == 1 or ip.frag_offset > 0) or ipv6.fragment"),
        },
        "sip": {"stat": sip_stat(path, extra), "messages": sip_messages(root)},
        "ip_fragments": ip_fragments(path, extra),
        "rtp_streams": rtp_streams(path, extra),
        "zrtp": zrtp_messages(root),
        "dtls": dtls_records(root),
    }
    iax2 = iax2_frames(path, extra)
    if iax2:
        facts["iax2"] = iax2
    facts["summary"] = summarise(facts)
    out_path = re.sub(r"\.pcap(ng)?$", "", path) + ".facts.json"
    with open(out_path, "w") as f:
        json.dump(facts, f, indent=1)
        f.write("\n")
    print(f"wrote {out_path}", file=sys.stderr)


if __name__ == "__main__":
    main()
