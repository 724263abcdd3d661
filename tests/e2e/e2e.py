#!/usr/bin/env python3
"""End-to-end proof of dfopt's rewrites with real image builds.

For each app in apps/ (a naive single-stage Dockerfile and a tiny HTTP app):
run `dfopt fix` on a copy; build the original and the rewrite (buildah; an
app's "base" image, such as the tutorial's my-poetry:devel, is built first
from prebuilt/); run both (podman, a published loopback port) and check they
answer the same HTTP responses, to a GET of "/" and of the app's "write"
path, which writes a file in its working directory, and that the rewrite's
PID 1 (its /proc/1/status read inside) runs as a non-zero uid; record size,
layers and build time; append a comment to one source file, rebuild both and
count the steps that re-ran (not served from the cache) and compare them with
`dfopt layers --changed`. A source-only edit must re-run no dependency-install
step in the rewritten image. Then `dfopt verify --run` runs on some apps, and
once on a hand-written rewrite that cannot write its working directory, which
it must reject. Prints a before/after table, writes JSON, and
exits non-zero when any check fails.

With --only T,... the rewrite is `dfopt fix --only T,... --unsafe-fixes`: one
transform's effect alone (cache-hygiene's image-size change, say). Apps it
leaves unchanged are skipped, the checks that only the whole pipeline must
pass (a non-zero uid, no dependency install re-run) are not made, and the
rewrite must not be larger than the original. Every container, image and mount it makes
is removed on the way out.

usage: e2e.py --dfopt PATH [--results FILE] [--apps a,b] [--verify APP:BUILDER,...]
              [--verify-broken APP:BUILDER:FILE,...] [--only TRANSFORM,...]
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from base_images import cache_dir, empty_trash_in_background, ensure_store
from containers import Containers, CommandError, log, mounts_below, parse_steps, temporary_root, unmount_below

HERE = Path(__file__).resolve().parent
APPS = json.loads((HERE / "apps.json").read_text())
RUN_PREFIX = "dfe2e-"

# RUN steps that install dependencies. `pip install --no-deps` installs only
# the named package; a `poetry install` that follows a `poetry install
# --no-root` of the same stage installs only the project (see is_dep_install).
DEP_INSTALL = re.compile(
    r"\b(?:pip3?|python3? -m pip) install\b|\bpoetry install\b|\bnpm (?:ci|install|i)\b|"
    r"\byarn(?: install)?\s*(?:$|&&|;|--)|\bpnpm (?:install|i)\b|\bgo mod download\b|\bgo get\b|"
    r"\bbundle install\b|\bcomposer install\b|\bcargo fetch\b")


def is_dep_install(step, earlier_in_stage):
    text = step["instruction"]
    if not text.upper().startswith("RUN") or not DEP_INSTALL.search(text):
        return False
    if re.search(r"\bpip3? install\b", text) and "--no-deps" in text and not re.search(r"\s-r\s", text):
        return False
    if re.search(r"\bpoetry install\b", text):
        if "--only-root" in text:
            return False
        if any(re.search(r"\bpoetry install\b.*--no-root", s["instruction"]) for s in earlier_in_stage):
            return False
    return True


def rerun_summary(steps):
    """Steps other than FROM; those re-run; the dependency installs re-run."""
    counted, rerun, dep_rerun, stage, run_rerun = [], [], [], [], 0
    for step in steps:
        if step["instruction"].upper().startswith("FROM"):
            stage = []
            continue
        counted.append(step)
        if not step["cached"]:
            rerun.append(step["instruction"])
            if step["instruction"].upper().startswith("RUN"):
                run_rerun += 1
            if is_dep_install(step, stage):
                dep_rerun.append(step["instruction"])
        stage.append(step)
    return {"steps_total": len(counted), "steps_rerun": len(rerun), "run_steps_rerun": run_rerun, "rerun": rerun,
            "dependency_installs_rerun": dep_rerun}


def normalized(instruction):
    """An instruction compared without blanks, continuations or case."""
    return re.sub(r"[\s\\]+", "", instruction).lower()


def prediction_matches(predicted, measured):
    """Do `dfopt layers`'s predicted re-runs equal the builder's: the same
    number of steps, the same instructions re-run?"""
    if "error" in predicted:
        return False
    return (predicted["steps_total"] == measured["steps_total"] and
            [normalized(i) for i in predicted["rerun"]] == [normalized(i) for i in measured["rerun"]])


def comment_for(path):
    return "# dfopt e2e: a source-only edit\n" if path.endswith(".py") else "// dfopt e2e: a source-only edit\n"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port, path, deadline, running=lambda: True):
    """(status, body) from http://127.0.0.1:PORT/PATH, retried until deadline
    or until running() says the container has stopped."""
    last = None
    while time.monotonic() < deadline:
        proc = subprocess.run(
            ["curl", "-sS", "--max-time", "3", "-o", "-", "-w", "\n%{http_code}", f"http://127.0.0.1:{port}{path}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
        if proc.returncode == 0:
            body, _, status = proc.stdout.rpartition("\n")
            if status != "000":
                return int(status), body
        last = proc.stderr.strip()
        if not running():
            return None, f"{last} (the container has stopped)"
        time.sleep(0.5)
    return None, last


def uid_of_status(text):
    """The effective uid of a /proc/PID/status text."""
    for line in text.splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[2])
    return None


def process_uid(env, container):
    """The uid of the container's PID 1: its /proc/1/status read inside, or
    (an image without cat) from the host."""
    code, out, _ = env.run(["podman", "exec", container, "cat", "/proc/1/status"], check=False)
    if code == 0 and uid_of_status(out) is not None:
        return uid_of_status(out), "inside"
    pid = env.run(["podman", "inspect", "--format", "{{.State.Pid}}", container])[1].strip()
    if not pid.isdigit() or pid == "0":
        return None, "not running"
    with open(f"/proc/{pid}/status", encoding="utf-8") as f:
        return uid_of_status(f.read()), "host"


def tree_digest(root):
    h = hashlib.sha256()
    for path in sorted(Path(root).rglob("*")):
        h.update(str(path.relative_to(root)).encode())
        if path.is_file() and not path.is_symlink():
            h.update(path.read_bytes())
            h.update(oct(path.stat().st_mode).encode())
    return h.hexdigest()


class Run:
    """Each app variant builds in a container environment of its own (on the
    shared read-only base image store), so the layer cache of one build never
    serves another: a first build is a cold build, and a rebuild can only hit
    its own cache."""

    def __init__(self, args, store, root, log_file):
        self.args = args
        self.store = store
        self.root = root
        self.work = root / "w"
        self.log_file = log_file
        self.envs = []
        self.failures = []
        self.tag_prefix = f"localhost/dfopt-e2e-{os.getpid()}"

    def new_env(self):
        env = Containers(self.root / f"e{len(self.envs)}", image_stores=[self.store], log_file=self.log_file)
        self.envs.append(env)
        return env

    def destroy_envs(self):
        for env in self.envs:
            env.destroy()
        self.envs = []

    def check(self, app, result, name, ok, detail=""):
        result["checks"].append({"name": name, "ok": bool(ok), "detail": detail})
        if not ok:
            self.failures.append(f"{app}: {name}: {detail}")
            log(f"  FAIL {name}: {detail}")
        else:
            log(f"  ok   {name}{': ' + detail if detail else ''}")

    def fix(self, context):
        only = ["--only", self.args.only, "--unsafe-fixes"] if self.args.only else []
        proc = subprocess.run([self.args.dfopt, "fix", *only, str(context / "Dockerfile")], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
        return proc.returncode, proc.stderr

    def start(self, env, tag, name, port):
        host_port = free_port()
        env.run(["podman", "run", "-d", "--name", name, "--network", "slirp4netns:port_handler=slirp4netns",
                      "-p", f"127.0.0.1:{host_port}:{port}", tag])
        return host_port

    def build_base(self, env, app, result, base, label):
        """Builds the image an app's Dockerfile starts from (as its reader
        built it before) in the variant's environment."""
        context = HERE / base["context"]
        code, out, seconds = env.build(context, context / "Dockerfile", base["tag"])
        self.check(app, result, f"{label}: its base {base['tag']} builds", code == 0,
                   f"{seconds:.1f}s" if code == 0 else "\n" + "\n".join(out.splitlines()[-25:]))
        return code == 0

    def stop(self, env, name):
        env.run(["podman", "logs", name], check=False)
        env.run(["podman", "rm", "--force", "--time", "0", name], check=False)

    def app(self, spec):
        name = spec["name"]
        log(f"\n== {name}")
        result = {"app": name, "checks": []}
        source = HERE / "apps" / name
        contexts = {"original": self.work / name / "original", "rewritten": self.work / name / "rewritten"}
        for context in contexts.values():
            shutil.copytree(source, context, symlinks=True)
        code, messages = self.fix(contexts["rewritten"])
        result["dfopt_fix"] = {"exit": code, "messages": messages.strip().splitlines()}
        self.check(name, result, "dfopt fix", code == 0, f"exit {code}" if code else messages.strip().splitlines()[0])
        result["rewritten_dockerfile"] = (contexts["rewritten"] / "Dockerfile").read_text()
        changed = result["rewritten_dockerfile"] != (source / "Dockerfile").read_text()
        if self.args.only and not changed:
            log(f"  --only {self.args.only} leaves {name} unchanged: skipped")
            result["unchanged"] = True
            return result
        self.check(name, result, "the rewrite changes the Dockerfile", changed)

        variants, envs = {}, {}
        for label, context in contexts.items():
            tag = f"{self.tag_prefix}-{name}:{label}"
            envs[label] = env = self.new_env()
            if "base" in spec and not self.build_base(env, name, result, spec["base"], label):
                variants[label] = {"tag": tag, "build_ok": False, "build_seconds": 0}
                continue
            code, out, seconds = env.build(context, context / "Dockerfile", tag)
            v = {"tag": tag, "build_ok": code == 0, "build_seconds": round(seconds, 1)}
            variants[label] = v
            self.check(name, result, f"{label} builds", code == 0,
                       f"{seconds:.1f}s" if code == 0 else "\n" + "\n".join(out.splitlines()[-25:]))
            if code != 0:
                continue
            steps = parse_steps(out)
            v["steps_total"] = sum(1 for s in steps if not s["instruction"].upper().startswith("FROM"))
            info = env.image_info(tag)
            v.update(size_bytes=info["size"], layers=info["layers"], image_user=info["user"])
        result.update(variants)

        # Run both side by side, each on a loopback port.
        responses = {}
        for label, v in variants.items():
            if not v["build_ok"]:
                continue
            container = f"dfopt-e2e-{os.getpid()}-{name}-{label}"
            env = envs[label]
            try:
                host_port = self.start(env, v["tag"], container, spec["port"])

                def running(env=env, container=container):
                    state = env.run(["podman", "inspect", "--format", "{{.State.Running}}", container],
                                    check=False, quiet=True)[1]
                    return state.strip() == "true"
                status, body = http_get(host_port, spec.get("path", "/"), time.monotonic() + 60, running)
                v["http_status"], v["http_body"] = status, body
                self.check(name, result, f"{label} answers HTTP 200", status == 200, f"{status} {body!r}")
                write_status, write_body = http_get(host_port, spec["write"], time.monotonic() + 10)
                v["write_status"], v["write_body"] = write_status, write_body
                self.check(name, result, f"{label} writes in its working directory ({spec['write']})",
                           write_status == 200, f"{write_status} {write_body!r}")
                v["uid"], v["uid_seen"] = process_uid(env, container)
                responses[label] = (status, body, write_status, write_body)
            except CommandError as e:
                self.check(name, result, f"{label} runs", False, str(e))
            finally:
                self.stop(env, container)
        if len(responses) == 2:
            self.check(name, result, "both answer the same", responses["original"] == responses["rewritten"],
                       f"{responses['original']!r} vs {responses['rewritten']!r}")
        rewritten = variants["rewritten"]
        if rewritten.get("build_ok") and not self.args.only:
            uid = rewritten.get("uid")
            self.check(name, result, "the rewrite runs as a non-zero uid", uid not in (None, 0),
                       f"uid {uid} (seen {rewritten.get('uid_seen')})")

        # A source-only edit, and the rebuilds.
        touched = spec["touch"]
        for label, context in contexts.items():
            v = variants[label]
            if not v["build_ok"]:
                continue
            v["predicted"] = self.predict_reruns(context, touched)
            with open(context / touched, "a", encoding="utf-8") as f:
                f.write(comment_for(touched))
            code, out, seconds = envs[label].build(context, context / "Dockerfile", v["tag"])
            v["rebuild_ok"] = code == 0
            v["rebuild_seconds"] = round(seconds, 1)
            if code != 0:
                self.check(name, result, f"{label} rebuilds", False, "\n" + "\n".join(out.splitlines()[-25:]))
                continue
            v.update(rerun_summary(parse_steps(out)))
            v["rebuilt_image_id"] = envs[label].image_info(v["tag"])["id"]
            v["prediction_matches"] = prediction_matches(v["predicted"], v)
            predicted = v["predicted"]
            detail = (f"{len(v['rerun'])} of {v['steps_total']}" if v["prediction_matches"] else
                      predicted.get("error") or f"predicted {predicted['rerun']} of {predicted['steps_total']}, "
                      f"the builder re-ran {v['rerun']} of {v['steps_total']}")
            self.check(name, result, f"dfopt layers predicts the {label} re-runs", v["prediction_matches"], detail)
        result["touched"] = touched
        if rewritten.get("rebuild_ok") and not self.args.only:
            deps = rewritten["dependency_installs_rerun"]
            self.check(name, result, "a source edit re-runs no dependency install in the rewrite", not deps,
                       "; ".join(deps) if deps else f"{rewritten['steps_rerun']} of {rewritten['steps_total']} steps re-ran")
        original = variants["original"]
        if original.get("size_bytes") and rewritten.get("size_bytes"):
            result["size_ratio"] = round(rewritten["size_bytes"] / original["size_bytes"], 3)
            if self.args.only:
                # The image's config carries each step's command: a longer one adds a few bytes.
                grown = rewritten["size_bytes"] - original["size_bytes"]
                self.check(name, result, f"--only {self.args.only} makes no larger image", grown <= 1024,
                           f"{-grown / 1e6:.1f} MB saved" if grown < 0 else f"{grown} bytes more")
        self.destroy_envs()
        return result

    def predict_reruns(self, context, touched):
        """What `dfopt layers --changed` predicts a source edit re-runs."""
        proc = subprocess.run([self.args.dfopt, "layers", "--format", "json", "--changed", touched,
                               str(context / "Dockerfile")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, check=False)
        if proc.returncode != 0:
            return {"error": proc.stderr.strip()}
        steps = [s for s in json.loads(proc.stdout)["steps"] if s["step"]]
        return {"steps_total": len(steps), "rerun": [s["instruction"] for s in steps if s["rerun"]]}

    def verify(self, name, builder, rewritten=None):
        """`dfopt verify --run --builder BUILDER` on a copy of one app: exit 0,
        a table with the run's rows, the context untouched, no image or
        container left behind. With `rewritten` (a Dockerfile of broken/), that
        file is verified as the rewrite and must be rejected (exit 1) for the
        reason the file's first line names after `# expect: `. docker talks to
        a `podman system service` of the environment (there is no Docker
        daemon)."""
        label = f"dfopt verify --run --builder {builder}" + (f" --rewritten {rewritten.name}" if rewritten else "")
        log(f"\n== {label} on {name}")
        result = {"app": name, "builder": builder, "rewritten": str(rewritten or ""), "checks": []}
        if not shutil.which(builder):
            log(f"  skipped: {builder} is not on PATH")
            result["skipped"] = f"{builder} is not on PATH"
            return result
        context = self.work / f"verify-{builder}-{len(self.envs)}-{time.monotonic_ns()}" / name
        shutil.copytree(HERE / "apps" / name, context, symlinks=True)
        digest = tree_digest(context)
        env = self.new_env()
        service = None
        if builder == "docker":
            socket_path = env.root / "d.sock"
            service = subprocess.Popen(["podman", "system", "service", "--time", "0", f"unix://{socket_path}"],
                                       env=env.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       stdin=subprocess.DEVNULL)
            for _ in range(100):
                if socket_path.exists():
                    break
                time.sleep(0.1)
            env.env["DOCKER_HOST"] = f"unix://{socket_path}"
        argv = [self.args.dfopt, "verify", "--run", "--builder", builder]
        expected_exit, expected_reason = 0, None
        if rewritten:
            argv += ["--rewritten", str(rewritten)]
            expected_exit = 1
            expected_reason = rewritten.read_text().splitlines()[0].removeprefix("# expect: ")
            argv += ["--probe", rewritten.read_text().splitlines()[1].removeprefix("# probe: ")]
        try:
            images_before = set(env.run(["podman", "images", "-a", "-q", "--no-trunc"], quiet=True)[1].split())
            code, out, seconds = env.run(argv + [str(context / "Dockerfile")], check=False)
            images_after = set(env.run(["podman", "images", "-a", "-q", "--no-trunc"], quiet=True)[1].split())
            containers = env.run(["podman", "ps", "-a", "-q"], quiet=True)[1].split()
        finally:
            if service:
                service.terminate()
                service.wait(timeout=30)
        result.update(exit=code, seconds=round(seconds, 1), output=out.splitlines())
        lines = out.splitlines()
        first = next((i for i, line in enumerate(lines) if line.split()[:2] == ["before", "after"]), len(lines))
        log("\n".join(lines[first:]))
        self.check(name, result, f"{label} exits {expected_exit}", code == expected_exit, f"exit {code}")
        self.check(name, result, f"{label} prints the table",
                   any(line.startswith("steps re-run after edit") for line in lines), "")
        self.check(name, result, f"{label} prints the run", any(line.startswith("uid of PID 1") for line in lines), "")
        verdict = next((line for line in lines if line.startswith("verdict:")), "")
        if expected_reason:
            self.check(name, result, f"{label} says why", expected_reason in verdict, verdict)
        else:
            self.check(name, result, f"{label} runs both alike", "runs alike" in verdict, verdict)
        self.check(name, result, f"{label} leaves the context as it was", tree_digest(context) == digest, "")
        self.check(name, result, f"{label} removes its images", images_after <= images_before,
                   f"{len(images_after - images_before)} left")
        self.check(name, result, f"{label} removes its containers", not containers, f"{len(containers)} left")
        self.destroy_envs()
        return result


def print_table(results):
    header = ["app", "image", "size", "ratio", "layers", "build", "re-run after edit", "predicted", "RUN", "deps",
              "rebuild", "uid", "HTTP", "write"]
    rows = []
    for r in results:
        if r.get("unchanged"):
            continue
        for label in ("original", "rewritten"):
            v = r.get(label) or {}
            size = f"{v['size_bytes'] / 1e6:.1f} MB" if v.get("size_bytes") else "-"
            ratio = f"{r['size_ratio']:.2f}x" if label == "rewritten" and r.get("size_ratio") else ""
            rerun = f"{v['steps_rerun']} of {v['steps_total']}" if "steps_rerun" in v else "-"
            p = v.get("predicted") or {}
            predicted = f"{len(p['rerun'])} of {p['steps_total']}" if "rerun" in p else "-"
            if "prediction_matches" in v:
                predicted += " (same)" if v["prediction_matches"] else " (differs)"
            deps = str(len(v["dependency_installs_rerun"])) if "dependency_installs_rerun" in v else "-"
            runs = str(v["run_steps_rerun"]) if "run_steps_rerun" in v else "-"
            rows.append([
                r["app"] if label == "original" else "", label, size, ratio, str(v.get("layers", "-")),
                f"{v['build_seconds']:.1f}s" if v.get("build_ok") else "FAILED", rerun, predicted, runs, deps,
                f"{v['rebuild_seconds']:.1f}s" if v.get("rebuild_ok") else "-",
                str(v.get("uid", "-")), str(v.get("http_status", "-")), str(v.get("write_status", "-"))])
    widths = [max(len(row[i]) for row in [header] + rows) for i in range(len(header))]
    for row in [header] + rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


def reap_stale_runs(base):
    """Removes what earlier runs that were killed left behind (their pid is gone)."""
    for root in Path(base).glob(RUN_PREFIX + "*"):
        pid_file = root / "pid"
        try:
            pid = int(pid_file.read_text())
            os.kill(pid, 0)
            continue  # still running
        except (OSError, ValueError):
            pass
        log(f"removing a stale run: {root}")
        for env_root in root.glob("e*"):
            Containers(env_root).destroy()
        unmount_below(root)
        shutil.rmtree(root, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dfopt", required=True, help="the dfopt binary")
    parser.add_argument("--results", default="e2e-results.json", help="where to write the JSON results")
    parser.add_argument("--apps", default="", help="comma-separated app names (default: all)")
    parser.add_argument("--verify", default="go-http:buildah,express-npm:podman,flask-pip:docker",
                        help="APP:BUILDER pairs `dfopt verify --run` runs on ('' for none; docker runs only "
                             "where the docker client is installed)")
    parser.add_argument("--verify-broken", default="go-http:podman:go-http-readonly-workdir.Dockerfile",
                        help="APP:BUILDER:FILE triples: `dfopt verify --run --rewritten broken/FILE` must "
                             "reject that rewrite ('' for none)")
    parser.add_argument("--only", default="",
                        help="rewrite with `dfopt fix --only THESE --unsafe-fixes` and measure that alone "
                             "(no uid or dependency re-run checks; set --verify '' --verify-broken '' too)")
    args = parser.parse_args()
    args.dfopt = str(Path(args.dfopt).resolve())
    wanted = [a for a in args.apps.split(",") if a]
    unknown = set(wanted) - {a["name"] for a in APPS}
    if unknown:
        parser.error(f"unknown apps: {', '.join(sorted(unknown))}")
    apps = [a for a in APPS if not wanted or a["name"] in wanted]
    verify_runs = [tuple(pair.split(":", 1)) for pair in args.verify.split(",") if pair]
    if any(len(pair) != 2 or pair[0] not in {a["name"] for a in APPS} for pair in verify_runs):
        parser.error(f"--verify wants APP:BUILDER pairs: {args.verify}")
    broken_runs = [tuple(triple.split(":", 2)) for triple in args.verify_broken.split(",") if triple]
    if any(len(t) != 3 or t[0] not in {a["name"] for a in APPS} or not (HERE / "broken" / t[2]).is_file()
           for t in broken_runs):
        parser.error(f"--verify-broken wants APP:BUILDER:FILE triples of files in broken/: {args.verify_broken}")

    if args.only:
        verify_runs, broken_runs = [], []  # they prove the whole pipeline's rewrite

    def terminate(signum, _frame):
        raise SystemExit(f"stopped by signal {signum}")
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)

    started = time.monotonic()
    cold = not any(cache_dir().glob("store-*/complete")) if cache_dir().exists() else True
    store = ensure_store()
    base_seconds = time.monotonic() - started
    trash = empty_trash_in_background()

    # The run's own storage lives on tmpfs when there is one: its layers are
    # small, and deleting many files is slow on a disk mounted with discard.
    tmp_base = os.environ.get("DFOPT_E2E_TMP") or ("/dev/shm" if os.path.isdir("/dev/shm") else None)
    if tmp_base:
        os.environ["DFOPT_E2E_TMP"] = tmp_base
    reap_stale_runs(tmp_base or "/tmp")
    root = temporary_root(RUN_PREFIX)
    (root / "pid").write_text(str(os.getpid()))
    results_path = Path(args.results).resolve()
    results_path.parent.mkdir(parents=True, exist_ok=True)
    log_path = results_path.with_suffix(".log")
    log_path.write_text("")
    run = Run(args, store, root, log_path)
    results, verify = [], []
    try:
        for spec in apps:
            results.append(run.app(spec))
        for name, builder in verify_runs:
            verify.append(run.verify(name, builder))
        for name, builder, broken in broken_runs:
            verify.append(run.verify(name, builder, HERE / "broken" / broken))
    except CommandError as e:
        run.failures.append(f"a command failed: {e}")
    finally:
        run.destroy_envs()
        leftovers = mounts_below(root)
        shutil.rmtree(root, ignore_errors=True)
        if leftovers:
            run.failures.append(f"mounts left behind: {leftovers}")
        trash.join()

    total = time.monotonic() - started
    print()
    print_table(results)
    summary = {
        "apps": results,
        "verify": verify,
        "base_images": {"store": str(store), "cold_cache": cold, "seconds": round(base_seconds, 1)},
        "total_seconds": round(total, 1),
        "failures": run.failures,
    }
    results_path.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"\nbase images: {'built (cold cache)' if cold else 'cached'} in {base_seconds:.0f}s; "
          f"total {total:.0f}s; results: {results_path}; log: {log_path}")
    passed = sum(c["ok"] for r in results + verify for c in r["checks"])
    print(f"e2e: {passed} passed, {len(run.failures)} failed")
    for failure in run.failures:
        print(f"FAILED: {failure.splitlines()[0]}")
    return 1 if run.failures else 0


if __name__ == "__main__":
    sys.exit(main())
