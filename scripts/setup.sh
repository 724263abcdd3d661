#!/usr/bin/env bash
# First command of the README: install, build, and show dfopt at work on the
# shipped example.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh >/dev/null
echo "+ build/dfopt diff examples/flask-poetry/Dockerfile" >&2
build/dfopt diff examples/flask-poetry/Dockerfile || [ $? -eq 1 ]
