"""A finding's fingerprint names the weakness, not the capture: every sample written again with
another seed (other keys, nonces, SSRCs, Call-IDs, tags, payloads) must give the same findings
with the same fingerprints, while the fingerprints of one report tell its different weaknesses
apart.

usage: fingerprints.py ZAUDIT ZAUDIT_GEN SOURCE_DIR WORK_DIR
"""

import collections
import glob
import json
import os
import subprocess
import sys


def findings(zaudit, capture):
    run = subprocess.run([zaudit, "--format", "json", "--fail-on", "none", capture], capture_output=True, check=True)
    return json.loads(run.stdout)["findings"]


def main(argv):
    zaudit, gen, source_dir, work = argv[1:5]
    other = os.path.join(work, "reseeded")
    os.makedirs(other, exist_ok=True)
    subprocess.run([gen, "--out", other, "--seed", "99"], check=True, capture_output=True)
    problems = 0
    compared = 0
    for sample in sorted(glob.glob(os.path.join(source_dir, "samples", "*.pcap*"))):
        name = os.path.basename(sample)
        again = os.path.join(other, name)
        if not os.path.exists(again):
            continue
        with open(sample, "rb") as a, open(again, "rb") as b:
            if a.read() == b.read():
                continue  # nothing random in it: proves nothing here
        first = findings(zaudit, sample)
        second = findings(zaudit, again)
        compared += 1
        key = lambda f: (f["rule"], f["fingerprint"])  # noqa: E731
        if sorted(map(key, first)) != sorted(map(key, second)):
            problems += 1
            print(f"{name}: fingerprints differ with another seed", file=sys.stderr)
            print(f"  seed 6189: {sorted(map(key, first))}", file=sys.stderr)
            print(f"  seed 99:   {sorted(map(key, second))}", file=sys.stderr)
        # Two findings of one rule with one fingerprint must be the same weakness seen twice;
        # a fingerprint shared across rules would merge alerts of different rules.
        rules_of = collections.defaultdict(set)
        for f in first:
            rules_of[f["fingerprint"]].add(f["rule"])
        for fingerprint, rules in rules_of.items():
            if len(rules) > 1:
                problems += 1
                print(f"{name}: fingerprint {fingerprint} shared by {sorted(rules)}", file=sys.stderr)
    print(f"{compared} samples compared across seeds: {problems} problem(s)")
    if compared < 10:
        print("too few samples differ between seeds to prove anything", file=sys.stderr)
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
