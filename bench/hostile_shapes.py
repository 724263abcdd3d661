#!/usr/bin/env python3
"""Time `dfopt check --context EMPTY` on generated files of awkward shapes
(chained ENVs and ARGs, chained relative WORKDIRs, many stages, heredocs,
long `&&` chains...) at two sizes, and print the growth of time and memory
from the small size to the large one. Linear work grows by about the size
ratio; a growth far above it points at work that looks back over the file
for every instruction.

usage: bench/hostile_shapes.py [--dfopt build/dfopt] [--sizes 2000,20000]
       [--only NAME,...] [--timeout 120]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CMD = 'CMD ["python", "app.py"]\n'


def shapes(n):
    yield "ENV chain", "FROM alpine\nENV A_0=x\n" + "".join(f"ENV A_{i}=$A_{i-1}x\n" for i in range(1, n))
    yield "ENV chain and RUNs", "FROM alpine\nENV A_0=x\n" + "".join(
        f"ENV A_{i}=$A_{i-1}x\nRUN echo $A_{i}\n" for i in range(1, n))
    yield "ARG chain", "FROM alpine\nARG A_0=x\n" + "".join(f"ARG A_{i}=$A_{i-1}\n" for i in range(1, n))
    yield "ARGs before FROM", "".join(f"ARG A_{i}=x\n" for i in range(n)) + "FROM alpine\nRUN echo $A_1\n"
    yield "relative WORKDIR chain", "FROM alpine\nWORKDIR /w\n" + "WORKDIR a\n" * n + "RUN touch f\n"
    yield "absolute WORKDIRs and RUNs", "FROM alpine\n" + "".join(f"WORKDIR /w{i}\nRUN touch f\n" for i in range(n))
    yield "USERs and RUNs", "FROM alpine\n" + "".join(f"USER u{i}\nRUN id\n" for i in range(n))
    yield "stages", "".join(f"FROM alpine AS s{i}\nRUN echo {i}\n" for i in range(n))
    yield "chained COPY --from stages", "FROM alpine AS s0\nRUN touch /f\n" + "".join(
        f"FROM alpine AS s{i}\nCOPY --from=s{i-1} /f /f\n" for i in range(1, n))
    yield "COPYs", "FROM python:3.12\n" + "".join(f"COPY f{i} /app/\n" for i in range(n)) + CMD
    yield "pip RUNs after the copy", "FROM python:3.12\nCOPY . /app\nWORKDIR /app\n" + "".join(
        f"RUN pip install -r r{i}.txt\n" for i in range(n)) + CMD
    yield "one && chain of installs", "FROM python:3.12\nCOPY . /app\nRUN " + " && ".join(
        f"pip install p{i}" for i in range(n)) + "\n" + CMD
    yield "one apt-get of many packages", "FROM debian\nRUN apt-get update && apt-get install -y " + " ".join(
        f"p{i}" for i in range(n)) + "\n"
    yield "heredocs", "# syntax=docker/dockerfile:1\nFROM alpine\n" + "".join(
        f"RUN <<EOF{i}\necho {i}\nEOF{i}\n" for i in range(n))
    yield "bind mounts", "# syntax=docker/dockerfile:1\nFROM alpine\n" + "".join(
        f"RUN --mount=type=bind,source=d{i},target=/m echo\n" for i in range(n))
    yield "nested command substitutions", "FROM alpine\nRUN echo " + "$(" * n + "x" + ")" * n + "\n"
    yield "one ENV of many pairs", "FROM alpine\nENV " + " ".join(f"K{i}=v{i}" for i in range(n)) + "\n"
    yield "LABELs", "FROM alpine\n" + "".join(f"LABEL k{i}=v{i}\n" for i in range(n))
    yield "ONBUILDs", "FROM alpine\n" + "".join(f"ONBUILD RUN echo {i}\n" for i in range(n))
    yield "comment lines above a RUN", "FROM alpine\n" + "# note\n" * n + "RUN true\n"
    yield "one path of many names", "FROM alpine\nRUN cat " + "a/" * n + "\n"


def measure(argv, timeout):
    """(seconds or None on timeout, peak KiB, exit code) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return time.perf_counter() - start, usage.ru_maxrss, proc.returncode
        if time.perf_counter() - start > timeout:
            proc.kill()
            os.wait4(proc.pid, 0)
            return None, 0, "timeout"
        time.sleep(0.005)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dfopt", default=str(HERE.parent / "build" / "dfopt"))
    parser.add_argument("--sizes", default="2000,20000", help="two sizes (units of each shape)")
    parser.add_argument("--only", default="", help="comma-separated shape names")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    small, large = (int(s) for s in args.sizes.split(","))
    only = [s for s in args.only.split(",") if s]
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        (work / "empty").mkdir()
        print(f"`dfopt check --context EMPTY FILE` at {small:,} and {large:,} units; "
              f"linear growth is about {large / small:.0f}x")
        print("| shape | time | time | growth | peak memory (large) |")
        print("| --- | --- | --- | --- | --- |")
        large_shapes = dict(shapes(large))
        for name, text in shapes(small):
            if only and name not in only:
                continue
            row = []
            for body in (text, large_shapes[name]):
                path = work / "hostile.Dockerfile"
                path.write_text(body)
                seconds, kib, code = measure([args.dfopt, "check", "--context", str(work / "empty"), str(path)],
                                             args.timeout)
                failed = "" if code in (0, 1) else f" ({code})"
                row.append((seconds, kib, failed))
            (s1, _, f1), (s2, kib, f2) = row
            t1 = f"{s1:.2f} s{f1}" if s1 is not None else "timeout"
            t2 = f"{s2:.2f} s{f2}" if s2 is not None else "timeout"
            growth = f"{s2 / s1:.1f}x" if s1 and s2 else "-"
            memory = f"{kib / 1024:.0f} MB" if s2 is not None else "-"
            print(f"| {name} | {t1} | {t2} | {growth} | {memory} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
