#!/usr/bin/env bash
# Installs the Debian 12 packages dfopt builds and tests with; with --e2e also
# those of the end-to-end image tests (tests/e2e): buildah builds images,
# podman runs them (with runc: crun fails on some cgroup set-ups; slirp4netns
# publishes their ports on loopback), debootstrap makes the local base images
# (no registry is reachable), curl asks the running apps. Installs only what
# is missing, so it is quick to run again. With --build only what building
# dfopt needs (dfopt's own Dockerfile): no test tools.
set -euo pipefail
build_packages=(
  cmake g++ make pkg-config
  libtree-sitter-dev libcli11-dev libfmt-dev libyaml-cpp-dev libboost-graph-dev
  nlohmann-json3-dev libdtl-dev libre2-dev libtomlplusplus-dev libmimalloc-dev
)
# help2man writes the man page, dpkg-dev's dpkg-shlibdeps the .deb's Depends.
packages=(
  "${build_packages[@]}"
  catch2 git clang-format graphviz python3
  pre-commit
  python3-jsonschema python3-yaml
  golang-go golang-github-moby-patternmatcher-dev
  help2man dpkg-dev
  clang libclang-rt-14-dev  # the fuzz targets (tests/fuzz): libFuzzer, ASan, UBSan
)
e2e_packages=(
  buildah podman runc conmon slirp4netns containernetworking-plugins
  debootstrap debian-archive-keyring
  curl ca-certificates python3 tar
)
case "${1:-}" in
  --e2e) packages+=("${e2e_packages[@]}") ;;
  --build) packages=("${build_packages[@]}") ;;
esac
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
