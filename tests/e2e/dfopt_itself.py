#!/usr/bin/env python3
"""dfopt's own image and Debian package, end to end (CTest e2e.image and
e2e.package).

image:   builds the repository's Dockerfile with buildah (debian:bookworm and
         debian:bookworm-slim are the local base images of base_images.py;
         Debian's packages come from the Debian mirror through apt), checks the
         image runs as a user that is not root, and runs `dfopt diff` in it on
         an example mounted read-only: the same diff and exit code as the
         dfopt built here.
package: `cpack -G DEB` in the build folder, installs the .deb with apt-get
         in a clean debian:bookworm (its dependencies from the mirror), and
         runs the installed dfopt there: --version, `man -w dfopt`, the bash
         completion, and `dfopt diff` on the mounted example.

usage: dfopt_itself.py image|package --dfopt BUILD/dfopt [--build-dir BUILD]
Exits 77 (CTest: skipped) where images cannot be built: not root, or
buildah, podman, runc or debootstrap missing (scripts/install-deps.sh --e2e).
"""
import argparse
import glob
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent
EXAMPLE = SOURCE / "examples" / "flask-poetry"
DEBIAN = "docker.io/library/debian:bookworm"


def skip_reason():
    if os.geteuid() != 0:
        return "building images here needs root (buildah and podman as root)"
    for tool in ("buildah", "podman", "runc", "debootstrap", "cpack"):
        if not shutil.which(tool):
            return f"{tool} is not installed (scripts/install-deps.sh --e2e installs it)"
    return None


class Checks:
    def __init__(self):
        self.failures = []

    def __call__(self, name, ok, detail=""):
        print(f"  {'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)
        if not ok:
            self.failures.append(name)
        return ok


def host_diff(dfopt):
    """`dfopt diff Dockerfile` in the example, by the dfopt built here."""
    proc = subprocess.run([dfopt, "diff", "Dockerfile"], cwd=EXAMPLE, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
    return proc.returncode, proc.stdout


def run_in(env, image, *argv, entrypoint=None):
    """(exit code, output) of a container of image, with the example mounted
    read-only on /work (its working directory) and no network."""
    options = ["--rm", "--network", "none", "-v", f"{EXAMPLE}:/work:ro", "-w", "/work"]
    if entrypoint is not None:
        options += ["--entrypoint", entrypoint]
    code, out, _ = env.run(["podman", "run", *options, image, *argv], check=False)
    return code, out


def check_diff(check, env, image, dfopt, argv):
    want_code, want = host_diff(dfopt)
    code, out = run_in(env, image, *argv)
    check("dfopt diff on examples/flask-poetry in the container", code == 1 and out == want and "+++ b/Dockerfile" in out,
          f"exit {code} (here {want_code}), {len(out.splitlines())} lines" + ("" if out == want else f":\n{out}"))


def build(check, env, context, dockerfile, tag):
    code, out, seconds = env.build(context, dockerfile, tag, timeout=7000)
    detail = f"{seconds:.0f}s" if code == 0 else "\n" + "\n".join(out.splitlines()[-30:])
    return check(f"buildah builds {dockerfile.relative_to(context)}", code == 0, detail)


def test_image(check, env, args):
    tag = "localhost/dfopt-itself/dfopt:e2e"
    if not build(check, env, SOURCE, SOURCE / "Dockerfile", tag):
        return
    info = env.image_info(tag)
    check("the image runs as a user that is not root", info["user"] not in ("", "root", "0"), f"USER {info['user']}")
    code, out = run_in(env, tag, "--version")
    check("dfopt --version in the container", code == 0 and out.strip() == version_of(args.dfopt), out.strip())
    check_diff(check, env, tag, args.dfopt, ["diff", "Dockerfile"])


def version_of(dfopt):
    return subprocess.run([dfopt, "--version"], stdout=subprocess.PIPE, text=True, check=True).stdout.strip()


def test_package(check, env, args, work):
    out_dir = work / "deb"
    proc = subprocess.run(["cpack", "-G", "DEB", "-B", str(out_dir)], cwd=args.build_dir, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL)
    debs = glob.glob(str(out_dir / "dfopt_*.deb"))
    if not check("cpack -G DEB", proc.returncode == 0 and len(debs) == 1, "" if debs else proc.stdout[-2000:]):
        return
    context = work / "context"
    context.mkdir()
    deb = Path(debs[0]).name
    shutil.copyfile(debs[0], context / deb)
    # man-db for `man -w`; dfopt's Depends come from the mirror.
    (context / "Containerfile").write_text(
        f"FROM {DEBIAN}\n"
        f"COPY {deb} /tmp/\n"
        "RUN apt-get update -qq \\\n"
        f" && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends /tmp/{deb} man-db \\\n"
        " && rm -rf /var/lib/apt/lists/*\n")
    tag = "localhost/dfopt-itself/debian-with-dfopt:e2e"
    if not build(check, env, context, context / "Containerfile", tag):
        return
    code, out = run_in(env, tag, "dfopt", "--version")
    check("dfopt --version", code == 0 and out.strip() == version_of(args.dfopt), out.strip())
    code, out = run_in(env, tag, "man", "-w", "dfopt")
    check("man -w dfopt", code == 0 and out.strip() == "/usr/share/man/man1/dfopt.1.gz", out.strip())
    code, out = run_in(env, tag, "sh", "-c", "man dfopt | grep -c 'dfopt diff'")
    check("man dfopt renders the subcommands", code == 0 and int(out.strip() or 0) > 0, out.strip())
    code, out = run_in(env, tag, "bash", "-c",
                       "source /usr/share/bash-completion/completions/dfopt && COMP_WORDS=(dfopt check --only no) "
                       "&& COMP_CWORD=3 && _dfopt && echo \"${COMPREPLY[*]}\"")
    check("bash completion of dfopt check --only no", code == 0 and out.strip() == "non-root", out.strip())
    check_diff(check, env, tag, args.dfopt, ["dfopt", "diff", "Dockerfile"])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["image", "package"])
    parser.add_argument("--dfopt", required=True, help="the dfopt built here (the output to compare with)")
    parser.add_argument("--build-dir", help="the build folder cpack runs in (package)")
    args = parser.parse_args()
    args.dfopt = str(Path(args.dfopt).resolve())
    if args.what == "package" and not args.build_dir:
        parser.error("package needs --build-dir")
    reason = skip_reason()
    if reason:
        print(f"e2e: SKIPPED: {reason}")
        return 77

    def terminate(signum, _frame):
        raise SystemExit(f"stopped by signal {signum}")
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)

    sys.path.insert(0, str(HERE))
    from base_images import ensure_store
    from containers import Containers, temporary_root

    store = ensure_store()
    work = temporary_root(f"dfopt-itself-{args.what}-")
    env = Containers(work / "env", image_stores=[store], log_file=work / "commands.log")
    check = Checks()
    try:
        if args.what == "image":
            test_image(check, env, args)
        else:
            test_package(check, env, args, work)
    finally:
        if check.failures:
            print((work / "commands.log").read_text()[-6000:])
        env.destroy()
        shutil.rmtree(work, ignore_errors=True)
    print(f"e2e {args.what}: {len(check.failures)} failed" + (f": {', '.join(check.failures)}" if check.failures else ""))
    return 1 if check.failures else 0


if __name__ == "__main__":
    sys.exit(main())
