#!/usr/bin/env bash
# `check --format json|sarif|github` and `diff --format` (tests/cli/formats_check.py):
# schema validation (python3-jsonschema) and applying the edits and the SARIF
# fixes over every golden case. Skipped (77) without python3-jsonschema or python3-yaml.
# usage: formats_test.sh DFOPT SOURCE_DIR
set -u
python3 -c 'import jsonschema, yaml' 2>/dev/null || {
  echo "skipped: python3-jsonschema or python3-yaml is missing (scripts/install-deps.sh)"
  exit 77
}
exec python3 "$(dirname "$0")/formats_check.py" "$1" "$2"
