#!/usr/bin/env bash
# Compares two dfopt binaries' outputs byte for byte: `fix --stdout`, `check`
# and `diff` (stdout, stderr and exit code) over every real-world Dockerfile,
# once with an empty build context and once with bench/rich-context (the
# usual manifests and lock files), and every golden case (`golden --update`
# on a copy of golden/, then the written trees compared, plus check and diff
# with the case's input as context). For refactorings that must not change
# what dfopt prints. Exit 0 when all are identical, 1 otherwise.
# usage: bench/compare_outputs.sh OLD_DFOPT NEW_DFOPT [CORPUS_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
old=$(realpath "$1")
new=$(realpath "$2")
corpus=$(realpath "${3:-$here/../../shared/corpus/realworld}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/empty"
compared=0
differing=0

# run BINARY OUT ARGS...: stdout, stderr and exit code into OUT.*
run() {
  local binary=$1 out=$2
  shift 2
  local code=0
  "$binary" "$@" >"$out.stdout" 2>"$out.stderr" </dev/null || code=$?
  echo "$code" >"$out.code"
}

same() {
  local a=$1 b=$2
  cmp -s "$a.stdout" "$b.stdout" && cmp -s "$a.stderr" "$b.stderr" && cmp -s "$a.code" "$b.code"
}

compare() {  # LABEL ARGS...
  local label=$1
  shift
  run "$old" "$tmp/old" "$@"
  run "$new" "$tmp/new" "$@"
  compared=$((compared + 1))
  if ! same "$tmp/old" "$tmp/new"; then
    differing=$((differing + 1))
    echo "DIFFERS: $label: dfopt $*"
  fi
}

cd "$corpus"
for name in *; do
  case $name in MANIFEST.tsv | README.md) continue ;; esac
  for context in "$tmp/empty" "$here/rich-context"; do
    compare "corpus" fix --stdout --context "$context" "$name"
    compare "corpus" check --context "$context" "$name"
    compare "corpus" diff --context "$context" "$name"
  done
done
corpus_runs=$compared

golden=$(realpath "$here/../golden")
for binary in old new; do
  cp -r "$golden" "$tmp/golden-$binary"
  [ $binary = old ] && b=$old || b=$new
  for case_dir in "$tmp/golden-$binary"/*/*/; do
    [ -d "$case_dir/input" ] && "$b" golden --update "$case_dir" >/dev/null 2>&1 || true
  done
done
compared=$((compared + 1))
if ! diff -r "$tmp/golden-old" "$tmp/golden-new" >"$tmp/golden.diff"; then
  differing=$((differing + 1))
  echo "DIFFERS: golden --update writes other expectations:"
  head -n 40 "$tmp/golden.diff"
fi
cd "$golden"
for case_dir in */*/; do
  [ -f "$case_dir/input/Dockerfile" ] || continue
  compare "golden" check --context "$case_dir/input" "$case_dir/input/Dockerfile"
  compare "golden" diff --context "$case_dir/input" "$case_dir/input/Dockerfile"
done

echo "compared: $compared runs ($corpus_runs over the corpus with 2 contexts, the rest golden); differing: $differing"
[ "$differing" -eq 0 ]
