#!/usr/bin/env bash
# Fails when a C or C++ source differs from .clang-format's style (the
# generated parser and tree-sitter's header aside). `--fix` formats them.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t sources < <(find src transforms tests bench -name '*.cpp' -o -name '*.h' -o -name '*.c' | sort; printf '%s\n' grammar/src/scanner*.[ch])
if [ "${1:-}" = --fix ]; then
  clang-format -i "${sources[@]}"
else
  clang-format --dry-run --Werror "${sources[@]}"
  echo "format: ${#sources[@]} files follow .clang-format"
fi
