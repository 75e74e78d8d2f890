#!/usr/bin/env python3
"""The benchmark's mix is what it claims to be: a small mix from bench_make_mix (40 calls, some
over VLAN and IPv6), audited by zaudit, shows every call with the protection the generator gave
it, SDES keys that libsrtp2 authenticates the SRTP with, completed ZRTP handshakes, no ZRTP or
SRTP failure finding and no decode anomaly. Not a timing test.

usage: check_mix.py BENCH_MAKE_MIX ZAUDIT WORKDIR
"""
import collections
import json
import os
import re
import subprocess
import sys

PROTECTION = {"plain": "none", "sdes": "sdes-srtp", "zrtp": "zrtp"}
VERDICT = {"plain": "plain RTP:", "sdes": "SDES keys exposed:", "zrtp": "ZRTP: handshake verified"}


def main():
    make_mix, zaudit, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    capture = os.path.join(work, "mix.pcap")
    listing = os.path.join(work, "mix.list")
    subprocess.run([make_mix, capture, "--calls", "40", "--concurrent", "10", "--seconds", "6", "--seed", "1",
                    "--list", listing], check=True, capture_output=True)
    kinds = {}
    vlan = ipv6 = 0
    with open(listing) as f:
        for line in f:
            user, kind, is_vlan, is_ipv6 = line.split()
            kinds[user] = kind
            vlan += int(is_vlan)
            ipv6 += int(is_ipv6)
    counts = collections.Counter(kinds.values())
    problems = []

    def check(ok, what):
        if not ok:
            problems.append(what)

    check(len(kinds) == 40 and counts == {"plain": 20, "sdes": 12, "zrtp": 8}, f"mix {dict(counts)}")
    check(vlan > 0 and ipv6 > 0, f"no VLAN ({vlan}) or no IPv6 ({ipv6}) call in the small mix")

    report = json.loads(subprocess.run([zaudit, "--quiet", "--format", "json", "--fail-on", "none", capture],
                                       check=True, capture_output=True, text=True).stdout)
    summary = report["summary"]
    check(summary["calls"] == 40, f"{summary['calls']} calls")
    check(summary["media_streams"] == 80, f"{summary['media_streams']} media streams")
    check(summary["zrtp_handshakes"] == counts["zrtp"], f"{summary['zrtp_handshakes']} ZRTP handshakes")
    check(summary["findings_by_rule"] == {"media.unencrypted": 2 * counts["plain"],
                                          "sdes.key-exposed": 2 * counts["sdes"],
                                          "sip.cleartext-signaling": 40},
          f"findings {summary['findings_by_rule']}")
    decode = report["decode"]
    check(decode["anomalies"] == {} and decode["frames"]["ok"] == summary["frames"], f"decode {decode}")
    check(all(z["completed"] for z in report["zrtp"]), "a ZRTP handshake did not complete")
    for call in report["calls"]:
        user = re.match(r"sip:(a\d+)@", call["from"]).group(1)
        kind = kinds.get(user)
        protections = {leg["protection"] for leg in call["legs"]}
        check(protections == {PROTECTION.get(kind)}, f"{user} ({kind}): legs {protections}")
        check(len(call["media"]) == 2, f"{user}: {len(call['media'])} media streams")
        for media in call["media"]:
            check(media["protection"] == PROTECTION.get(kind), f"{user} stream {media['id']}: {media['protection']}")
            if kind == "sdes":
                checks = media["srtp_checks"]
                check(len(checks) == 1 and checks[0]["checked"] > 0 and
                      checks[0]["authenticated"] == checks[0]["checked"],
                      f"{user} stream {media['id']}: srtp_checks {checks}")

    text = subprocess.run([zaudit, "--fail-on", "none", capture], check=True, capture_output=True, text=True).stdout
    verdicts = re.findall(r"^  #\d+ sip:(a\d+)@\S+ -> .*$", text, re.M)
    check(len(verdicts) == 40, f"{len(verdicts)} verdict lines")
    for line in text.splitlines():
        m = re.match(r"^  #\d+ sip:(a\d+)@", line)
        if m:
            check(VERDICT[kinds[m.group(1)]] in line, f"verdict: {line.strip()}")

    for p in problems:
        print("FAIL:", p)
    print(f"{len(kinds)} calls ({dict(counts)}, vlan {vlan}, ipv6 {ipv6}): "
          f"{'ok' if not problems else f'{len(problems)} problems'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
