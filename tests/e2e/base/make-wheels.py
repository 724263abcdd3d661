#!/usr/bin/env python3
"""Makes a wheelhouse from Python packages Debian installed.

usage: make-wheels.py OUTDIR NAME...

No package index is reachable from the e2e builds. The local python images
carry these wheels and an /etc/pip.conf that points pip at them (find-links,
no-index), so `pip install flask` works in any environment, a virtualenv
included, as it would against the index. Each wheel holds the package's
top-level modules as Debian installed them, and metadata whose Requires-Dist
comes from the installed metadata plus the Debian package's own Python
dependencies (Debian strips the upstream requirements from requires.txt); the
named packages' dependencies are wheeled too.
"""
import base64
import csv
import email.parser
import hashlib
import io
import re
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

from pip._vendor.packaging.requirements import Requirement


def normalize(name):
    return re.sub(r"[-_.]+", "_", name).lower()


def dpkg(*args):
    proc = subprocess.run(["dpkg", *args], capture_output=True, text=True)
    return proc.stdout if proc.returncode == 0 else ""


def debian_requirements(dist):
    """The distributions of the Python packages the Debian package of `dist`
    depends on (python3-werkzeug for Flask, ...)."""
    owner = dpkg("-S", str(dist._path)).split(":")[0].strip()  # pylint: disable=protected-access
    if not owner:
        return []
    depends = dpkg("-s", owner)
    match = re.search(r"^Depends: (.*)$", depends, re.M)
    names = []
    for alternative in (match.group(1).split(",") if match else []):
        package = alternative.split("|")[0].strip().split(" ")[0].split(":")[0]
        if not package.startswith("python3-"):
            continue
        for path in dpkg("-L", package).splitlines():
            info = re.match(r"^/usr/lib/python3/dist-packages/([^/]+?)-[^-/]+\.(?:egg|dist)-info$", path)
            if info:
                names.append(info.group(1))
    return names


def requirements(dist):
    """Requires-Dist lines: the installed metadata's, plus Debian's."""
    lines = list(dist.requires or [])
    named = {normalize(Requirement(line).name) for line in lines}
    for name in debian_requirements(dist):
        if normalize(name) not in named and normalize(name) != normalize(dist.metadata["Name"]):
            lines.append(name)
            named.add(normalize(name))
    return lines


def runtime_requirements(dist):
    """Requirements without extras whose markers hold here."""
    found = []
    for text in requirements(dist):
        req = Requirement(text)
        if req.marker and not req.marker.evaluate({"extra": ""}):
            continue
        found.append(req.name)
    return found


def top_level_files(dist):
    root = Path(dist.locate_file(""))
    names = (dist.read_text("top_level.txt") or "").split()
    files = []
    for name in names:
        module = root / name
        if module.is_dir():
            files += [p for p in module.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        for candidate in root.glob(name + ".*"):
            if candidate.is_file() and candidate.suffix in (".py", ".so"):
                files.append(candidate)
    if not files:
        raise SystemExit(f"{dist.metadata['Name']}: no top_level.txt modules found")
    return root, files


def metadata_text(dist):
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO")
    message = email.parser.Parser().parsestr(text)
    del message["Requires-Dist"]
    for requirement in requirements(dist):
        message["Requires-Dist"] = requirement
    return message.as_string()


def record_hash(data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def write_wheel(dist, outdir):
    name = normalize(dist.metadata["Name"])
    version = dist.version
    info = f"{name}-{version}.dist-info"
    wheel_path = outdir / f"{name}-{version}-py3-none-any.whl"
    root, files = top_level_files(dist)
    entries = [(str(p.relative_to(root)), p.read_bytes()) for p in sorted(files)]
    entries.append((f"{info}/METADATA", metadata_text(dist).encode()))
    entries.append((f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: dfopt-e2e\nRoot-Is-Purelib: true\nTag: py3-none-any\n"))
    for extra in ("entry_points.txt", "top_level.txt"):
        text = dist.read_text(extra)
        if text:
            entries.append((f"{info}/{extra}", text.encode()))
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for path, data in entries:
        writer.writerow([path, record_hash(data), len(data)])
    writer.writerow([f"{info}/RECORD", "", ""])
    entries.append((f"{info}/RECORD", record.getvalue().encode()))
    with zipfile.ZipFile(wheel_path, "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in entries:
            wheel.writestr(path, data)
    print(f"wheel: {wheel_path.name} ({len(files)} files)")


def main():
    outdir = Path(sys.argv[1])
    outdir.mkdir(parents=True, exist_ok=True)
    pending = list(sys.argv[2:])
    done = set()
    while pending:
        name = pending.pop()
        if normalize(name) in done:
            continue
        done.add(normalize(name))
        dist = metadata.distribution(name)
        if normalize(dist.metadata["Name"]) in ("setuptools", "pip", "wheel"):
            continue  # every environment has them (python -m venv installs them)
        write_wheel(dist, outdir)
        pending += runtime_requirements(dist)


if __name__ == "__main__":
    main()
