"""Holds zaudit's JSON output to docs/schema/zaudit-1.schema.json (JSON Schema draft 2020-12).

usage: check_schema.py SOURCE_DIR goldens
       check_schema.py SOURCE_DIR mutations
       check_schema.py SOURCE_DIR rule-ids ZAUDIT
       check_schema.py SOURCE_DIR live ZAUDIT CAPTURE...
       check_schema.py SOURCE_DIR compare ZAUDIT A B [A B...]

goldens    every tests/golden/*.json (after its "exit: N" line) validates
mutations  documents made from the goldens, each broken in one way, must each fail to validate
           (and a few legal variations must pass), so the schema is known to be strict
rule-ids   the schema's rule-id enum is exactly `zaudit rules --format json`'s ids, in order, and
           that document validates against docs/schema/zaudit-rules-1.schema.json
live       zaudit's json and jsonl output for captures outside the goldens validate too, and so does the
           json of a narrowed run (--since +0)
compare    `zaudit compare A B --format json` of each pair validates against
           docs/schema/zaudit-compare-1.schema.json, whose $defs shared with zaudit-1 are equal to
           zaudit-1's, and documents broken in one way must fail to validate
Run it with Debian's python3 (python3-jsonschema, scripts/deps).
"""

import copy
import glob
import json
import os
import re
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    sys.exit(f"check_schema.py: {sys.executable} has no jsonschema module; install python3-jsonschema (scripts/deps)")


def load_schema(source_dir, name):
    with open(os.path.join(source_dir, "docs", "schema", name), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def validator(schema, definition=None):
    if definition is not None:  # one of the schema's $defs, e.g. a jsonl line is a finding
        schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    return jsonschema.Draft202012Validator(schema)


def errors_of(v, doc):
    return [f"  at /{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in v.iter_errors(doc)]


def read_golden(path):
    with open(path, encoding="utf-8") as f:
        first, rest = f.read().split("\n", 1)
    if not re.fullmatch(r"exit: \d+", first):
        raise ValueError(f"{path}: first line is not 'exit: N'")
    return json.loads(rest)


def goldens(source_dir):
    paths = sorted(glob.glob(os.path.join(source_dir, "tests", "golden", "*.json")))
    if len(paths) < 10:
        sys.exit(f"only {len(paths)} golden JSON files found")
    v = validator(load_schema(source_dir, "zaudit-1.schema.json"))
    failed = 0
    for path in paths:
        errors = errors_of(v, read_golden(path))
        if errors:
            failed += 1
            print(f"FAIL {os.path.basename(path)}")
            print("\n".join(errors[:20]))
    print(f"{len(paths) - failed} of {len(paths)} golden JSON files validate")
    return 1 if failed else 0




def narrowed(**changes):
    """A valid `narrowed` (a report of call 2 of 2, say), with some keys changed or (None as value) removed."""
    counts = {"calls": 1, "media_streams": 2, "zrtp_handshakes": 0, "flows": 2, "findings": 4}
    value = {"calls": ["2"], "since": None, "until": None, "kept": counts, "left_out": dict(counts, flows=0)}
    for key, new in changes.items():
        if new == DELETE:
            del value[key]
        else:
            value[key] = new
    return value


# A DTLS handshake as zaudit writes it (the goldens' samples have no DTLS; the interop captures'
# ones are validated live): the mutations below put it, broken in one way, into a golden.
DTLS_CERTIFICATE = {"frame": 14, "from": "10.77.0.1:7078", "role": "server", "chain_length": 1,
                    "hash_function": "sha-256", "fingerprint": "05:8D:31", "sdp_fingerprint": "SHA-256 05:8D:31",
                    "sdp_frame": 1, "sdp_matched_by": "address", "verdict": "verified", "reason": None}
DTLS_HANDSHAKE = {"id": 1, "flow": 2, "call": 1, "client": "10.77.0.2:7078", "server": "10.77.0.1:7078",
                  "version": "0xfefd", "dtls13": False, "completed": True, "client_hello_frame": 7,
                  "server_hello_frame": 14, "offered_profiles": ["SRTP_AES128_CM_HMAC_SHA1_80", "0x00ff"],
                  "selected_profile": "SRTP_AES128_CM_HMAC_SHA1_80", "certificates": [DTLS_CERTIFICATE],
                  "verdict": "verified", "not_verifiable": None, "first_frame": 7, "last_frame": 27, "records": 30,
                  "retransmitted_fragments": 0, "encrypted_records": 4}


def dtls_with(**changes):
    """[DTLS_HANDSHAKE] with some keys changed (a value of DELETE removes the key)."""
    handshake = copy.deepcopy(DTLS_HANDSHAKE)
    for key, value in changes.items():
        if value == DELETE:
            del handshake[key]
        else:
            handshake[key] = value
    return [handshake]


def dtls_certificate_with(**changes):
    certificate = dict(DTLS_CERTIFICATE, **changes)
    return dtls_with(certificates=[certificate])


# Each mutation: (name, path into the document, operation, argument). The first golden in which
# the path exists is mutated, so every mutation really changes a document.
DELETE, SET, ADD, DUPLICATE = "delete", "set", "add", "duplicate"  # DUPLICATE appends a copy of item 0
MUST_FAIL = [
    ("missing top-level key", ["decode"], DELETE, None),
    ("missing tool version", ["tool", "version"], DELETE, None),
    ("missing finding rule", ["findings", 0, "rule"], DELETE, None),
    ("missing finding evidence", ["findings", 0, "evidence"], DELETE, None),
    ("missing media protection", ["media", 0, "protection"], DELETE, None),
    ("missing input sha256", ["inputs", 0, "sha256"], DELETE, None),
    ("missing zrtp hello zid", ["zrtp", 0, "endpoints", 0, "hello", "zid"], DELETE, None),
    ("missing tcp counters on a tcp flow", ["flows", {"transport": "tcp"}, "tcp"], DELETE, None),
    ("missing summary severity", ["summary", "findings", "info"], DELETE, None),
    ("extra top-level key", [], ADD, ("surprise", True)),
    ("extra key in a finding", ["findings", 0], ADD, ("fingerprint_v0", "ab")),
    ("extra key in a media stream", ["media", 0], ADD, ("codec", "PCMU")),
    ("extra key in a call's signaling", ["calls", 0, "signaling"], ADD, ("srtp", False)),
    ("missing call protocol", ["calls", 0, "protocol"], DELETE, None),
    ("unknown call protocol", ["calls", 0, "protocol"], SET, "h323"),
    ("missing iax2 protection", ["calls", {"protocol": "iax2"}, "iax2", "protection"], DELETE, None),
    ("bad iax2 protection", ["calls", {"protocol": "iax2"}, "iax2", "protection"], SET, "aes256"),
    ("iax2 call number above 15 bits", ["calls", {"protocol": "iax2"}, "iax2", "caller_call_number"], SET, 32768),
    ("extra key in a call's iax2", ["calls", {"protocol": "iax2"}, "iax2"], ADD, ("key", "00")),
    ("extra key in a zrtp Hello", ["zrtp", 0, "endpoints", 0, "hello"], ADD, ("pq", True)),
    ("extra key in decode frames", ["decode", "frames"], ADD, ("lost", 0)),
    ("extra payload class", ["flows", 0, "payloads"], ADD, ("sctp", 1)),
    ("tcp counters on a udp flow", ["flows", {"transport": "udp"}], ADD, ("tcp", {"gap_bytes": 0,
                                                                                  "retransmitted_bytes": 0})),
    ("unknown rule id", ["findings", 0, "rule"], SET, "zrtp.made-up"),
    ("bad severity", ["findings", 0, "severity"], SET, "severe"),
    ("severity in capitals", ["findings", 0, "severity"], SET, "HIGH"),
    ("unknown severity in the summary", ["summary", "findings"], ADD, ("severe", 0)),
    ("bad confidence", ["findings", 0, "confidence"], SET, "not_verifiable"),
    ("bad protection", ["media", 0, "protection"], SET, "srtp"),
    ("unknown srtp key source", ["media", 0, "srtp_checks", 0, "source"], SET, "guessed"),
    ("srtp check without settled", ["media", 0, "srtp_checks", 0, "settled"], DELETE, None),
    ("srtp check settled maybe", ["media", 0, "srtp_checks", 0, "settled"], SET, {"verdict": "maybe", "after": 8}),
    ("missing protection timeline", ["media", 0, "protection_timeline"], DELETE, None),
    ("bad protection in the timeline", ["media", 0, "protection_timeline", 0, "protection"], SET, "srtp"),
    ("timeline period without its frame", ["media", 0, "protection_timeline", 0, "from_frame"], DELETE, None),
    ("bad protection in a call's media", ["calls", 0, "media", 0, "protection"], SET, "tls"),
    ("bad check outcome", ["zrtp", 0, "checks", 0, "outcome"], SET, "ok"),
    ("bad zrtp message type", ["zrtp", 0, "messages", 0, "type"], SET, "Hello   "),
    ("other schema", ["schema"], SET, "zaudit/2"),
    ("missing dtls list", ["dtls"], DELETE, None),
    ("missing summary dtls_handshakes", ["summary", "dtls_handshakes"], DELETE, None),
    ("missing call dtls_handshakes", ["calls", 0, "dtls_handshakes"], DELETE, None),
    ("unknown call verdict", ["calls", 0, "verdict", "protection"], SET, "dtls-srtp-ok"),
    ("dtls handshake with an unknown verdict", ["dtls"], SET, dtls_with(verdict="ok")),
    ("dtls handshake without certificates", ["dtls"], SET, dtls_with(certificates=DELETE)),
    ("dtls handshake with an extra key", ["dtls"], SET, dtls_with(cipher_suite="0xc02b")),
    ("dtls profile in lower case", ["dtls"], SET, dtls_with(selected_profile="srtp_aes128_cm_hmac_sha1_80")),
    ("dtls version as a number", ["dtls"], SET, dtls_with(version=65277)),
    ("dtls certificate with an unknown hash", ["dtls"], SET, dtls_certificate_with(hash_function="md5")),
    ("dtls fingerprint in lower case", ["dtls"], SET, dtls_certificate_with(fingerprint="05:8d:31")),
    ("dtls certificate matched by a guess", ["dtls"], SET, dtls_certificate_with(sdp_matched_by="guess")),
    ("dtls certificate verdict mismatched", ["dtls"], SET, dtls_certificate_with(verdict="mismatched")),
    ("dtls certificate without sender", ["dtls"], SET, dtls_certificate_with(**{"from": None})),
    ("wrong type: frames as a string", ["findings", 0, "frames"], SET, "12"),
    ("wrong type: packets as a string", ["media", 0, "packets"], SET, "10"),
    ("wrong type: partial as a number", ["partial"], SET, 0),
    ("wrong type: evidence as a list", ["findings", 0, "evidence"], SET, []),
    ("wrong type: call id as a string", ["findings", {"call": int}, "call"], SET, "1"),
    ("negative count", ["summary", "frames"], SET, -1),
    ("frame 0", ["findings", 0, "frames"], SET, [0]),
    ("ssrc as a number", ["media", 0, "ssrc"], SET, 305419896),
    ("ssrc not 8 hex digits", ["media", 0, "ssrc"], SET, "0x1234"),
    ("time without microseconds", ["calls", 0, "start"], SET, "2024-01-01T00:00:00Z"),
    ("endpoint without port", ["media", 0, "src"], SET, "192.0.2.1"),
    ("sha256 in capitals", ["inputs", 0, "sha256"], SET, "A" * 64),
    ("three zrtp endpoints", ["zrtp", 0, "endpoints"], DUPLICATE, None),
    ("hello without its frame", ["zrtp", 0, "endpoints", 0, "hello_frame"], DELETE, None),
    ("evidence key not snake_case", ["findings", 0, "evidence"], ADD, ("Key Fingerprint", "x")),
    ("anomaly code without its area", ["decode", "anomalies"], SET, {"bad_start_line": 1}),
    ("negative anomaly count", ["decode", "anomalies"], SET, {"sip.bad_start_line": -1}),
    ("missing decode anomalies", ["decode", "anomalies"], DELETE, None),
    ("missing merged", ["merged"], DELETE, None),
    ("merged as a string", ["merged"], SET, "no"),
    ("input 0 on a finding", ["findings", 0, "input"], SET, 0),
    ("input as a string on a call", ["calls", 0, "input"], SET, "1"),
    ("missing filtered_out", ["inputs", 0, "filtered_out"], DELETE, None),
    ("empty input error", ["inputs", 0, "error"], SET, ""),
    ("frames_by_input without its frame", ["findings", 0], ADD, ("frames_by_input", [{"input": 1}])),
    ("frames_by_input with frame 0", ["findings", 0], ADD, ("frames_by_input", [{"input": 1, "frame": 0}])),
    ("ended_by empty instead of null", ["calls", 0, "ended_by"], SET, ""),
    ("ended_by not a known end", ["calls", 0, "ended_by"], SET, "timeout"),
    ("ended_by error without its code", ["calls", 0, "ended_by"], SET, "error"),
    ("missing call outcome", ["calls", 0, "outcome"], DELETE, None),
    ("missing call legs", ["calls", 0, "legs"], DELETE, None),
    ("missing call path", ["calls", 0, "path"], DELETE, None),
    ("missing linked calls", ["calls", 0, "linked_calls"], DELETE, None),
    ("linked call tied by guess", ["calls", 0, "linked_calls"], SET, [{"call": 2, "by": "guess"}]),
    ("leg role not a known role", ["calls", 0, "legs", 0, "role"], SET, "b2bua"),
    ("leg without its endpoints", ["calls", 0, "legs", 0, "a"], DELETE, None),
    ("path node kind unknown", ["calls", 0, "path", 0, "kind"], SET, "router"),
    ("path node without addresses", ["calls", 0, "path", 0, "addresses"], SET, []),
    ("missing stream leg", ["media", 0, "leg"], DELETE, None),
    ("twin as a bare id", ["media", 0, "twin"], SET, 3),
    ("outcome as a bare status", ["calls", 0, "outcome"], SET, 488),
    ("provisional status as an outcome", ["calls", 0, "outcome", "status"], SET, 180),
    ("outcome without its frame", ["calls", 0, "outcome", "frame"], DELETE, None),
    ("extra key in an outcome", ["calls", 0, "outcome"], ADD, ("sip_frag", "x")),
    ("missing duration_s", ["calls", 0, "duration_s"], DELETE, None),
    ("negative duration_s", ["calls", 0, "duration_s"], SET, -0.5),
    ("missing media codecs", ["media", 0, "codecs"], DELETE, None),
    ("missing max delta", ["media", 0, "rtp", "max_delta_ms"], DELETE, None),
    ("missing mean jitter", ["media", 0, "rtp", "mean_jitter_ms"], DELETE, None),
    ("extra key in a codec", ["media", 0, "codecs", 0], ADD, ("channels", 2)),
    ("bad codec source", ["media", 0, "codecs", 0, "source"], SET, "rtpmap"),
    ("clock rate as a string", ["media", 0, "codecs", 0, "clock_rate"], SET, "48000"),
    ("max jitter as a string", ["media", 0, "rtp", "max_jitter_ms"], SET, "0.5"),
    ("negative max delta", ["media", 0, "rtp", "max_delta_ms"], SET, -1),
    ("loss percentage missing", ["media", 0, "rtp", "lost_percent"], DELETE, None),
    ("missing decode dialogs", ["decode", "dialogs"], DELETE, None),
    ("dialogs summarised as a string", ["decode", "dialogs", "summarised"], SET, "3"),
    ("extra key in decode dialogs", ["decode", "dialogs"], ADD, ("evicted", 1)),
    ("a count of zero", ["findings", 0], ADD, ("count", 0)),
    ("a count without examples", ["findings", 0], ADD, ("count", 3)),
    ("eleven examples", ["findings", {"count": int}, "examples"], SET, [{}] * 11),
    ("examples without a count", ["findings", {"count": int}, "count"], DELETE, None),
    ("missing finding fingerprint", ["findings", 0, "fingerprint"], DELETE, None),
    ("fingerprint not 64 hex digits", ["findings", 0, "fingerprint"], SET, "ab12"),
    ("fingerprint in capitals", ["findings", 0, "fingerprint"], SET, "A" * 64),
    ("missing finding accepted", ["findings", 0, "accepted"], DELETE, None),
    ("accepted as a string", ["findings", 0, "accepted"], SET, "yes"),
    ("missing baseline", ["baseline"], DELETE, None),
    ("missing config", ["config"], DELETE, None),
    ("config switching off an unknown rule", ["config"], SET, {"path": "z.toml", "sha256": "0" * 64, "required": [],
                                                               "rules_off": ["zrtp.made-up"], "severity": {}}),
    ("config requiring an unknown protection", ["config"], SET, {"path": "z.toml", "sha256": "0" * 64,
                                                                 "required": ["srtp"], "rules_off": [], "severity": {}}),
    ("baseline without its sha256", ["baseline"], SET, {"path": "b", "fingerprints": 1, "accepted": 0}),
    ("missing dialogs idle_calls", ["decode", "dialogs", "idle_calls"], DELETE, None),
    ("missing dialogs failed_calls", ["decode", "dialogs", "failed_calls"], DELETE, None),
    ("missing call verdict", ["calls", 0, "verdict"], DELETE, None),
    ("verdict protection not a known one", ["calls", 0, "verdict", "protection"], SET, "sdes-srtp"),
    ("verdict worst without its severity", ["calls", 0, "verdict", "worst"], SET, {"rule": "sdes.key-exposed"}),
    ("verdict worst of an unknown rule", ["calls", 0, "verdict", "worst"], SET,
     {"rule": "zrtp.made-up", "severity": "high"}),
    ("missing findings_by_rule", ["summary", "findings_by_rule"], DELETE, None),
    ("findings_by_rule of an unknown rule", ["summary", "findings_by_rule"], SET, {"zrtp.made-up": 1}),
    ("findings_by_rule with a zero", ["summary", "findings_by_rule"], SET, {"sdes.key-exposed": 0}),
    ("missing narrowed", ["narrowed"], DELETE, None),
    ("narrowed as a flag", ["narrowed"], SET, True),
    ("narrowed to nothing", ["narrowed"], SET, narrowed(calls=[])),
    ("narrowed without what it left out", ["narrowed"], SET, narrowed(left_out=DELETE)),
    ("narrowed without its window", ["narrowed"], SET, narrowed(since=DELETE)),
    ("narrowed by an empty call item", ["narrowed"], SET, narrowed(calls=[""])),
    ("narrowed by a call number as a number", ["narrowed"], SET, narrowed(calls=[2])),
    ("narrowed since a time without its zone", ["narrowed"], SET, narrowed(since="2026-03-01T10:00:00")),
    ("narrowed since seconds before the first packet", ["narrowed"], SET, narrowed(since="-90")),
    ("narrowed until seconds with trailing zeros", ["narrowed"], SET, narrowed(until="+1.50")),
    ("narrowed counts without findings", ["narrowed"], SET, narrowed(kept={"calls": 1, "media_streams": 2,
                                                                           "zrtp_handshakes": 0, "flows": 2})),
    ("narrowed counts negative", ["narrowed"], SET, narrowed(left_out={"calls": -1, "media_streams": 0,
                                                                        "zrtp_handshakes": 0, "flows": 0,
                                                                        "findings": 0})),
    ("extra key in narrowed", ["narrowed"], SET, dict(narrowed(), flows=[1])),
]
MUST_PASS = [
    ("decode anomalies by code", ["decode", "anomalies"], SET, {"sip.bad_start_line": 2, "zrtp.bad_crc": 0}),
    ("a finding of a merged run", ["findings", 0], ADD, ("frames_by_input", [{"input": 2, "frame": 7}])),
    ("a finding without input (merged)", ["findings", 0, "input"], DELETE, None),
    ("a counted finding with more things than examples", ["findings", {"count": int}, "count"], SET, 12000),
    ("an input that could not be read", ["inputs", 0, "error"], SET, "x.pcap: No such file or directory"),
    ("a null call on a finding", ["findings", 0, "call"], SET, None),
    ("no findings", ["findings"], SET, []),
    ("a verified dtls handshake", ["dtls"], SET, dtls_with()),
    ("a dtls 1.3 handshake", ["dtls"], SET, dtls_with(dtls13=True, verdict="not-verifiable", certificates=[],
                                                     not_verifiable="DTLS 1.3 encrypts the Certificate",
                                                     version=None, selected_profile=None)),
    ("a mismatched dtls certificate", ["dtls"], SET, dtls_certificate_with(verdict="mismatch")),
    ("a dtls-srtp-verified call", ["calls", 0, "verdict", "protection"], SET, "dtls-srtp-verified"),
    ("a dtls-srtp-failed call", ["calls", 0, "verdict", "protection"], SET, "dtls-srtp-failed"),
    ("a run with a config", ["config"], SET, {"path": "zaudit.toml", "sha256": "0" * 64, "required": ["zrtp"],
                                              "rules_off": ["path.media-relay"],
                                              "severity": {"sip.cleartext-signaling": "medium"}}),
    ("a run with a baseline", ["baseline"], SET, {"path": "zaudit.baseline", "sha256": "0" * 64, "fingerprints": 3,
                                                  "accepted": 2}),
    ("a call without findings", ["calls", 0, "verdict", "worst"], SET, None),
    ("a call still up at the end of the capture", ["calls", 0, "ended_by"], SET, None),
    ("a call with no final response", ["calls", 0, "outcome"], SET, None),
    ("a call that failed", ["calls", 0, "ended_by"], SET, "error 488"),
    ("jitter unknown (no clock rate)", ["media", 0, "rtp", "max_jitter_ms"], SET, None),
    ("a report narrowed by call", ["narrowed"], SET, narrowed()),
    ("a report narrowed to a window", ["narrowed"], SET, narrowed(calls=[], since="2026-03-01T10:00:00.000000Z",
                                                                 until="+1.5")),
    ("a report narrowed to the first 90 s", ["narrowed"], SET, narrowed(calls=[], until="+90")),
    ("a codec neither announced nor static", ["media", 0, "codecs", 0], SET,
     {"payload_type": 96, "name": None, "clock_rate": None, "source": "unknown"}),
]


def matches(item, selector):
    return all(isinstance(item.get(k), v) if isinstance(v, type) else item.get(k) == v for k, v in selector.items())


def resolve(doc, path):
    """The container holding path's last step and that step (index, key or selector result), or None."""
    node = doc
    for i, step in enumerate(path):
        last = i == len(path) - 1
        if isinstance(step, dict):
            if not isinstance(node, list):
                return None
            index = next((j for j, item in enumerate(node) if isinstance(item, dict) and matches(item, step)), None)
            if index is None:
                return None
            step = index
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return None
        elif not isinstance(node, dict) or step not in node:
            return None
        if last:
            return node, step
        node = node[step]
    return None


def apply(doc, path, operation, argument):
    """Mutates doc; False when the path is not in it."""
    if operation == ADD:
        target = resolve(doc, path) if path else (None, None)
        if target is None:
            return False
        node = doc if not path else target[0][target[1]]
        key, value = argument
        if not isinstance(node, dict) or key in node:
            return False
        node[key] = value
        return True
    target = resolve(doc, path)
    if target is None:
        return False
    container, step = target
    if operation == DELETE:
        del container[step]
    elif operation == DUPLICATE:
        container[step].append(copy.deepcopy(container[step][0]))
    else:
        container[step] = argument
    return True


def mutated(docs, path, operation, argument):
    """The first document (valid as it is) in which path exists, mutated."""
    for name, doc in docs:
        candidate = copy.deepcopy(doc)
        if apply(candidate, path, operation, argument):
            return name, candidate
    return None, None


def mutations(source_dir):
    v = validator(load_schema(source_dir, "zaudit-1.schema.json"))
    docs = [(os.path.basename(p), read_golden(p))
            for p in sorted(glob.glob(os.path.join(source_dir, "tests", "golden", "*.json")))]
    docs = [(name, doc) for name, doc in docs if not errors_of(v, doc)]  # a mutation must be the only fault
    failed = 0
    for must_fail, cases in ((True, MUST_FAIL), (False, MUST_PASS)):
        for name, path, operation, argument in cases:
            golden, doc = mutated(docs, path, operation, argument)
            if doc is None:
                print(f"FAIL {name}: no golden has {path}; pick another path")
                failed += 1
                continue
            errors = errors_of(v, doc)
            if must_fail and not errors:
                print(f"FAIL {name} ({golden}): the schema accepts it")
                failed += 1
            elif not must_fail and errors:
                print(f"FAIL {name} ({golden}): the schema rejects it\n" + "\n".join(errors[:5]))
                failed += 1
            else:
                print(f"ok   {name} ({golden}): {'rejected' if must_fail else 'accepted'}")
    return 1 if failed else 0


def run_zaudit(zaudit, *args):
    result = subprocess.run([zaudit, *args], capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1):
        sys.exit(f"{zaudit} {' '.join(args)}: exit {result.returncode}\n{result.stderr}")
    return result.stdout


def rule_ids(source_dir, zaudit):
    rules = json.loads(run_zaudit(zaudit, "rules", "--format", "json"))
    errors = errors_of(validator(load_schema(source_dir, "zaudit-rules-1.schema.json")), rules)
    if errors:
        print("`zaudit rules --format json` does not validate against zaudit-rules-1.schema.json\n" + "\n".join(errors))
        return 1
    catalogue = [rule["id"] for rule in rules["rules"]]
    schema_ids = load_schema(source_dir, "zaudit-1.schema.json")["$defs"]["rule_id"]["enum"]
    if catalogue != schema_ids:
        print("docs/schema/zaudit-1.schema.json $defs/rule_id differs from `zaudit rules --format json`:")
        print(f"  only in the catalogue: {sorted(set(catalogue) - set(schema_ids))}")
        print(f"  only in the schema:    {sorted(set(schema_ids) - set(catalogue))}")
        if set(catalogue) == set(schema_ids):
            print("  (same ids, other order: keep the catalogue's order)")
        return 1
    print(f"{len(catalogue)} rule ids agree")
    return 0


def live(source_dir, zaudit, captures):
    schema = load_schema(source_dir, "zaudit-1.schema.json")
    document, finding = validator(schema), validator(schema, "finding")
    failed, lines = 0, 0
    for capture in captures:
        errors = errors_of(document, json.loads(run_zaudit(zaudit, "--format", "json", "--fail-on", "none", capture)))
        # Narrowed to a window from the first packet on: what zaudit writes for a narrowed run validates too.
        narrowed_doc = json.loads(run_zaudit(zaudit, "--format", "json", "--fail-on", "none", "--since", "+0", capture))
        errors += errors_of(document, narrowed_doc)
        if narrowed_doc["narrowed"] is None or narrowed_doc["narrowed"]["since"] != "+0":
            errors.append("  --since +0 gave no narrowed key")
        for line in run_zaudit(zaudit, "--format", "jsonl", "--fail-on", "none", capture).splitlines():
            lines += 1
            errors += errors_of(finding, json.loads(line))
        if errors:
            failed += 1
            print(f"FAIL {capture}\n" + "\n".join(errors[:20]))
    print(f"{len(captures) - failed} of {len(captures)} captures give valid json and jsonl ({lines} jsonl lines)")
    return 1 if failed or lines == 0 else 0


# Mutations of a compare document: (name, path, operation, argument), as MUST_FAIL above.
COMPARE_MUST_FAIL = [
    ("other schema", ["schema"], SET, "zaudit/1"),
    ("one input only", ["inputs"], SET, []),
    ("missing clock offset", ["clock_offset_s"], DELETE, None),
    ("clock offset as a string", ["clock_offset_s"], SET, "3.7"),
    ("unknown offset basis", ["clock_offset_basis"], SET, "guess"),
    ("extra top-level key", [], ADD, ("surprise", True)),
    ("unknown verdict", ["calls", 0, "verdict"], SET, "same"),
    ("a field that is not a compared value", ["calls", 0, "same"], SET, ["zrtp.caller.sas"]),
    ("a difference without b", ["calls", {"verdict": "different"}, "different", 0, "b"], DELETE, None),
    ("a difference with a number", ["calls", {"verdict": "different"}, "different", 0, "a"], SET, 1),
    ("missing view", ["calls", 0, "a"], DELETE, None),
    ("view input 0", ["calls", 0, "a", "input"], SET, 0),
    ("unknown rule on a finding", ["findings", 0, "rule"], SET, "path.made-up"),
    ("finding without severity", ["findings", 0, "severity"], DELETE, None),
    ("missing verdict count", ["summary", "verdicts", "identical"], DELETE, None),
]


def compare(source_dir, zaudit, pairs):
    base = load_schema(source_dir, "zaudit-1.schema.json")
    schema = load_schema(source_dir, "zaudit-compare-1.schema.json")
    failed = 0
    for name, definition in schema["$defs"].items():
        if name in base["$defs"] and base["$defs"][name] != definition:
            print(f"FAIL zaudit-compare-1 $defs/{name} differs from zaudit-1's: copy it over")
            failed += 1
    if schema["properties"]["tool"] != base["properties"]["tool"]:
        print("FAIL zaudit-compare-1 tool differs from zaudit-1's")
        failed += 1
    v = validator(schema)
    docs = []
    for a, b in zip(pairs[::2], pairs[1::2]):
        doc = json.loads(run_zaudit(zaudit, "compare", "--format", "json", "--fail-on", "none", a, b))
        errors = errors_of(v, doc)
        if errors:
            failed += 1
            print(f"FAIL compare {a} {b}\n" + "\n".join(errors[:20]))
        else:
            docs.append((os.path.basename(b), doc))
    for name, path, operation, argument in COMPARE_MUST_FAIL:
        golden, doc = mutated(docs, path, operation, argument)
        if doc is None:
            print(f"FAIL {name}: no compare document has {path}")
            failed += 1
        elif not errors_of(v, doc):
            print(f"FAIL {name} ({golden}): the schema accepts it")
            failed += 1
        else:
            print(f"ok   {name} ({golden}): rejected")
    print(f"{len(pairs) // 2} compare documents checked, {len(COMPARE_MUST_FAIL)} mutations: {failed} problem(s)")
    return 1 if failed or len(pairs) < 2 or len(pairs) % 2 else 0


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    source_dir, mode = argv[1], argv[2]
    if mode == "goldens":
        return goldens(source_dir)
    if mode == "mutations":
        return mutations(source_dir)
    if mode == "rule-ids" and len(argv) == 4:
        return rule_ids(source_dir, argv[3])
    if mode == "live" and len(argv) > 4:
        return live(source_dir, argv[3], argv[4:])
    if mode == "compare" and len(argv) > 5:
        return compare(source_dir, argv[3], argv[4:])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
