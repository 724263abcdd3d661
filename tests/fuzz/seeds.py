#!/usr/bin/env python3
"""Makes the seed corpus of a fuzz target in OUT: seeds.py TARGET OUT.

From the golden cases and, when it is there, ../shared/corpus (real-world and
BuildKit's Dockerfiles, the real build contexts' .dockerignore files). Nothing
is copied into the repository.
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "corpus"
TARGETS = ("parse", "pipeline", "shell", "dockerignore", "diff")


def realworld():
    folder = SHARED / "realworld"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name not in ("MANIFEST.tsv", "README.md"))


def dockerfiles():
    files = sorted(ROOT.glob("golden/*/*/input/Dockerfile")) + realworld()
    if (SHARED / "buildkit").is_dir():
        files += sorted((SHARED / "buildkit").rglob("Dockerfile"))
    return files


def run_bodies():
    """The RUN instructions' bodies, continuations joined, each once."""
    bodies = set()
    for path in dockerfiles():
        joined = re.sub(rb"\\\r?\n", b" ", path.read_bytes())
        for line in joined.splitlines():
            match = re.match(rb"[ \t]*RUN[ \t]+(.*)", line)
            if match:
                bodies.add(match.group(1))
    return sorted(bodies)[:3000]


def listing(folder, limit=200):
    names = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return "\n".join(names[:limit]).encode()


def ignore_seeds():
    """Patterns, a NUL, then the paths of the files beside them."""
    files = sorted(ROOT.glob("golden/*/*/input/.dockerignore")) + sorted(ROOT.glob("golden/*/*/expected/.dockerignore"))
    files += sorted(SHARED.glob("realctx/*/ctx/.dockerignore"))
    for path in files:
        context = path.parent if path.parent.name != "expected" else path.parent.parent / "input"
        yield path.read_bytes() + b"\0" + listing(context)


def diff_seeds():
    """A golden input, a NUL and what fix makes of it; real-world files with a few lines changed."""
    for case in sorted(ROOT.glob("golden/*/*")):
        expected = case / "expected" / "Dockerfile"
        if expected.is_file():
            yield (case / "input" / "Dockerfile").read_bytes() + b"\0" + expected.read_bytes()
    for path in realworld()[:150]:
        lines = path.read_bytes().splitlines(keepends=True)
        changed = [re.sub(rb"^RUN ", b"RUN  ", line) for i, line in enumerate(lines) if i != 1] + [b"USER app\n"]
        yield path.read_bytes() + b"\0" + b"".join(changed)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: seeds.py {{{','.join(TARGETS)}}} OUT")
    target, out = sys.argv[1], Path(sys.argv[2])
    if target in ("parse", "pipeline"):
        seeds = (path.read_bytes() for path in dockerfiles())
    elif target == "shell":
        seeds = run_bodies()
    elif target == "dockerignore":
        seeds = ignore_seeds()
    else:
        seeds = diff_seeds()
    out.mkdir(parents=True, exist_ok=True)
    for n, seed in enumerate(seeds, 1):
        (out / f"seed-{n}").write_bytes(seed)


if __name__ == "__main__":
    main()
