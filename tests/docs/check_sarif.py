"""Holds zaudit's SARIF to the OASIS SARIF 2.1.0 JSON schema (draft-07, vendored with its
licence in tests/data/sarif/) and to what code-scanning UIs need that a schema cannot say.

usage: check_sarif.py SOURCE_DIR goldens
       check_sarif.py SOURCE_DIR live ZAUDIT CAPTURE...
       check_sarif.py SOURCE_DIR mutations ZAUDIT

goldens    every tests/golden/*.sarif (after its "exit: N" line) validates and passes the checks
live       `zaudit --format sarif` validates and passes the checks, result by result against
           `--format json` of the same run: for each capture on its own, for all of them in one
           run, for two taps merged (--merge, the zrtp-mitm-vantage samples), for a capture read
           from standard input, for a capture whose file name needs percent-encoding in a URI, and
           with --baseline (written by `zaudit baseline` from half of the captures) so that
           suppressions and baselineState appear
mutations  documents made from a baseline run's SARIF, each broken in one way, must each fail
           (the schema or the checks), and a few legal variations must pass: the test can fail

The checks beyond the schema: one run, whose driver is zaudit and whose rules are the catalogue
(`zaudit rules --format json`: same ids in order, same severities), each rule with a short and
full description and help text (and markdown), its defaultConfiguration level the one of its
severity; every artifact a capture (a URI reference that decodes to its path, and its sha-256);
every result's ruleId one of the rules (and ruleIndex, if any, pointing at it), its level the one
of its severity (critical and high: error, medium: warning, low and info: note), a message,
partialFingerprints with key zauditFingerprint/v1 (64 hex digits), a location whose
artifactLocation is one of the artifacts (its input's, or under --merge its first frame's, with the
other inputs it has frames in as relatedLocations), logical locations naming its call and stream
when it has them, a counted finding's count and examples; suppressions exactly on the accepted
results, and baselineState on every result of a baseline run (unchanged when accepted, new
otherwise) and on none otherwise.
Run it with Debian's python3 (python3-jsonschema, scripts/deps).
"""

import copy
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

try:
    import jsonschema
except ImportError:
    sys.exit(f"check_sarif.py: {sys.executable} has no jsonschema module; install python3-jsonschema (scripts/deps)")

sys.dont_write_bytecode = True  # no __pycache__ in the source tree for the import below
from check_schema import ADD, DELETE, SET, apply, read_golden  # noqa: E402 (after the line above)

SCHEMA = os.path.join("tests", "data", "sarif", "sarif-schema-2.1.0.json")
# The vendored file as tests/data/sarif/README.md records it: replaced whole, never edited.
SCHEMA_SHA256 = "10666d46649b52e262001e70d43e6c52f7c0279ca3dbdfe9a7dc2e4071556454"
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
FINGERPRINT_KEY = "zauditFingerprint/v1"
HEX64 = re.compile(r"[0-9a-f]{64}")
# RFC 3986 URI-reference: only these characters, and every % starting a percent-encoding.
URI_CHARS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")


def load_validator(source_dir):
    path = os.path.join(source_dir, SCHEMA)
    with open(path, "rb") as f:
        raw = f.read()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SCHEMA_SHA256:
        sys.exit(f"{path}: sha256 {digest}, not the vendored {SCHEMA_SHA256} (tests/data/sarif/README.md)")
    schema = json.loads(raw)
    if schema.get("$schema") != "http://json-schema.org/draft-07/schema#":
        sys.exit(f"{path}: not a draft-07 schema")
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def schema_errors(v, doc):
    return [f"  at /{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in v.iter_errors(doc)]


def uri_problem(uri):
    """Why uri is no URI reference (RFC 3986), or None."""
    if not isinstance(uri, str) or not uri:
        return "empty or not a string"
    if not URI_CHARS.fullmatch(uri):
        return "has characters a URI must percent-encode"
    if uri.count("#") > 1:
        return "has more than one '#'"
    return None


class Context:
    """What a SARIF document is checked against beyond itself: zaudit's catalogue, and the same
    run's JSON report (its findings and inputs) and whether it applied a baseline."""

    def __init__(self, catalogue=None, report=None):
        self.catalogue = catalogue
        self.report = report


def check(doc, context):
    """The problems of a SARIF document the schema cannot see, as lines."""
    try:
        return check_document(doc, context)
    except (AttributeError, KeyError, TypeError, IndexError) as e:  # a shape the schema rejects anyway
        return [f"  malformed: {type(e).__name__} {e}"]


def check_document(doc, context):
    problems = []
    runs = doc.get("runs") if isinstance(doc, dict) else None
    if not isinstance(runs, list) or len(runs) != 1:
        return ["  not exactly one run"]
    run = runs[0]
    driver = run.get("tool", {}).get("driver", {})
    if driver.get("name") != "zaudit" or not driver.get("version"):
        problems.append("  tool.driver is not zaudit with a version")
    rules = driver.get("rules", [])
    ids = [rule.get("id") for rule in rules]
    if len(set(ids)) != len(ids):
        problems.append("  rule ids repeat")
    for i, rule in enumerate(rules):
        where = f"  rules/{i} ({rule.get('id')})"
        for key in ("shortDescription", "fullDescription"):
            if not rule.get(key, {}).get("text"):
                problems.append(f"{where}: no {key} text")
        if not rule.get("help", {}).get("text") or not rule.get("help", {}).get("markdown"):
            problems.append(f"{where}: no help text and markdown")
        severity = rule.get("properties", {}).get("severity")
        if severity not in LEVEL:
            problems.append(f"{where}: properties.severity {severity!r} is not a zaudit severity")
        elif rule.get("defaultConfiguration", {}).get("level") != LEVEL[severity]:
            problems.append(f"{where}: defaultConfiguration.level is not {LEVEL[severity]} ({severity})")
    if context.catalogue is not None:
        if ids != [rule["id"] for rule in context.catalogue]:
            problems.append("  tool.driver.rules are not the ids of `zaudit rules`, in order")
        else:
            for rule, known in zip(rules, context.catalogue):
                if rule.get("properties", {}).get("severity") != known["severity"]:
                    problems.append(f"  rule {known['id']}: severity is not the catalogue's {known['severity']}")

    artifacts = [a.get("location", {}).get("uri") for a in run.get("artifacts", [])]
    for i, uri in enumerate(artifacts):
        why = uri_problem(uri)
        if why:
            problems.append(f"  artifacts/{i}: uri {uri!r} {why}")
    if context.report is not None:
        inputs = context.report["inputs"]
        if len(artifacts) != len(inputs):
            problems.append(f"  {len(artifacts)} artifacts for {len(inputs)} inputs")
        for i, (artifact, given) in enumerate(zip(run.get("artifacts", []), inputs)):
            uri = artifact.get("location", {}).get("uri")
            if not uri_problem(uri) and urllib.parse.unquote(uri) != given["path"]:
                problems.append(f"  artifacts/{i}: uri {uri!r} is not input {given['path']!r}")
            if artifact.get("hashes", {}).get("sha-256") != given["sha256"]:
                problems.append(f"  artifacts/{i}: sha-256 is not input {i + 1}'s")

    results = run.get("results", [])
    findings = context.report["findings"] if context.report is not None else None
    baseline = context.report is not None and context.report["baseline"] is not None
    if findings is not None and len(findings) != len(results):
        problems.append(f"  {len(results)} results for {len(findings)} findings")
    for i, result in enumerate(results):
        where = f"  results/{i} ({result.get('ruleId')})"
        if result.get("ruleId") not in ids:
            problems.append(f"{where}: ruleId is not one of tool.driver.rules")
        index = result.get("ruleIndex")
        if index is not None and (not 0 <= index < len(ids) or ids[index] != result.get("ruleId")):
            problems.append(f"{where}: ruleIndex does not point at its rule")
        severity = result.get("properties", {}).get("severity")
        if severity not in LEVEL or result.get("level") != LEVEL[severity]:
            problems.append(f"{where}: level {result.get('level')!r} is not that of severity {severity!r}")
        if not result.get("message", {}).get("text"):
            problems.append(f"{where}: no message text")
        fingerprint = result.get("partialFingerprints", {}).get(FINGERPRINT_KEY)
        if not isinstance(fingerprint, str) or not HEX64.fullmatch(fingerprint):
            problems.append(f"{where}: no partialFingerprints {FINGERPRINT_KEY} of 64 hex digits")
        locations = result.get("locations", [])
        uris = [loc.get("physicalLocation", {}).get("artifactLocation", {}).get("uri") for loc in locations]
        uris = [uri for uri in uris if uri is not None]
        if not uris:
            problems.append(f"{where}: no location with an artifactLocation")
        related = [loc.get("physicalLocation", {}).get("artifactLocation", {}).get("uri")
                   for loc in result.get("relatedLocations", [])]
        for uri in uris + related:
            if uri not in artifacts:
                problems.append(f"{where}: artifactLocation {uri!r} is not one of the artifacts")
        names = [logical.get("name") for loc in locations for logical in loc.get("logicalLocations", [])]
        if not names or not all(names):
            problems.append(f"{where}: no named logical location")
        suppressed = bool(result.get("suppressions"))
        state = result.get("baselineState")
        if findings is not None:
            if baseline and state != ("unchanged" if suppressed else "new"):
                problems.append(f"{where}: baselineState {state!r} in a baseline run, suppressed: {suppressed}")
            if not baseline and (state is not None or suppressed):
                problems.append(f"{where}: baselineState or suppressions without a baseline")
        if findings is None or i >= len(findings):
            continue
        finding = findings[i]
        if (result.get("ruleId"), fingerprint) != (finding["rule"], finding["fingerprint"]):
            problems.append(f"{where}: not finding {i} ({finding['rule']}) of the json report")
            continue
        if result.get("message", {}).get("text") != finding["message"]:
            problems.append(f"{where}: message is not the finding's")
        if severity != finding["severity"]:
            problems.append(f"{where}: severity is not the finding's {finding['severity']}")
        for kind in ("call", "stream"):
            if finding[kind] is not None and f"{kind} {finding[kind]}" not in names:
                problems.append(f"{where}: no logical location '{kind} {finding[kind]}'")
        # The capture that shows it: its input, or (merged) its first frame's.
        shown_in = finding.get("input") or (finding.get("frames_by_input") or [{"input": 1}])[0]["input"]
        path = context.report["inputs"][shown_in - 1]["path"]
        if not any(not uri_problem(uri) and urllib.parse.unquote(uri) == path for uri in uris):
            problems.append(f"{where}: no artifactLocation of input {shown_in} ({path})")
        # Merged: every other input it has frames in is a related location, and its frames there.
        others = sorted({w["input"] for w in finding.get("frames_by_input", [])} - {shown_in})
        paths = [urllib.parse.unquote(uri) for uri in related if not uri_problem(uri)]
        if paths != [context.report["inputs"][n - 1]["path"] for n in others]:
            problems.append(f"{where}: relatedLocations are not the other inputs {others} it has frames in")
        properties = result.get("properties", {})
        if properties.get("frames_by_input", []) != finding.get("frames_by_input", []):
            problems.append(f"{where}: properties.frames_by_input is not the finding's")
        if (properties.get("count"), properties.get("examples")) != (finding.get("count"), finding.get("examples")):
            problems.append(f"{where}: properties count and examples are not the finding's")
        if suppressed != finding["accepted"]:
            problems.append(f"{where}: suppressed is {suppressed}, accepted is {finding['accepted']}")
    return problems


def run_zaudit(zaudit, *args, stdin=None):
    result = subprocess.run([zaudit, *args], capture_output=True, check=False, stdin=stdin)
    if result.returncode not in (0, 1):
        sys.exit(f"{zaudit} {' '.join(args)}: exit {result.returncode}\n{result.stderr.decode(errors='replace')}")
    return result.stdout.decode("utf-8")


def catalogue_of(zaudit):
    return json.loads(run_zaudit(zaudit, "rules", "--format", "json"))["rules"]


def sarif_and_report(zaudit, args, stdin_path=None):
    """`zaudit --format sarif ARGS` and `--format json ARGS`, parsed."""
    outputs = []
    for fmt in ("sarif", "json"):
        if stdin_path:
            with open(stdin_path, "rb") as f:
                outputs.append(json.loads(run_zaudit(zaudit, "--format", fmt, "--fail-on", "none", *args, stdin=f)))
        else:
            outputs.append(json.loads(run_zaudit(zaudit, "--format", fmt, "--fail-on", "none", *args)))
    return outputs


def goldens(source_dir):
    v = load_validator(source_dir)
    paths = sorted(glob.glob(os.path.join(source_dir, "tests", "golden", "*.sarif")))
    if len(paths) < 10:
        sys.exit(f"only {len(paths)} golden SARIF files found")
    failed = 0
    for path in paths:
        doc = read_golden(path)
        problems = schema_errors(v, doc) + check(doc, Context())
        if problems:
            failed += 1
            print(f"FAIL {os.path.basename(path)}\n" + "\n".join(problems[:20]))
    print(f"{len(paths) - failed} of {len(paths)} golden SARIF files validate against {SCHEMA}")
    return 1 if failed else 0


def live_runs(zaudit, captures, work):
    """(name, zaudit arguments, file for standard input) of every run `live` checks."""
    runs = [(os.path.relpath(c), [c], None) for c in captures]
    runs.append((f"all {len(captures)} captures in one run", list(captures), None))
    taps = [c for c in captures if os.path.basename(c).startswith("zrtp-mitm-vantage-") and c[-6:] in ("a.pcap",
                                                                                                       "b.pcap")]
    if len(taps) != 2:
        sys.exit("live: the captures must include samples/zrtp-mitm-vantage-a.pcap and -b.pcap (for --merge)")
    runs.append(("--merge of the two vantage taps", ["--merge", *sorted(taps)], None))
    runs.append(("standard input", ["-"], captures[0]))
    odd = os.path.join(work, "a capture #1 100% [tap].pcap")  # space, #, %, brackets
    shutil.copyfile(taps[0], odd)
    runs.append(("a file name that needs percent-encoding", [odd], None))
    baseline = os.path.join(work, "zaudit baseline")
    with open(baseline, "w", encoding="utf-8") as f:
        f.write(run_zaudit(zaudit, "baseline", *captures[::2]))
    runs.append(("--baseline of every other capture", ["--baseline", baseline, *captures], None))
    return runs


def live(source_dir, zaudit, captures):
    v = load_validator(source_dir)
    context = Context(catalogue=catalogue_of(zaudit))
    failed = results = suppressed = new = 0
    with tempfile.TemporaryDirectory() as work:
        runs = live_runs(zaudit, captures, work)
        for name, args, stdin_path in runs:
            doc, context.report = sarif_and_report(zaudit, args, stdin_path)
            problems = schema_errors(v, doc) + check(doc, context)
            run_results = doc["runs"][0]["results"] if not problems else []
            results += len(run_results)
            if context.report["baseline"] is not None:
                suppressed += sum(1 for r in run_results if r.get("suppressions"))
                new += sum(1 for r in run_results if r.get("baselineState") == "new")
            if problems:
                failed += 1
                print(f"FAIL {name}\n" + "\n".join(problems[:20]))
    if not suppressed or not new:
        print(f"FAIL the baseline run has {suppressed} suppressed and {new} new results: it must have both")
        failed += 1
    print(f"{len(runs) - failed} of {len(runs)} SARIF documents validate and pass the checks ({results} results, "
          f"{suppressed} suppressed by the baseline, {new} new)")
    return 1 if failed or results == 0 else 0


def result_where(doc, predicate):
    """The path of the first result that predicate accepts."""
    for i, result in enumerate(doc["runs"][0]["results"]):
        if predicate(result):
            return ["runs", 0, "results", i]
    sys.exit("mutations: no result fits; pick another capture")


def high(r):
    return r["properties"]["severity"] == "high"


def with_call(r):
    return any(n["name"].startswith("call ") for n in r["locations"][0]["logicalLocations"])


def accepted(r):
    return bool(r.get("suppressions"))


def not_accepted(r):
    return not r.get("suppressions")


def counted(r):
    return "count" in r["properties"]


def spans_inputs(r):
    return bool(r.get("relatedLocations"))


RUN, RULE0, ART0 = ["runs", 0], ["runs", 0, "tool", "driver", "rules", 0], ["runs", 0, "artifacts", 0, "location"]
# (name, where: a path or (a result predicate, path under that result), operation, argument).
# MUST_FAIL_SCHEMA: the schema alone rejects each; MUST_FAIL_CHECKS: the schema accepts each and
# the checks reject it.
MUST_FAIL_SCHEMA = [
    ("result level 'severe'", (high, ["level"]), SET, "severe"),
    ("missing version", ["version"], DELETE, None),
    ("version 2.0.0", ["version"], SET, "2.0.0"),
    ("missing runs", ["runs"], DELETE, None),
    ("rule without id", RULE0 + ["id"], DELETE, None),
    ("tool without driver", RUN + ["tool", "driver"], DELETE, None),
    ("result without message", (high, ["message"]), DELETE, None),
    ("message without text", (high, ["message", "text"]), DELETE, None),
    ("extra top-level key", [], ADD, ("surprise", True)),
    ("extra key in a result", (high, []), ADD, ("severity", "high")),
    ("suppression kind 'baseline'", (accepted, ["suppressions", 0, "kind"]), SET, "baseline"),
    ("baselineState 'old'", (accepted, ["baselineState"]), SET, "old"),
    ("artifact uri as a number", ART0 + ["uri"], SET, 1),
    ("partial fingerprint as a number", (high, ["partialFingerprints", FINGERPRINT_KEY]), SET, 1),
    ("logicalLocations as an object", (high, ["locations", 0, "logicalLocations"]), SET, {"name": "call 1"}),
    ("default level 'fatal'", RULE0 + ["defaultConfiguration", "level"], SET, "fatal"),
]
MUST_FAIL_CHECKS = [
    ("result without partialFingerprints", (high, ["partialFingerprints"]), DELETE, None),
    ("fingerprint under another key", (high, ["partialFingerprints"]), SET, {"zauditFingerprint/v0": "0" * 64}),
    ("fingerprint not 64 hex digits", (high, ["partialFingerprints", FINGERPRINT_KEY]), SET, "ab12"),
    ("result without locations", (high, ["locations"]), DELETE, None),
    ("location without artifactLocation", (high, ["locations", 0, "physicalLocation"]), DELETE, None),
    ("artifactLocation not an artifact", (high, ["locations", 0, "physicalLocation", "artifactLocation", "uri"]),
     SET, "other.pcap"),
    ("artifact uri with a raw space", ART0 + ["uri"], SET, "my capture.pcap"),
    ("ruleId not a rule", (high, ["ruleId"]), SET, "zrtp.made-up"),
    ("ruleIndex pointing elsewhere", (high, []), ADD, ("ruleIndex", 0)),
    ("high result as a warning", (high, ["level"]), SET, "warning"),
    ("rule without help", RULE0 + ["help"], DELETE, None),
    ("rule with empty help text", RULE0 + ["help", "text"], SET, ""),
    ("rule default level not its severity's", RULE0 + ["defaultConfiguration", "level"], SET, "none"),
    ("rule missing from the driver", RUN + ["tool", "driver", "rules"], SET, []),
    ("result without its call", (with_call, ["locations", 0, "logicalLocations"]), SET, [{"name": "capture"}]),
    ("suppression on a new result", (not_accepted, []), ADD, ("suppressions", [{"kind": "external"}])),
    ("accepted result unsuppressed", (accepted, ["suppressions"]), DELETE, None),
    ("accepted result as new", (accepted, ["baselineState"]), SET, "new"),
    ("a counted finding without its examples", (counted, ["properties", "examples"]), DELETE, None),
    ("a result dropped", RUN + ["results"], SET, []),
    ("two runs", ["runs"], ADD, None),  # special-cased below: the run twice
]
# Of a --merge run's SARIF, the checks must reject:
MERGED_MUST_FAIL_CHECKS = [
    ("a merged result without its related location", (spans_inputs, ["relatedLocations"]), DELETE, None),
    ("a merged result without frames_by_input", (spans_inputs, ["properties", "frames_by_input"]), DELETE, None),
    ("a related location in the wrong input", (spans_inputs, ["relatedLocations", 0, "physicalLocation",
                                                              "artifactLocation", "uri"]), SET, "REPLACE"),
]
MUST_PASS = [
    ("as zaudit wrote it", [], None, None),
    ("without $schema", ["$schema"], DELETE, None),
    ("suppression state accepted", (accepted, ["suppressions", 0]), ADD, ("state", "accepted")),
    ("ruleIndex of its rule", (high, []), ADD, ("ruleIndex", None)),  # set to the right index below
    ("an occurrence count", (high, []), ADD, ("occurrenceCount", 3)),
]


def mutate(doc, where, operation, argument):
    doc = copy.deepcopy(doc)
    if operation is None:
        return doc
    if where == ["runs"] and operation == ADD:
        doc["runs"].append(copy.deepcopy(doc["runs"][0]))
        return doc
    if isinstance(where, tuple):
        predicate, path = where
        where = result_where(doc, predicate) + path
        if argument == ("ruleIndex", None):
            rule = doc["runs"][0]["results"][where[3]]["ruleId"]
            ids = [r["id"] for r in doc["runs"][0]["tool"]["driver"]["rules"]]
            argument = ("ruleIndex", ids.index(rule))
        elif argument == ("ruleIndex", 0):  # make sure 0 is another rule's
            assert doc["runs"][0]["tool"]["driver"]["rules"][0]["id"] != doc["runs"][0]["results"][where[3]]["ruleId"]
    if argument == "REPLACE":  # another artifact: the result's own location's
        argument = doc["runs"][0]["results"][where[3]]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    if not apply(doc, where, operation, argument):
        sys.exit(f"mutations: {where} is not in the document")
    return doc


def mutations(source_dir, zaudit):
    v = load_validator(source_dir)
    samples = os.path.join(source_dir, "samples")
    known = os.path.join(samples, "relay-sdes-to-plain.pcap")  # accepted by the baseline
    others = [os.path.join(samples, name) for name in ("zrtp-mitm-dhpart2.pcap",  # new: high, with calls
                                                       "sdes-key-reuse.pcap")]  # new: a counted finding
    taps = [os.path.join(samples, f"zrtp-mitm-vantage-{tap}.pcap") for tap in "ab"]
    failed = 0
    with tempfile.TemporaryDirectory() as work:
        baseline = os.path.join(work, "zaudit.baseline")
        with open(baseline, "w", encoding="utf-8") as f:
            f.write(run_zaudit(zaudit, "baseline", known))
        doc, report = sarif_and_report(zaudit, ["--baseline", baseline, known, *others])
    merged_doc, merged_report = sarif_and_report(zaudit, ["--merge", *taps])
    catalogue = catalogue_of(zaudit)
    context, merged = Context(catalogue, report), Context(catalogue, merged_report)
    for expected, cases, original, against in (("schema", MUST_FAIL_SCHEMA, doc, context),
                                               ("checks", MUST_FAIL_CHECKS, doc, context),
                                               ("checks", MERGED_MUST_FAIL_CHECKS, merged_doc, merged),
                                               ("pass", MUST_PASS, doc, context)):
        for name, where, operation, argument in cases:
            mutant = mutate(original, where, operation, argument)
            by_schema, by_checks = schema_errors(v, mutant), check(mutant, against)
            if expected == "schema" and not by_schema:
                print(f"FAIL {name}: the schema accepts it")
            elif expected == "checks" and (by_schema or not by_checks):
                print(f"FAIL {name}: " + ("the checks accept it" if not by_checks else "the schema rejects it already"))
            elif expected == "pass" and (by_schema or by_checks):
                print(f"FAIL {name}: rejected\n" + "\n".join((by_schema + by_checks)[:5]))
            else:
                print(f"ok   {name}: " + ("accepted" if expected == "pass" else
                                          f"rejected by the {expected}: {(by_schema or by_checks)[0].strip()}"))
                continue
            failed += 1
    checks = len(MUST_FAIL_CHECKS) + len(MERGED_MUST_FAIL_CHECKS)
    print(f"{len(MUST_FAIL_SCHEMA)} documents the schema must reject, {checks} the checks must reject, "
          f"{len(MUST_PASS)} legal ones: {failed} problem(s)")
    return 1 if failed else 0


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    source_dir, mode = argv[1], argv[2]
    if mode == "goldens" and len(argv) == 3:
        return goldens(source_dir)
    if mode == "live" and len(argv) > 4:
        return live(source_dir, argv[3], argv[4:])
    if mode == "mutations" and len(argv) == 4:
        return mutations(source_dir, argv[3])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
