#!/usr/bin/env bash
# Installs the Debian 12 packages dfopt builds and tests with. Installs only
# what is missing, so it is quick to run again.
set -euo pipefail
packages=(
  cmake g++ make pkg-config
  libtree-sitter-dev libcli11-dev libfmt-dev libyaml-cpp-dev libboost-graph-dev
  nlohmann-json3-dev catch2 libdtl-dev
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
