#!/usr/bin/env python3
"""Makes `pip check` pass in a local base image.

No package index is reachable from the e2e builds, so Python packages come
from Debian. Debian patches some of them to work with the versions it ships
while their metadata still names the upstream pins (poetry 1.3.2 asks for
dulwich<0.21, Debian has 0.21.2) or optional plugins it does not package. pip
would then try to download the "missing" versions. This drops the version
pin, or the requirement, from the METADATA of the package that states it,
until `pip check` is clean.
"""
import re
import subprocess
import sys
from importlib import metadata

MISSING = re.compile(r"^(\S+) \S+ requires (\S+), which is not installed\.$")
CONFLICT = re.compile(r"^(\S+) \S+ has requirement ([A-Za-z0-9._-]+)\S*, but you have .*$")


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def edit_requirement(dist_name, req_name, drop):
    dist = metadata.distribution(dist_name)
    path = dist._path / "METADATA"  # pylint: disable=protected-access
    if not path.exists():
        path = dist._path / "PKG-INFO"
    lines = path.read_text(encoding="utf-8").split("\n")
    out = []
    for line in lines:
        m = re.match(r"^Requires-Dist:\s*([A-Za-z0-9._-]+)(.*)$", line)
        if m and normalize(m.group(1)) == normalize(req_name):
            if drop:
                continue
            marker = m.group(2).split(";", 1)
            line = f"Requires-Dist: {m.group(1)}" + (f" ;{marker[1]}" if len(marker) > 1 else "")
        out.append(line)
    path.write_text("\n".join(out), encoding="utf-8")
    print(f"relaxed {dist_name}: {'dropped' if drop else 'unpinned'} {req_name}")


def main():
    for _ in range(10):
        check = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True)
        if check.returncode == 0:
            return 0
        for line in check.stdout.splitlines():
            if m := MISSING.match(line):
                edit_requirement(m.group(1), m.group(2), drop=True)
            elif m := CONFLICT.match(line):
                edit_requirement(m.group(1), m.group(2), drop=False)
            else:
                print(f"cannot relax: {line}", file=sys.stderr)
                return 1
    return 1


if __name__ == "__main__":
    sys.exit(main())
