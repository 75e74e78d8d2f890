#!/usr/bin/env python3
"""The regression guard on how the audit's cost grows with the calls of a capture.

Usage: check_scaling.py MAKE_MIX ZAUDIT WORKDIR

Two ZRTP mixes of the same calls (bench_make_mix: 1 s of media each, 50 at once), one with twice as
many calls as the other, are audited with --jobs 1 and a new --ledger under valgrind's callgrind;
then the same two with every handshake left unfinished (its Confirm1, Confirm2 and Conf2ACK
removed), which takes the rules' paths for failed handshakes and their findings. Doubling the calls
must at most double the instructions, with some room: the instructions of the whole audit besides
the input's SHA-256 (which does not depend on calls, and which valgrind counts without the CPU's
SHA extensions), those of the rules together, and those of each rule that costs more than a million
instructions on the larger mix. A rule that compares every pair of handshakes or scans every stream
for each handshake multiplies its cost by four instead: at these sizes 3.07 for the rules together
before they were mended, 2.88 for path.vantage-divergence with its scan of the streams put back
alone, 3.28 for zrtp.zid-conflict with the ledger scanned for each ZID, and on the unfinished mix
2.79 and 2.59 for zrtp.stripped and call.security-downgraded with their scans for failed handshakes
put back, which the completed mix does not reach (bench/README.md, "Rules in time linear in the
calls"). Counted, not timed: the figures are the same on any machine and under any load.
"""

import os
import re
import shutil
import struct
import subprocess
import sys

from check_cost import HASHING, inclusive_instructions

CALLS = 400
MIX = ["--only", "zrtp", "--concurrent", "50", "--seconds", "1", "--seed", "11"]
# Doubling the calls gave 1.99 (audit) and 2.02-2.03 (rules), each rule judged at most 2.05: fixed
# costs pull the first below 2, sorting and binary searches push the others above it.
BOUND = 2.3
# Rules that cost less on the larger mix are not judged one by one: what little they do is mostly
# fixed cost, and they are in the rules' total.
RULE_FLOOR = 1_000_000
# A rule's own entry in callgrind_annotate's inclusive listing (code inlined from headers is
# listed under the header, so this slightly undercounts, the same way at both sizes).
RULE_CHECK = re.compile(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+\S*/src/analysis/rules/(\w+)\.cpp:"
                        r"zaudit::analysis::rules::\(anonymous namespace\)::check\(", re.MULTILINE)
# The messages that finish a ZRTP handshake (RFC 6189 section 5.7): without them every handshake
# fails while its media goes on, which takes the rules' paths for failed handshakes and their
# findings (zrtp.handshake-incomplete, zrtp.stripped, call.security-downgraded for every call).
FINISHING = (b"Confirm1", b"Confirm2", b"Conf2ACK")


def without_finishing(src, dst):
    """Copies the pcap `src` to `dst` without its ZRTP Confirm1, Confirm2 and Conf2ACK packets (the
    message type follows the 'ZRTP' magic cookie by 12 bytes: SSRC, preamble and length)."""
    with open(src, "rb") as f:
        data = f.read()
    endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    out = bytearray(data[:24])
    pos = 24
    while pos + 16 <= len(data):
        length = struct.unpack_from(endian + "I", data, pos + 8)[0]
        record = data[pos:pos + 16 + length]
        cookie = record.find(b"ZRTP", 16)
        if cookie < 0 or record[cookie + 12:cookie + 20] not in FINISHING:
            out += record
        pos += 16 + length
    with open(dst, "wb") as f:
        f.write(out)


def rule_counts(callgrind_out):
    """Instructions of each rule's check, by the rule's source file."""
    annotate = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", callgrind_out],
                              check=True, capture_output=True, text=True).stdout
    counts = {}
    for match in RULE_CHECK.finditer(annotate):
        counts[match.group(2)] = max(counts.get(match.group(2), 0), int(match.group(1).replace(",", "")))
    return counts


def counts(make_mix, zaudit, work, calls, unfinished):
    """Instructions of the audit besides the SHA-256, of the rules, and of each rule, for a mix of
    `calls` calls, its handshakes `unfinished` or not."""
    name = f"zrtp-{calls}" + ("-unfinished" if unfinished else "")
    capture = os.path.join(work, f"{name}.pcap")
    made = os.path.join(work, f"zrtp-{calls}.pcap")
    if unfinished:
        without_finishing(made, capture)  # the completed run made it first (main's order)
    else:
        subprocess.run([make_mix, made, "--calls", str(calls)] + MIX, check=True, capture_output=True)
    out = os.path.join(work, f"callgrind.out.{name}")
    if os.path.exists(out):
        os.remove(out)
    ledger = os.path.join(work, f"ledger-{name}.txt")  # a first run: every ZID is new to it
    if os.path.exists(ledger):
        os.remove(ledger)
    run = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, zaudit, "-f", "json", "-o",
                          os.path.join(work, f"{name}.json"), "--fail-on", "none", "--jobs", "1", "--ledger",
                          ledger, capture],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"check_scaling: zaudit under callgrind exited {run.returncode}:\n{run.stderr[-2000:]}")
    with open(out) as f:
        total = next(int(line.split()[1]) for line in f if line.startswith(("summary:", "totals:")))
    audit = total - inclusive_instructions(out, HASHING)
    rules = inclusive_instructions(out, "zaudit::analysis::run_rules")
    return audit, rules, rule_counts(out)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    make_mix, zaudit, work = sys.argv[1:]
    if shutil.which("valgrind") is None:
        sys.exit("check_scaling: valgrind is not installed (scripts/deps installs it)")
    os.makedirs(work, exist_ok=True)
    failures = []
    for unfinished in (False, True):
        mix = "unfinished handshakes" if unfinished else "completed handshakes"
        small = counts(make_mix, zaudit, work, CALLS, unfinished)
        large = counts(make_mix, zaudit, work, 2 * CALLS, unfinished)
        figures = [("the audit besides its SHA-256", small[0], large[0]), ("the rules", small[1], large[1])]
        if not large[2]:
            sys.exit("check_scaling: callgrind_annotate lists no rule's check")
        for rule, y in sorted(large[2].items()):
            if y >= RULE_FLOOR:
                figures.append((f"rule {rule}", small[2].get(rule, 1), y))
        for what, x, y in figures:
            ratio = y / x
            print(f"{mix}, {what}: {x} instructions for {CALLS} calls, {y} for {2 * CALLS}: x{ratio:.2f} "
                  f"(bound x{BOUND})")
            if ratio > BOUND:
                failures.append(f"check_scaling: {mix}: twice the calls cost {what} {ratio:.2f} times the "
                                f"instructions (bound {BOUND}): something compares or scans all of them for each. "
                                f"Find it with callgrind_annotate --inclusive=yes {work}/callgrind.out.zrtp-"
                                f"{2 * CALLS}{'-unfinished' if unfinished else ''}")
    if failures:
        sys.exit("\n".join(failures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
