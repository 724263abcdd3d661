#!/usr/bin/env bash
# The end-to-end image tests (see e2e.py): builds every app in apps/ before and
# after `dfopt fix` with buildah, runs both with podman, compares them.
# usage: tests/e2e/run.sh --dfopt build/dfopt [--results FILE] [--apps a,b] [--verify APP:BUILDER,...]
# Needs root and what scripts/install-deps.sh --e2e installs; exits 77 (CTest:
# skipped) when the machine cannot build images. Base images are cached in
# DFOPT_E2E_CACHE (default /var/cache/dfopt-e2e).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
skip() { echo "e2e: SKIPPED: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "building images here needs root (buildah and podman as root)"
for tool in buildah podman runc debootstrap curl python3 slirp4netns; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps.sh --e2e installs it)"
done
export PYTHONDONTWRITEBYTECODE=1
exec python3 "$here/e2e.py" "$@"
