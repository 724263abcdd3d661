#!/usr/bin/env python3
"""`check --format json|sarif|github` and `diff --format` over every golden case.

usage: formats_check.py DFOPT SOURCE_DIR

For each case (with its case.yaml options, --pin-digests left out): the JSON
document is valid against docs/dfopt-findings.schema.json, the SARIF log
against the official SARIF 2.1.0 schema (tests/data/sarif), and applying the
edits of either to the input gives what `dfopt fix --stdout` prints and the
.dockerignore the case expects; every SARIF fix changes an artifact; the
github format is one workflow command a finding. Then one document for
several files, stdin, and `diff --format`.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import jsonschema
import yaml

dfopt, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
golden = os.path.join(source, "golden")
with open(os.path.join(source, "docs", "dfopt-findings.schema.json")) as f:
    findings_schema = jsonschema.Draft7Validator(json.load(f))
with open(os.path.join(source, "tests", "data", "sarif", "sarif-schema-2.1.0.json")) as f:
    sarif_schema = jsonschema.Draft4Validator(json.load(f))
transforms = set(os.listdir(os.path.join(source, "golden"))) - {"pipeline"}
failures = []
changed_cases = []
GITHUB_LINE = re.compile(
    r"^::(warning|notice) file=[^,:]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=dfopt [a-z-]+::.+$")


def fail(name, message):
    failures.append(f"{name}: {message}")


def run(args, stdin=None, cwd=None):
    done = subprocess.run([dfopt] + args, capture_output=True, input=stdin, cwd=cwd)
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def case_args(case_dir):
    """The options of a case, as command-line flags, and the Dockerfile's name."""
    settings = {}
    path = os.path.join(case_dir, "case.yaml")
    if os.path.exists(path):
        with open(path) as f:
            settings = yaml.safe_load(f) or {}
    elif os.path.basename(os.path.dirname(case_dir)) in transforms:
        settings = {"only": [os.path.basename(os.path.dirname(case_dir))]}
    args = []
    for key in ("only", "skip"):
        if key in settings:
            value = settings[key]
            args += [f"--{key}", ",".join(value) if isinstance(value, list) else value]
    for key in ("user", "uid", "runtime-image"):
        if key in settings:
            args += [f"--{key}", str(settings[key])]
    if settings.get("unsafe-fixes"):
        args.append("--unsafe-fixes")
    return args, settings.get("file-name", "Dockerfile")


def apply(text, edits):
    """edits: (begin, end, replacement) of `text`, which must not overlap."""
    out, at = [], 0
    for begin, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        if begin < at:
            raise ValueError(f"overlapping edits at {begin}")
        out += [text[at:begin], replacement]
        at = end
    return text[:0].join(out) + text[at:]


def read(path, default=None):
    if not os.path.exists(path):
        return default
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def check_json(name, doc, dockerfile_bytes, fixed, expected_ignore, original_ignore):
    errors = sorted(findings_schema.iter_errors(doc), key=str)
    if errors:
        return fail(name, f"json not valid: {errors[0].message}")
    edits, written = [], {}
    for finding in doc["files"][0]["findings"]:
        for edit in finding["edits"]:
            edits.append((edit["begin"], edit["end"], edit["replacement"].encode()))
        for file in finding["files"]:
            if file["path"] in written:
                fail(name, f"json: {file['path']} written by two findings")
            written[file["path"]] = file
    result = apply(dockerfile_bytes, edits)
    if result != fixed.encode():
        fail(name, "json: the edits do not give fix's output")
    if ".dockerignore" in written:
        if written[".dockerignore"]["content"] != expected_ignore:
            fail(name, "json: .dockerignore is not the expected one")
        if written[".dockerignore"]["new"] != (original_ignore is None):
            fail(name, "json: .dockerignore new is wrong")
    elif expected_ignore != original_ignore:
        fail(name, "json: no finding writes the expected .dockerignore")


def check_sarif(name, log, dockerfile_text, fixed, expected_ignore, original_ignore, dockerfile_uri):
    errors = sorted(sarif_schema.iter_errors(log), key=str)
    if errors:
        return fail(name, f"sarif not valid: {errors[0].message} at {list(errors[0].path)}")
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    by_uri = {}
    for result in run_["results"]:
        if rules[result["ruleIndex"]]["id"] != result["ruleId"]:
            fail(name, "sarif: ruleIndex names another rule")
        for fix in result.get("fixes", []):
            if not fix["artifactChanges"]:
                fail(name, "sarif: a fix without an artifact change")
            for change in fix["artifactChanges"]:
                if not change["replacements"]:
                    fail(name, "sarif: an artifact change without a replacement")
                for r in change["replacements"]:
                    region = r["deletedRegion"]
                    by_uri.setdefault(change["artifactLocation"]["uri"], []).append(
                        (region["charOffset"], region["charOffset"] + region["charLength"],
                         r["insertedContent"]["text"]))
    if apply(dockerfile_text, by_uri.pop(dockerfile_uri, [])) != fixed:
        fail(name, "sarif: the replacements do not give fix's output")
    ignore_uri = os.path.join(os.path.dirname(dockerfile_uri), ".dockerignore")
    if ignore_uri in by_uri:
        if apply(original_ignore or "", by_uri.pop(ignore_uri)) != expected_ignore:
            fail(name, "sarif: the .dockerignore replacements do not give the expected file")
    elif expected_ignore != original_ignore:
        fail(name, "sarif: no fix writes the expected .dockerignore")
    if by_uri:
        fail(name, f"sarif: changes to unexpected artifacts {sorted(by_uri)}")


def check_case(case_dir, work):
    name = os.path.relpath(case_dir, golden)
    args, file_name = case_args(case_dir)
    context = os.path.join(work, "ctx")
    shutil.copytree(os.path.join(case_dir, "input"), context, symlinks=True)
    if file_name != "Dockerfile":
        os.rename(os.path.join(context, "Dockerfile"), os.path.join(context, file_name))
    with open(os.path.join(context, file_name), "rb") as f:
        dockerfile_bytes = f.read()
    dockerfile = "ctx/" + file_name  # relative to `work`, where dfopt runs

    def here(args):
        return run(args, cwd=work)

    _, fixed, _ = here(["fix", "--stdout"] + args + [dockerfile])
    if fixed.encode() != dockerfile_bytes:
        changed_cases.append(name)
    check_code, text_out, _ = here(["check"] + args + [dockerfile])
    expected_ignore = read(os.path.join(case_dir, "expected", ".dockerignore"))
    original_ignore = read(os.path.join(context, ".dockerignore"))
    code, out, err = here(["check", "--format", "json"] + args + [dockerfile])
    if code != check_code:
        fail(name, f"json: exit {code}, text exits {check_code}: {err}")
    check_json(name, json.loads(out), dockerfile_bytes, fixed, expected_ignore, original_ignore)
    code, out, err = here(["check", "--format", "sarif"] + args + [dockerfile])
    if code != check_code:
        fail(name, f"sarif: exit {code}, text exits {check_code}: {err}")
    check_sarif(name, json.loads(out), dockerfile_bytes.decode(), fixed, expected_ignore, original_ignore,
                dockerfile)
    code, out, err = here(["check", "--format", "github"] + args + [dockerfile])
    if code != check_code:
        fail(name, f"github: exit {code}, text exits {check_code}: {err}")
    text_lines = text_out.splitlines()
    lines = out.splitlines()
    if len(lines) != len(text_lines) or not all(GITHUB_LINE.match(line) for line in lines):
        fail(name, f"github: {len(lines)} lines for {len(text_lines)} findings: {lines[:1]}")


def check_cases():
    cases = sorted(os.path.dirname(os.path.dirname(p)) for p in
                   (os.path.join(golden, t, c, "input", "Dockerfile")
                    for t in os.listdir(golden) for c in os.listdir(os.path.join(golden, t)))
                   if os.path.exists(p))
    for case_dir in cases:
        with tempfile.TemporaryDirectory() as work:
            check_case(case_dir, work)
    return len(cases)


def check_run_level(work):
    """Several files make one document; stdin; diff --format; a usage error."""
    a = os.path.join(work, "a")
    b = os.path.join(work, "b")
    for d in (a, b):
        os.makedirs(d)
        with open(os.path.join(d, "Dockerfile"), "w") as f:
            f.write("FROM python:3.11\nADD app.py /app/\nCMD python /app/app.py\n")
        with open(os.path.join(d, "app.py"), "w") as f:
            f.write("print('hi')\n")
    os.chdir(work)
    code, out, _ = run(["check", "--format", "sarif", "a/Dockerfile", "b/Dockerfile"])
    log = json.loads(out)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    if code != 1 or len(log["runs"]) != 1 or uris != {"a/Dockerfile", "b/Dockerfile"}:
        fail("run", f"sarif over two files: exit {code}, {len(log['runs'])} runs, uris {sorted(uris)}")
    if list(sarif_schema.iter_errors(log)):
        fail("run", "sarif over two files is not valid")
    code, out, _ = run(["check", "--format", "json", "a/Dockerfile", "b/Dockerfile"])
    doc = json.loads(out)
    if code != 1 or [f["path"] for f in doc["files"]] != ["a/Dockerfile", "b/Dockerfile"]:
        fail("run", "json over two files")
    with open("a/Dockerfile", "rb") as f:
        code, out, _ = run(["check", "--format", "sarif", "-"], stdin=f.read())
    results = json.loads(out)["runs"][0]["results"]
    if code != 1 or results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] != "Dockerfile":
        fail("run", "sarif from stdin")
    code, out, _ = run(["diff", "--format", "json", "a/Dockerfile"])
    _, text_diff, _ = run(["diff", "--color", "never", "a/Dockerfile"])
    plain = "".join(line for line in text_diff.splitlines(True) if not line.startswith("# "))
    doc = json.loads(out)
    if code != 1 or doc["command"] != "diff" or doc["files"][0]["diff"] != plain or not plain:
        fail("run", "diff --format json does not hold the diff")
    if list(findings_schema.iter_errors(doc)):
        fail("run", "diff --format json is not valid")
    code, out, _ = run(["diff", "--format", "github", "a/Dockerfile"])
    commands = [line for line in out.splitlines() if line.startswith("::")]
    if code != 1 or not commands or not out.endswith(plain) or not all(GITHUB_LINE.match(c) for c in commands):
        fail("run", "diff --format github: the commands, then the diff")
    code, out, _ = run(["diff", "--format", "sarif", "a/Dockerfile"])
    if code != 1 or list(sarif_schema.iter_errors(json.loads(out))):
        fail("run", "diff --format sarif")
    code, _, err = run(["check", "--format", "xml", "a/Dockerfile"])
    if code != 2 or "--format" not in err:
        fail("run", f"an unknown format: exit {code}")
    with open("bad", "w") as f:
        f.write("FROM a\nENV PATH\n")
    code, out, err = run(["check", "--format", "json", "bad", "a/Dockerfile"])
    if code != 2 or [f["path"] for f in json.loads(out)["files"]] != ["a/Dockerfile"] or "bad:2:1" not in err:
        fail("run", f"a file that does not parse: exit {code}, {err}")


cases = check_cases()
with tempfile.TemporaryDirectory() as work:
    check_run_level(work)
for failure in failures:
    print("FAIL:", failure)
if len(changed_cases) < cases // 2:
    print(f"FAIL: only {len(changed_cases)} cases change something: the edits were hardly tested")
    failures.append("changed")
print(f"{cases} golden cases ({len(changed_cases)} with changes), {len(failures)} failures")
sys.exit(1 if failures else 0)
