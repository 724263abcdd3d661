#!/usr/bin/env bash
# `dfopt layers` golden cases: each cases/<case>/ holds input/ (a Dockerfile
# and its build context), changed.txt (the --changed paths, one a line, may
# be empty), maybe target.txt (--target), and expected.json, which
# `dfopt layers --format json` must print. --update rewrites expected.json.
# usage: run.sh DFOPT [--update]
set -u
dfopt=$1
update=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
passed=0 failed=0
for case_dir in "$here"/cases/*/; do
  name=$(basename "$case_dir")
  args=(layers --format json)
  while IFS= read -r path; do
    [ -n "$path" ] && args+=(--changed "$path")
  done <"$case_dir/changed.txt"
  [ -f "$case_dir/target.txt" ] && args+=(--target "$(cat "$case_dir/target.txt")")
  args+=("$case_dir/input/Dockerfile")
  if ! actual=$("$dfopt" "${args[@]}"); then
    echo "FAIL: $name: dfopt ${args[*]} exited non-zero"
    failed=$((failed + 1))
    continue
  fi
  if [ "$update" = --update ]; then
    printf '%s\n' "$actual" >"$case_dir/expected.json"
    echo "updated: $name"
  elif diff -u "$case_dir/expected.json" <(printf '%s\n' "$actual"); then
    passed=$((passed + 1))
  else
    echo "FAIL: $name"
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
