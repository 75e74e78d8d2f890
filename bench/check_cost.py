#!/usr/bin/env python3
"""The regression guard of issue 13: machine instructions per packet of a full audit (JSON
report) of a fixed field-like mix, counted by valgrind's callgrind in the audit's threads (all but
the input's SHA-256) and in its main thread alone (its share of the report left out), against
bench/cost.json.

Wall time varies with the machine and its load; the instructions a given build executes on a
given input barely do (run to run, within 0.1%), so this can guard a ctest on any machine with a
tight tolerance. A change that makes the audit
cost more per packet than the recorded figure plus its tolerance fails; a change that makes it
much cheaper asks for the figure to be recorded again (--record), so that the guard stays tight.

The figure depends on the build (RelWithDebInfo with GCC 12, as scripts/test builds) and on the
libsrtp2 crypto backend, so cost.json keeps one figure of each kind per backend, named by
`zaudit --version`.

usage: check_cost.py BENCH_MAKE_MIX ZAUDIT WORKDIR COST_JSON [--record]
"""
import json
import os
import re
import shutil
import subprocess
import sys

SKIPPED = 77  # the ctest's SKIP_RETURN_CODE

# 40 calls of 20 s, 10 at once: about 80,000 packets, all three kinds of media, VLAN and IPv6.
MIX = ["--calls", "40", "--concurrent", "10", "--seconds", "20", "--seed", "7"]
# What hashes the input (capture/hashed_file.hpp), with what it calls: with --jobs 2, on a thread of
# its own.
HASHING = "zaudit::capture::FileDigest::hash"


def backend(zaudit):
    version = subprocess.run([zaudit, "--version"], check=True, capture_output=True, text=True).stdout
    match = re.search(r"libsrtp2 [^ ]+ \(([^)]+)\)", version)
    return match.group(1) if match else "unknown"


def inclusive_instructions(thread_file, function):
    """Instructions callgrind counted in `function` (a qualified name) and what it called.

    callgrind_annotate lists a function once per source file its code came from (inlined library
    code apart); the entry of its own file, the largest, holds its calls and all but a few
    thousand of its instructions, which is well inside the guard's tolerance."""
    annotate = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", thread_file],
                              check=True, capture_output=True, text=True).stdout
    pattern = r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+\S*:" + re.escape(function) + r"\("
    counts = [int(m.group(1).replace(",", "")) for m in re.finditer(pattern, annotate, re.MULTILINE)]
    if not counts:
        sys.exit(f"check_cost: callgrind_annotate shows no {function} in {thread_file}")
    return max(counts)


def instructions(zaudit, capture, work):
    """Instructions callgrind counted in the audit's threads, those of its main thread alone but
    for its share of the report, and the frames audited.

    The audit runs with --jobs 2 whatever the machine's cores, as one input gets it by default on
    two cores: the main thread audits, a second reads and decodes the capture ahead of it
    (net::ReadAhead), and large JSON reports are built on two. All of those count, so that work
    moved to another thread is not mistaken for work saved. The main thread's own count is kept
    beside: with two cores busy, it is the audit's critical path, so work moved back onto it is a
    regression too. Its share of the report is left out of that figure (the total has all of the
    report): which blocks of a long list the main thread builds and which its helper does depends
    on how the two are scheduled, and the main thread's count varied by 9 % under load when it
    was in. The input's SHA-256 runs on a thread of its own and is left out: under
    valgrind OpenSSL cannot use the CPU's SHA extensions, so it would count several times what it
    costs, and drown the audit's own work, which is what this guards.

    The SHA-256 is subtracted by what callgrind counted inside HASHING, not by
    dropping its thread's file: valgrind gives a finished thread's id to the next thread started,
    and callgrind then counts both in one file, so when the hash ends before the read-ahead starts
    (as it did on one CI machine) the read-ahead's work would be dropped with it."""
    report = os.path.join(work, "report.json")
    out = os.path.join(work, "callgrind.out")
    for old in os.listdir(work):
        if old.startswith("callgrind.out"):
            os.remove(os.path.join(work, old))
    run = subprocess.run(["valgrind", "--tool=callgrind", "--separate-threads=yes", "--callgrind-out-file=" + out,
                          zaudit, "-f", "json", "-o", report, "--fail-on", "none", "--jobs", "2", capture],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"check_cost: zaudit under callgrind exited {run.returncode}:\n{run.stderr[-2000:]}")
    threads = sorted(name for name in os.listdir(work) if name.startswith("callgrind.out-"))
    if not threads:
        sys.exit(f"check_cost: callgrind wrote no {out}-NN:\n{run.stderr[-2000:]}")
    total = 0
    main_thread = None
    hashing = []
    for name in threads:
        path = os.path.join(work, name)
        with open(path) as f:
            text = f.read()
        count = re.search(r"^(?:summary|totals): (\d+)", text, re.MULTILINE)
        if count is None:
            sys.exit(f"check_cost: no summary line in {name}")
        total += int(count.group(1))
        if HASHING + "(" in text:  # the thread that hashed the input, perhaps with others after it
            hashing.append(inclusive_instructions(path, HASHING))
        if re.search(r"^thread: 1$", text, re.MULTILINE):  # callgrind numbers the process's first thread 1
            main_thread = int(count.group(1)) - inclusive_instructions(path, "zaudit::report::write_json")
    if len(hashing) != 1:
        sys.exit(f"check_cost: expected the SHA-256 in one thread among {threads}, found it in {len(hashing)}")
    total -= hashing[0]
    if main_thread is None:
        sys.exit(f"check_cost: no main thread (thread 1) among {threads}")
    with open(report) as f:
        frames = sum(json.load(f)["decode"]["frames"].values())
    return total, main_thread, frames


def check(what, per_packet, recorded, tolerance, work):
    """None when `per_packet` is within `tolerance` of `recorded`, else why not."""
    print(f"{what}: {per_packet:.0f} per packet, recorded {recorded}, tolerance {tolerance:.0%}")
    if per_packet > recorded * (1 + tolerance):
        return (f"check_cost: {what}: {per_packet:.0f} instructions per packet is {per_packet / recorded - 1:.1%} "
                f"above the recorded {recorded}: an optimisation was lost or a change made each packet dearer. "
                f"Find it (callgrind_annotate {work}/callgrind.out-NN, one file per thread), or record the new "
                f"figure with --record and say why in the commit.")
    if per_packet < recorded * (1 - 2 * tolerance):
        return (f"check_cost: {what}: {per_packet:.0f} instructions per packet is well below the recorded "
                f"{recorded}: record the new figure with --record so that the guard keeps it.")
    return None


def main():
    args = [a for a in sys.argv[1:] if a != "--record"]
    record = "--record" in sys.argv[1:]
    make_mix, zaudit, work, cost_path = args
    if shutil.which("valgrind") is None:
        sys.exit("check_cost: valgrind is not installed (scripts/deps installs it)")
    os.makedirs(work, exist_ok=True)
    capture = os.path.join(work, "mix.pcap")
    subprocess.run([make_mix, capture] + MIX, check=True, capture_output=True)
    total, main_thread, frames = instructions(zaudit, capture, work)
    figures = {"instructions_per_packet": total / frames, "main_thread_instructions_per_packet": main_thread / frames}
    name = backend(zaudit)
    with open(cost_path) as f:
        cost = json.load(f)
    print(f"{frames} frames, {total} instructions ({main_thread} on the main thread besides its report), "
          f"libsrtp2 backend: {name}")
    if record:
        for key, per_packet in figures.items():
            cost.setdefault(key, {})[name] = round(per_packet)
        with open(cost_path, "w") as f:
            json.dump(cost, f, indent=2)
            f.write("\n")
        print(f"recorded in {cost_path}")
        return 0
    failures = []
    for key, per_packet in figures.items():
        recorded = cost.get(key, {}).get(name)
        if recorded is None:
            # ctest shows this as skipped (SKIP_RETURN_CODE), not passed: nothing was guarded.
            print(f"check_cost: {cost_path} has no {key} for the {name} build of libsrtp2; record one with --record")
            return SKIPPED
        failure = check(key.replace("_", " "), per_packet, recorded, cost["tolerance"], work)
        if failure:
            failures.append(failure)
    if failures:
        sys.exit("\n".join(failures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
