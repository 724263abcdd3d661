#!/usr/bin/env python3
"""dfopt's speed and memory on this machine, as ratios measured in one run.

Over the real-world corpus (../shared/corpus/realworld, each file copied
into a temporary folder): throughput (files/s, MB/s) and peak memory of
`dfopt parse`, `dfopt check` and `dfopt fix --stdout`, each in one process
over all files, against `cat` of the same files and dprint's Dockerfile
formatter (`dprint check` with @dprint/dockerfile, installed from npm into a
temporary folder). `check` runs three ways: with an empty build context,
with the files' shared folder as every file's context (447 files), and with
each file in a folder of its own (a directory walk), on one core (-j1) and
on all cores. Every command runs
--runs times, the commands taking turns, and the median is reported, so
that a busy machine slows all of them alike.

Then the scaling table: `dfopt check` on generated files at 1x, 10x and
100x sizes, with time (the median of --scaling-runs runs), peak memory
(the largest) and time per byte against the corpus's.

usage: bench/bench.py [--dfopt build/dfopt] [--corpus DIR] [--runs 7]
                      [--no-dprint] [--dprint-dir DIR] [--scaling 1,10,100]
                      [--scaling-runs 3]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SKIP = {"MANIFEST.tsv", "README.md"}


def measure(argv, cwd=None, stdin=None):
    """(seconds, peak KiB, exit code) of one run: the peak by GNU time, the wall
    time by a monotonic clock around it (GNU time's own counts hundredths of
    a second, too coarse for `cat`; starting it costs about a millisecond)."""
    with tempfile.NamedTemporaryFile("r") as report:
        with open(stdin, "rb") if stdin else open(os.devnull, "rb") as given:
            start = time.perf_counter()
            proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name, *argv], cwd=cwd,
                                  stdin=given, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            seconds = time.perf_counter() - start
        kib = report.read().split()[-1]
    return seconds, int(kib), proc.returncode


def shell(command, cwd=None):
    return ["bash", "-c", command] if cwd is None else ["bash", "-c", f"cd {cwd} && {command}"]


def install_dprint(folder):
    """dprint and its Dockerfile plugin from npm; the binary and the plugin's path."""
    folder.mkdir(parents=True, exist_ok=True)
    binary = folder / "node_modules" / "@dprint" / "linux-x64-glibc" / "dprint"
    plugin = folder / "node_modules" / "@dprint" / "dockerfile" / "plugin.wasm"
    if not (binary.exists() and plugin.exists()):
        subprocess.run(["npm", "init", "-y"], cwd=folder, stdout=subprocess.DEVNULL, check=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "dprint", "@dprint/dockerfile"], cwd=folder,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return binary, plugin


def copy_corpus(corpus, work):
    """The corpus as NNN.Dockerfile in one folder, and as NNN/Dockerfile each in its own."""
    shared, own = work / "shared", work / "own"
    shared.mkdir()
    own.mkdir()
    sources = sorted(p for p in corpus.iterdir() if p.is_file() and p.name not in SKIP)
    files = []
    for i, source in enumerate(sources, 1):
        name = f"{i:03d}"
        shutil.copyfile(source, shared / f"{name}.Dockerfile")
        (own / name).mkdir()
        shutil.copyfile(source, own / name / "Dockerfile")
        files.append(shared / f"{name}.Dockerfile")
    return files, shared, own


def corpus_commands(args, files, shared, own, work, dprint):
    empty = work / "empty"
    empty.mkdir()
    names = [str(f) for f in files]
    dfopt = args.dfopt
    commands = {
        "cat": ["cat", *names],
        "dfopt parse": [dfopt, "parse", "--dump", "none", *names],
        "dfopt check (empty context)": [dfopt, "check", "-j1", "--context", str(empty), *names],
        "dfopt check (shared folder as context)": [dfopt, "check", "-j1", *names],
        "dfopt check (each in its own folder)": [dfopt, "check", "-j1", str(own)],
        "dfopt check (all cores, empty context)": [dfopt, "check", "--context", str(empty), *names],
        "dfopt check (all cores, shared folder as context)": [dfopt, "check", *names],
        "dfopt check (all cores, each in its own folder)": [dfopt, "check", str(own)],
        "dfopt fix --stdout (empty context)": [dfopt, "fix", "--stdout", "-j1", "--context", str(empty), *names],
    }
    if dprint:
        binary, plugin = dprint
        config = work / "dprint.json"
        config.write_text('{"incremental": false, "includes": ["shared/*.Dockerfile"], '
                          f'"plugins": ["{plugin}"]}}\n')
        commands["dprint check"] = [str(binary), "check", "--list-different", "--config", str(config)]
    return commands


def run_rounds(commands, runs, cwd):
    times = {name: [] for name in commands}
    memory = {name: 0 for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            seconds, kib, _ = measure(argv, cwd=cwd)
            times[name].append(seconds)
            memory[name] = max(memory[name], kib)
    return {name: statistics.median(values) for name, values in times.items()}, memory


def print_corpus_table(medians, memory, count, size):
    cat = max(medians["cat"], 0.001)
    dprint = medians.get("dprint check")
    print(f"corpus: {count} files, {size / 1e6:.2f} MB; median of the runs, wall time")
    header = "| command | time | files/s | MB/s | x cat | x dprint | peak memory |"
    print(header)
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, seconds in medians.items():
        spent = max(seconds, 0.001)
        vs_dprint = f"{spent / max(dprint, 0.001):.2f}" if dprint else "-"
        print(f"| {name} | {seconds:.3f} s | {count / spent:.0f} | {size / 1e6 / spent:.2f} | {spent / cat:.1f} "
              f"| {vs_dprint} | {memory[name] / 1024:.1f} MB |")
    print("(wall time by a monotonic clock around GNU time, which adds about a millisecond to each)")


def generated(kind, scale):
    if kind == "RUN echo N":
        n = 1000 * scale
        return f"{n:,} instructions", "FROM python:3.11\n" + "".join(f"RUN echo {i}\n" for i in range(n))
    if kind == "one RUN over N lines":
        n = 2000 * scale
        return f"{n:,} lines", "FROM python:3.11\nRUN true" + "".join(f" \\\n && echo {i}" for i in range(n)) + "\n"
    if kind == "N stages":
        n = 1000 * scale
        return f"{n:,} stages", "".join(f"FROM alpine AS s{i}\nRUN echo {i}\n" for i in range(n))
    if kind == "one path of N names":
        n = 50_000 * scale
        return f"{n:,} names", "FROM python:3.11\nRUN cat " + "a/" * n + "\n"
    n = 100_000 * scale
    return f"{n:,} bytes", "FROM python:3.11\nRUN echo " + "a" * n + "\n"


def scaling_table(args, work, per_byte):
    empty = work / "empty"
    print()
    print("scaling: `dfopt check --context EMPTY FILE` on generated files")
    print("| input | size | time | peak memory | time per byte (x corpus) |")
    print("| --- | --- | --- | --- | --- |")
    for kind in ("RUN echo N", "one RUN over N lines", "one RUN line of N bytes", "one path of N names",
                 "N stages"):
        for scale in args.scaling:
            label, text = generated(kind, scale)
            path = work / "scaling.Dockerfile"
            path.write_text(text)
            # the median of a few runs: one run on a busy machine can be far off
            samples = [measure([args.dfopt, "check", "--context", str(empty), str(path)])
                       for _ in range(args.scaling_runs)]
            seconds = statistics.median(sample[0] for sample in samples)
            kib = max(sample[1] for sample in samples)
            code = max((sample[2] for sample in samples), key=lambda c: c not in (0, 1))
            size = len(text.encode())
            ratio = (seconds / size) / per_byte if per_byte else 0
            failed = "" if code in (0, 1) else f" (exit {code})"
            print(f"| {kind}: {label} | {size / 1e6:.2f} MB | {seconds:.2f} s{failed} | {kib / 1024:.0f} MB "
                  f"| {ratio:.2f} |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dfopt", default=str(HERE.parent / "build" / "dfopt"))
    parser.add_argument("--corpus", default=str(HERE.parent.parent / "shared" / "corpus" / "realworld"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-dprint", action="store_true", help="leave dprint out (no npm)")
    parser.add_argument("--dprint-dir", help="where dprint is (or is installed); default: a temporary folder")
    parser.add_argument("--scaling", default="1,10,100", help="sizes of the scaling table; empty: none")
    parser.add_argument("--scaling-runs", type=int, default=3, help="runs of each scaling row (the median)")
    args = parser.parse_args()
    args.dfopt = str(Path(args.dfopt).resolve())
    args.scaling = [int(s) for s in args.scaling.split(",") if s]
    with tempfile.TemporaryDirectory(prefix="dfopt-bench-") as temporary:
        work = Path(temporary)
        files, shared, own = copy_corpus(Path(args.corpus), work)
        dprint = None
        if not args.no_dprint:
            dprint = install_dprint(Path(args.dprint_dir) if args.dprint_dir else work / "dprint")
        commands = corpus_commands(args, files, shared, own, work, dprint)
        for argv in commands.values():  # warm the page cache and dprint's compiled plugin
            measure(argv, cwd=work)
        medians, memory = run_rounds(commands, args.runs, work)
        size = sum(f.stat().st_size for f in files)
        print(f"dfopt: {subprocess.run([args.dfopt, '--version'], stdout=subprocess.PIPE, text=True).stdout.strip()}"
              f", {os.cpu_count()} cores, {args.runs} runs")
        print_corpus_table(medians, memory, len(files), size)
        per_byte = medians["dfopt check (empty context)"] / size
        scaling_table(args, work, per_byte)
    return 0


if __name__ == "__main__":
    sys.exit(main())
