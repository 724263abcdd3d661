#!/usr/bin/env bash
# `dfopt parse` prints BuildKit's dump for each of BuildKit's own test files
# (../shared/corpus/buildkit). Exits 77 (skipped) when the folder is missing.
# usage: dump_corpus_test.sh DFOPT SHARED_DIR
set -u
dfopt=$1
corpus=$2/corpus/buildkit/testfiles
if [ ! -d "$corpus" ]; then
  echo "skipped: this test reads $corpus, which is missing (the shared corpus beside the clone)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
for f in "$corpus"/*/Dockerfile; do
  if "$dfopt" parse "$f" >"$tmp/dump" 2>/dev/null && cmp -s "$tmp/dump" "$(dirname "$f")/result"; then
    passed=$((passed + 1))
  else
    echo "FAIL: dump of $f"
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
