#!/usr/bin/env bash
# Regenerates grammar/src/parser.c, grammar.json and node-types.json from
# grammar.js, then rewrites the stamp the test suite checks.
# Needs a tree-sitter CLI 0.20.8 (ABI 14) on PATH or in $TREE_SITTER; the
# project does not ship one (see README, "Changing the grammar").
set -euo pipefail
cd "$(dirname "$0")"
ts=${TREE_SITTER:-tree-sitter}
"$ts" generate --abi 14
grep -q '#define LANGUAGE_VERSION 14' src/parser.c
cmake -P stamp.cmake
