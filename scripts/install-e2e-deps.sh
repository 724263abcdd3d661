#!/usr/bin/env bash
# Installs the Debian 12 packages the end-to-end image tests (tests/e2e) need:
# buildah builds images, podman runs them (with runc: crun fails on some cgroup
# set-ups), debootstrap makes the local base images (no registry is reachable),
# curl asks the running apps. Installs only what is missing, so it is quick to
# run again; runs `apt-get update` only when something is missing.
set -euo pipefail
packages=(
  buildah podman runc debootstrap
  fuse-overlayfs uidmap slirp4netns containernetworking-plugins
  curl ca-certificates python3 xz-utils
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
