"""Local base images for the e2e builds.

No registry is reachable, so the images the apps' Dockerfiles name
(python:3.11, node:18, golang:1.19, gcr.io/distroless/static-debian12, ...)
are made here from Debian: debootstrap a minimal bookworm, import it, and
extend it with Debian packages (base/*.Containerfile). They live in an image
store under the cache folder (DFOPT_E2E_CACHE, default /var/cache/dfopt-e2e),
keyed by a hash of the recipe: the next run with the same recipe reuses it,
read-only, as an additional image store. The debootstrap tarball is cached
apart, so changing one recipe does not redo it.
"""
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

from containers import STORAGE_DRIVER, Containers, log, temporary_root, unmount_below

HERE = Path(__file__).resolve().parent
RECIPES = HERE / "base"
SUITE = "bookworm"
MIRROR = os.environ.get("DFOPT_E2E_MIRROR", "http://deb.debian.org/debian")
HOST_CA = Path(os.environ.get("DFOPT_E2E_HOST_CA", "/etc/ssl/certs/ca-certificates.crt"))
ROOTFS_IMAGE = "localhost/dfopt-e2e/rootfs:bookworm"
RECIPE_VERSION = "1"  # bump to rebuild every cache

DOCKER_HUB = "docker.io/library/"
# In build order: recipe, then the names it is tagged with.
IMAGES = [
    ("debian.Containerfile",
     ["localhost/dfopt-e2e/debian:bookworm"]
     + [DOCKER_HUB + "debian:" + t for t in ("bookworm", "bookworm-slim", "12", "12-slim", "latest")]),
    ("python-slim.Containerfile",
     [DOCKER_HUB + "python:" + t for t in ("3.11-slim", "3.11-slim-bookworm", "3-slim", "slim")]),
    ("python.Containerfile",
     [DOCKER_HUB + "python:" + t for t in ("3.11", "3.11-bookworm", "3", "latest")]),
    ("node-slim.Containerfile",
     [DOCKER_HUB + "node:" + t for t in ("18-slim", "18-bookworm-slim")]),
    ("node.Containerfile",
     [DOCKER_HUB + "node:" + t for t in ("18", "18-bookworm")]),
    ("golang.Containerfile",
     [DOCKER_HUB + "golang:" + t for t in ("1.19", "1.19-bookworm")]),
    ("distroless-static.Containerfile",
     ["gcr.io/distroless/static-debian12:latest", "gcr.io/distroless/static:latest"]),
    ("distroless-static-nonroot.Containerfile",
     ["gcr.io/distroless/static-debian12:nonroot", "gcr.io/distroless/static:nonroot"]),
]


def cache_dir():
    return Path(os.environ.get("DFOPT_E2E_CACHE", "/var/cache/dfopt-e2e"))


def _hash(*parts):
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode()
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:16]


def rootfs_key():
    return _hash(RECIPE_VERSION, SUITE, MIRROR, "minbase")


def store_key():
    parts = [RECIPE_VERSION, rootfs_key(), STORAGE_DRIVER, json.dumps(IMAGES), HOST_CA.read_bytes()]
    for path in sorted(RECIPES.iterdir()):
        parts += [path.name, path.read_bytes()]
    return _hash(*parts)


def all_tags():
    return [tag for _, tags in IMAGES for tag in tags]


def _rootfs_tarball(cache):
    """debootstrap --variant=minbase, as a tarball in the cache."""
    tarball = cache / f"rootfs-{SUITE}-{rootfs_key()}.tar"
    if tarball.exists():
        return tarball
    for old in cache.glob(f"rootfs-{SUITE}-*.tar"):
        old.unlink()
    work = temporary_root("dfopt-e2e-rootfs-")
    try:
        rootfs = work / "rootfs"
        log(f"base images: debootstrap {SUITE} from {MIRROR} (a few minutes) ...")
        start = time.monotonic()
        with open(work / "debootstrap.log", "w", encoding="utf-8") as out:
            code = subprocess.run(["debootstrap", "--variant=minbase", SUITE, str(rootfs), MIRROR],
                                  stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL).returncode
        if code != 0:
            tail = (work / "debootstrap.log").read_text(errors="replace").splitlines()[-20:]
            raise RuntimeError("debootstrap failed:\n" + "\n".join(tail))
        for leftovers in ("var/cache/apt/archives", "var/lib/apt/lists"):
            for entry in (rootfs / leftovers).glob("*"):
                if entry.is_file():
                    entry.unlink()
        partial = tarball.with_suffix(".partial")
        subprocess.run(["tar", "--numeric-owner", "--xattrs", "-C", str(rootfs), "-cf", str(partial), "."],
                       check=True, stdin=subprocess.DEVNULL)
        partial.rename(tarball)
        log(f"base images: debootstrap done in {time.monotonic() - start:.0f}s")
        return tarball
    finally:
        unmount_below(work)
        shutil.rmtree(work, ignore_errors=True)


def _build_store(cache, store):
    tarball = _rootfs_tarball(cache)
    work = temporary_root("dfopt-e2e-base-")
    env = Containers(work / "env", graphroot=store / "graph", log_file=work / "build.log")
    try:
        start = time.monotonic()
        env.run(["podman", "import", str(tarball), ROOTFS_IMAGE])
        context = work / "context"
        shutil.copytree(RECIPES, context)
        shutil.copyfile(HOST_CA, context / "host-ca.crt")
        for recipe, tags in IMAGES:
            step = time.monotonic()
            argv = ["buildah", "bud", "--isolation", "chroot", "--pull=never", "--format", "docker",
                    "--signature-policy", env.policy, "-f", str(context / recipe)]
            for tag in tags:
                argv += ["-t", tag]
            code, out, _ = env.run(argv + [str(context)], check=False)
            if code != 0:
                raise RuntimeError(f"base image {recipe} failed:\n" + "\n".join(out.splitlines()[-30:]))
            log(f"base images: {tags[0]} in {time.monotonic() - step:.0f}s")
        env.run(["buildah", "rmi", "--prune"], check=False)
        (store / "complete").write_text(json.dumps(
            {"tags": all_tags(), "seconds": round(time.monotonic() - start, 1)}, indent=1) + "\n")
    except Exception:
        shutil.copyfile(work / "build.log", cache / "last-failed-build.log")
        raise
    finally:
        env.destroy(keep_images=True)
        shutil.rmtree(work, ignore_errors=True)


def ensure_store():
    """The path of a complete image store with every base image (the graph
    root to name in additionalimagestores), building it when missing."""
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    key = store_key()
    store = cache / f"store-{key}"
    with open(cache / "lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (store / "complete").exists():
            log(f"base images: cached in {store}")
            return store / "graph"
        for old in cache.glob("store-*"):
            unmount_below(old)
            old.rename(cache / f"trash-{old.name}-{os.getpid()}")
        store.mkdir()
        log(f"base images: building into {store} (cold cache) ...")
        start = time.monotonic()
        try:
            _build_store(cache, store)
        except Exception:
            unmount_below(store)
            store.rename(cache / f"trash-{store.name}-{os.getpid()}")
            raise
        log(f"base images: built in {time.monotonic() - start:.0f}s")
        return store / "graph"


def empty_trash_in_background():
    """Deletes the stores of older recipes in a thread (unlinking many files
    is slow on a disk mounted with discard); join the thread before exiting."""
    trash = sorted(cache_dir().glob("trash-*")) if cache_dir().exists() else []

    def delete():
        for folder in trash:
            unmount_below(folder)
            shutil.rmtree(folder, ignore_errors=True)
    thread = threading.Thread(target=delete, daemon=True)
    thread.start()
    return thread


if __name__ == "__main__":
    path = ensure_store()
    empty_trash_in_background().join()
    print(path)
