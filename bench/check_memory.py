#!/usr/bin/env python3
"""The memory guard of issue 13: what the audit keeps per call it has seen, once that call is over.

Two mixes of the same shape and concurrency (10 calls at once, 10 s each, so that ended calls'
flows close during the capture), one ten times as long as the other, are audited with a JSONL
report under valgrind's massif, which records the peak of the heap exactly (no page rounding,
no allocator caching; from run to run of a given build it moves by up to 100 KB, with the order
in which the reading and hashing threads' batches come and go: spread over 120 further calls that
was up to 1.1 KB a call on a busy host, over 360 it is 0.3 KB). The peak may grow
with the calls seen only by what the report keeps of each (its call, streams, flows, handshakes
and findings); the packets a live stream keeps for its key checks and twin matching (some 15 KB
a stream) must be gone once its flow closes, and what twin matching keeps of an ended stream (a
digest per sampled packet) is kept only when another stream has its SSRC. With the packets kept
to the end of the capture the growth was 60 KB a call; with every ended stream's twin digests
kept, 2.1 KB a call more than without. Since then the flows of ended calls close and ended calls
keep less (12.3 KB a call, then 11.0-11.1, then 9.5-9.7 between 40 and 160 calls, 9.4-9.7
between 40 and 400; then 7.4-8.0, with the members few objects fill boxed and the SDP's unread
codec names gone; now 7.0-7.4, with six members of Call that nothing read gone; Debian 12's GCC,
RelWithDebInfo). With --jobs 1 the peak comes after the rules, findings and all: 10.7 KB a call
with each finding's evidence a tree of JSON objects, 8.4 since they are packed as CBOR. massif
finds the peak to within 1 % of it (--peak-inaccuracy), some 0.4 KB a call here. The bound leaves about 1.4 KB above today's
figure, so that either of the old regressions fails it.

usage: check_memory.py BENCH_MAKE_MIX ZAUDIT WORKDIR
"""
import os
import re
import shutil
import subprocess
import sys

SHAPE = ["--concurrent", "10", "--seconds", "10", "--seed", "11"]
SMALL_CALLS = 40
LARGE_CALLS = 400
# By --jobs: with two the peak falls while the capture is read (the read-ahead batches are alive);
# with one, after the rules, when the findings are alive beside the model (8.4 KB a call, 10.7
# with each finding's evidence a tree of JSON objects rather than packed).
MAX_BYTES_PER_CALL = {2: 8_800, 1: 9_800}


def peak_heap(zaudit, capture, work, jobs):
    out = os.path.join(work, "massif.out")
    run = subprocess.run(["valgrind", "--tool=massif", "--massif-out-file=" + out, zaudit, "--jobs", str(jobs),
                          "-f", "jsonl", "-o", os.path.join(work, "report.jsonl"), "--fail-on", "none", capture],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"check_memory: zaudit under massif exited {run.returncode}:\n{run.stderr[-2000:]}")
    with open(out) as f:
        text = f.read()
    heap = [int(a) + int(b) for a, b in re.findall(r"^mem_heap_B=(\d+)\nmem_heap_extra_B=(\d+)", text, re.MULTILINE)]
    if not heap:
        sys.exit(f"check_memory: no heap snapshot in {out}")
    return max(heap)


def main():
    make_mix, zaudit, work = sys.argv[1:]
    if shutil.which("valgrind") is None:
        sys.exit("check_memory: valgrind is not installed (scripts/deps installs it)")
    os.makedirs(work, exist_ok=True)
    captures = {}
    for calls in (SMALL_CALLS, LARGE_CALLS):
        captures[calls] = os.path.join(work, f"mix-{calls}.pcap")
        subprocess.run([make_mix, captures[calls], "--calls", str(calls)] + SHAPE, check=True, capture_output=True)
    too_much = False
    for jobs, most in MAX_BYTES_PER_CALL.items():
        peaks = {calls: peak_heap(zaudit, capture, work, jobs) for calls, capture in captures.items()}
        per_call = (peaks[LARGE_CALLS] - peaks[SMALL_CALLS]) / (LARGE_CALLS - SMALL_CALLS)
        print(f"--jobs {jobs}: peak heap {peaks[SMALL_CALLS]} bytes for {SMALL_CALLS} calls, {peaks[LARGE_CALLS]} for "
              f"{LARGE_CALLS}: {per_call:.0f} bytes per further call (at most {most})")
        too_much = too_much or per_call > most
    if too_much:
        sys.exit("check_memory: the audit keeps too much of each call after it ended")


if __name__ == "__main__":
    main()
