#!/usr/bin/env bash
# Configures and builds dfopt and its tests in build/ (BUILD_DIR to change).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDFOPT_WERROR="${DFOPT_WERROR:-OFF}" >/dev/null
cmake --build "$build" -j"$(nproc)"
