#!/usr/bin/env python3
"""The regression guard on how the audit's cost grows with the calls of a capture.

Usage: check_scaling.py MAKE_MIX ZAUDIT WORKDIR

Two ZRTP mixes of the same calls (bench_make_mix: 1 s of media each, 50 at once), one with twice as
many calls as the other, are audited with --jobs 1 and a new --ledger under valgrind's callgrind.
Doubling the calls must at most double the instructions, with some room: the instructions of the
whole audit besides the input's SHA-256 (which does not depend on calls, and which valgrind counts
without the CPU's SHA extensions), those of the rules together, and those of each rule that costs
more than a million instructions on the larger mix. A rule that compares every pair of handshakes
or scans every stream for each handshake multiplies its cost by four instead: at these sizes 3.07
for the rules together before they were mended, 2.88 for path.vantage-divergence with its scan of
the streams put back alone, 3.28 for zrtp.zid-conflict with the ledger scanned for each ZID
(bench/README.md, "Rules in time linear in the calls"). Counted, not timed: the figures are the
same on any machine and under any load.
"""

import os
import re
import shutil
import subprocess
import sys

from check_cost import inclusive_instructions

CALLS = 400
MIX = ["--only", "zrtp", "--concurrent", "50", "--seconds", "1", "--seed", "11"]
# Doubling the calls gave 1.99 (audit) and 2.03 (rules), each rule judged at most 2.05: fixed costs pull
# the first below 2, sorting and binary searches push the others above it.
BOUND = 2.3
# Rules that cost less on the larger mix are not judged one by one: what little they do is mostly
# fixed cost, and they are in the rules' total.
RULE_FLOOR = 1_000_000
# A rule's own entry in callgrind_annotate's inclusive listing (code inlined from headers is
# listed under the header, so this slightly undercounts, the same way at both sizes).
RULE_CHECK = re.compile(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+\S*/src/analysis/rules/(\w+)\.cpp:"
                        r"zaudit::analysis::rules::\(anonymous namespace\)::check\(", re.MULTILINE)


def rule_counts(callgrind_out):
    """Instructions of each rule's check, by the rule's source file."""
    annotate = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", callgrind_out],
                              check=True, capture_output=True, text=True).stdout
    counts = {}
    for match in RULE_CHECK.finditer(annotate):
        counts[match.group(2)] = max(counts.get(match.group(2), 0), int(match.group(1).replace(",", "")))
    return counts


def counts(make_mix, zaudit, work, calls):
    """Instructions of the audit besides the SHA-256, of the rules, and of each rule, for a mix of
    `calls` calls."""
    capture = os.path.join(work, f"zrtp-{calls}.pcap")
    subprocess.run([make_mix, capture, "--calls", str(calls)] + MIX, check=True, capture_output=True)
    out = os.path.join(work, f"callgrind.out.{calls}")
    if os.path.exists(out):
        os.remove(out)
    ledger = os.path.join(work, f"ledger-{calls}.txt")  # a first run: every ZID is new to it
    if os.path.exists(ledger):
        os.remove(ledger)
    run = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, zaudit, "-f", "json", "-o",
                          os.path.join(work, f"zrtp-{calls}.json"), "--fail-on", "none", "--jobs", "1", "--ledger",
                          ledger, capture],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"check_scaling: zaudit under callgrind exited {run.returncode}:\n{run.stderr[-2000:]}")
    with open(out) as f:
        total = next(int(line.split()[1]) for line in f if line.startswith(("summary:", "totals:")))
    audit = total - inclusive_instructions(out, "zaudit::crypto::sha256_file")
    rules = inclusive_instructions(out, "zaudit::analysis::run_rules")
    return audit, rules, rule_counts(out)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    make_mix, zaudit, work = sys.argv[1:]
    if shutil.which("valgrind") is None:
        sys.exit("check_scaling: valgrind is not installed (scripts/deps installs it)")
    os.makedirs(work, exist_ok=True)
    small = counts(make_mix, zaudit, work, CALLS)
    large = counts(make_mix, zaudit, work, 2 * CALLS)
    figures = [("the audit besides its SHA-256", small[0], large[0]), ("the rules", small[1], large[1])]
    if not large[2]:
        sys.exit("check_scaling: callgrind_annotate lists no rule's check")
    for rule, y in sorted(large[2].items()):
        if y >= RULE_FLOOR:
            figures.append((f"rule {rule}", small[2].get(rule, 1), y))
    failures = []
    for what, x, y in figures:
        ratio = y / x
        print(f"{what}: {x} instructions for {CALLS} calls, {y} for {2 * CALLS}: x{ratio:.2f} (bound x{BOUND})")
        if ratio > BOUND:
            failures.append(f"check_scaling: twice the calls cost {what} {ratio:.2f} times the instructions "
                            f"(bound {BOUND}): something compares or scans all of them for each. Find it with "
                            f"callgrind_annotate --inclusive=yes {work}/callgrind.out.{2 * CALLS}")
    if failures:
        sys.exit("\n".join(failures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
