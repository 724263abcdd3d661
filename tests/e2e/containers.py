"""A private container environment for the e2e tests: buildah builds, podman
runs, both on a storage, configuration and network of their own under one
temporary folder, so nothing touches the machine's container state.

Facts about the machines this runs on (no Docker daemon, Debian's buildah and
podman as root): builds use `--isolation chroot`; containers run with runc
(crun fails on this cgroup set-up) and explicit nofile/nproc limits; no
registry is reachable, so every base image comes from a local image store
(see base_images.py) and builds use `--pull=never`.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STORAGE_DRIVER = os.environ.get("DFOPT_E2E_STORAGE_DRIVER", "overlay")


def log(message):
    print(message, file=sys.stderr, flush=True)


class CommandError(RuntimeError):
    def __init__(self, argv, returncode, output):
        tail = "\n".join(output.splitlines()[-40:])
        super().__init__(f"{' '.join(argv)} exited {returncode}:\n{tail}")
        self.output = output


class Containers:
    """Configuration files and environment for buildah and podman.

    root: the folder holding everything (graphroot, runroot, configuration).
    image_stores: read-only image stores whose images builds may use.
    """

    def __init__(self, root, image_stores=(), log_file=None, graphroot=None):
        self.root = Path(root)
        self.log_file = log_file
        # Short names: slirp4netns's API socket lives in tmp_dir, and a unix
        # socket path must stay under 108 bytes.
        self.graphroot = Path(graphroot) if graphroot else self.root / "g"
        self.runroot = self.root / "r"
        self.tmp = self.root / "t"
        for d in (self.graphroot, self.runroot, self.root / "n", self.tmp):
            d.mkdir(parents=True, exist_ok=True)
        stores = ", ".join(json.dumps(str(s)) for s in image_stores)
        (self.root / "storage.conf").write_text(
            "[storage]\n"
            f'driver = "{STORAGE_DRIVER}"\n'
            f'graphroot = "{self.graphroot}"\n'
            f'runroot = "{self.runroot}"\n'
            "[storage.options]\n"
            f"additionalimagestores = [{stores}]\n"
        )
        (self.root / "containers.conf").write_text(
            "[containers]\n"
            'default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]\n'
            # What e2e.py asks for explicitly, as the default for the
            # `podman run` of `dfopt verify --run` and the docker API service.
            'netns = "slirp4netns"\n'
            "[network]\n"
            f'network_config_dir = "{self.root / "n"}"\n'
            "[engine]\n"
            'runtime = "runc"\n'
            'network_cmd_options = ["port_handler=slirp4netns"]\n'
            'cgroup_manager = "cgroupfs"\n'
            'lock_type = "file"\n'
            'events_logger = "file"\n'
            f'events_logfile_path = "{self.root / "events.log"}"\n'
            f'tmp_dir = "{self.tmp}"\n'
        )
        (self.root / "registries.conf").write_text(
            'unqualified-search-registries = ["docker.io"]\nshort-name-mode = "permissive"\n'
        )
        (self.root / "policy.json").write_text(
            '{"default": [{"type": "insecureAcceptAnything"}]}\n'
        )
        self.env = dict(os.environ)
        self.env.update(
            CONTAINERS_STORAGE_CONF=str(self.root / "storage.conf"),
            CONTAINERS_CONF=str(self.root / "containers.conf"),
            CONTAINERS_REGISTRIES_CONF=str(self.root / "registries.conf"),
            BUILDAH_ISOLATION="chroot",
            TMPDIR=str(self.tmp),
        )
        self.env.pop("DOCKER_HOST", None)
        self.policy = str(self.root / "policy.json")

    # ------------------------------------------------------------ commands

    def run(self, argv, check=True, input_text=None, timeout=1800, quiet=False):
        """Runs argv (a list, never a shell string); returns (code, output, seconds)."""
        start = time.monotonic()
        if self.log_file and not quiet:
            with open(self.log_file, "a", encoding="utf-8") as f:
                f.write(f"\n$ {' '.join(argv)}\n")
        proc = subprocess.run(
            argv, env=self.env, input=input_text, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, errors="replace", timeout=timeout,
            stdin=None if input_text is not None else subprocess.DEVNULL,
        )
        seconds = time.monotonic() - start
        if self.log_file and not quiet:
            with open(self.log_file, "a", encoding="utf-8") as f:
                f.write(proc.stdout)
                f.write(f"[exit {proc.returncode} after {seconds:.1f}s]\n")
        if check and proc.returncode != 0:
            raise CommandError(argv, proc.returncode, proc.stdout)
        return proc.returncode, proc.stdout, seconds

    def build(self, context, dockerfile, tag, no_cache=False, extra=(), timeout=1800):
        argv = ["buildah", "bud", "--isolation", "chroot", "--pull=never", "--layers",
                "--format", "docker", "--signature-policy", self.policy,
                "-f", str(dockerfile), "-t", tag, *extra]
        if no_cache:
            argv.append("--no-cache")
        argv.append(str(context))
        return self.run(argv, check=False, timeout=timeout)

    def image_exists(self, ref):
        code, _, _ = self.run(["buildah", "inspect", "--type", "image", ref], check=False, quiet=True)
        return code == 0

    def image_info(self, ref):
        _, out, _ = self.run(["podman", "image", "inspect", ref], quiet=True)
        info = json.loads(out)[0]
        return {
            "id": info["Id"],
            "size": int(info["Size"]),
            "layers": len(info.get("RootFS", {}).get("Layers") or []),
            "user": (info.get("Config") or {}).get("User") or "",
        }

    # ------------------------------------------------------------ cleanup

    def destroy(self, keep_images=False):
        """Removes every container (and, unless keep_images, every image) of
        this environment, unmounts whatever is still mounted below its
        folders, and deletes its root folder (not an outside graphroot)."""
        self.run(["podman", "rm", "--all", "--force", "--time", "0"], check=False, quiet=True)
        self.run(["buildah", "rm", "--all"], check=False, quiet=True)
        if not keep_images:
            self.run(["podman", "image", "prune", "--all", "--force"], check=False, quiet=True)
        unmount_below(self.root)
        unmount_below(self.graphroot)
        shutil.rmtree(self.root, ignore_errors=True)


def mounts_below(folder):
    prefix = str(Path(folder).resolve()) + "/"
    found = []
    with open("/proc/self/mountinfo", encoding="utf-8") as f:
        for line in f:
            mount_point = line.split()[4].replace("\\040", " ")
            if mount_point.startswith(prefix) or mount_point + "/" == prefix:
                found.append(mount_point)
    return found


def unmount_below(folder):
    for mount_point in sorted(mounts_below(folder), key=len, reverse=True):
        subprocess.run(["umount", "-l", mount_point], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def temporary_root(prefix):
    base = os.environ.get("DFOPT_E2E_TMP") or None
    return Path(tempfile.mkdtemp(prefix=prefix, dir=base))


STEP_LINE = re.compile(r"^(?:\[[^\]]*\] )?STEP (\d+)/(\d+): (.*)$")


def parse_steps(build_output):
    """buildah's output as steps: [{"instruction": str, "cached": bool}]."""
    steps = []
    for line in build_output.splitlines():
        m = STEP_LINE.match(line)
        if m:
            steps.append({"instruction": m.group(3), "cached": False})
        elif steps and line.startswith("--> Using cache"):
            steps[-1]["cached"] = True
    return steps
