#!/usr/bin/env bash
# Second command of the README: the whole test suite (installs and builds
# first when needed), run by CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh >/dev/null
cd "${BUILD_DIR:-build}"
ctest --output-on-failure -j"$(nproc)" "$@"
