#!/usr/bin/env bash
# Second command of the README: the whole test suite, run by CTest (installs
# and builds first when needed). As root it includes the end-to-end image
# tests (label e2e, a few minutes); DFOPT_E2E=0 leaves them out. Arguments go
# to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
e2e=${DFOPT_E2E:-1}
[ "$(id -u)" -eq 0 ] || e2e=0
if [ "$e2e" = 1 ]; then scripts/install-deps.sh --e2e; else scripts/install-deps.sh; fi
scripts/build.sh >/dev/null
cd "${BUILD_DIR:-build}"
if [ "$e2e" = 1 ]; then
  ctest --output-on-failure -j"$(nproc)" "$@"
else
  ctest --output-on-failure -j"$(nproc)" -LE e2e "$@"
fi
