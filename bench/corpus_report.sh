#!/usr/bin/env bash
# Runs `dfopt check` over every real-world Dockerfile (with an empty build
# context, since the corpus has none) and reports, per transform, how many
# files it would fix (safely, or with --unsafe-fixes), report without a
# fix, and skip, the top skip reasons, and the total time
# and peak memory. CONTEXT_DIR, when given, is used as every file's build
# context (for example one holding the usual manifests).
# usage: bench/corpus_report.sh [DFOPT] [CORPUS_DIR] [CONTEXT_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dfopt=${1:-$here/../build/dfopt}
corpus=${2:-$here/../../shared/corpus/realworld}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
context=${3:-$tmp/context}
mkdir -p "$tmp/context"
files=()
for f in "$corpus"/*; do
  case $(basename "$f") in MANIFEST.tsv|README.md) continue ;; esac
  files+=("$f")
done
start=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$tmp/rss" "$dfopt" check --context "$context" "${files[@]}" >"$tmp/findings" 2>"$tmp/errors" || true
end=$(date +%s.%N)
echo "files: ${#files[@]}"
echo "errors: $(grep -c 'error' "$tmp/errors" || true)"
printf 'total time: %s s, peak RSS: %s KiB\n' "$(awk "BEGIN { printf \"%.2f\", $end - $start }")" "$(tail -n 1 "$tmp/rss")"
echo
# The transforms, in the order dfopt lists them in its errors.
transforms=$( ("$dfopt" check --only no-such-transform - </dev/null 2>&1 || true) | sed -E 's/.*known: (.*)\)/\1/; s/,//g')
count() { (grep -E "$1" "$tmp/findings" || true) | cut -d: -f1 | sort -u | wc -l; }
printf '%-18s %8s %8s %8s %8s\n' transform fixed unsafe reported skipped
for t in $transforms; do
  printf '%-18s %8s %8s %8s %8s\n' "$t" "$(count " warning \[$t\] .*\[(safe|unsafe) fix\]$")" \
    "$(count " warning \[$t\] .*not applied: --unsafe-fixes\]$")" \
    "$(count " warning \[$t\] .*[^]]$")" "$(count " info \[$t\]")"
done
echo
echo "top skip reasons (first words of the message):"
for t in $transforms; do
  (grep " info \[$t\]" "$tmp/findings" || true) | sed -E 's/^.* info \[[a-z-]+\] //' \
    | awk '{ n = NF < 7 ? NF : 7; s = $1; for (i = 2; i <= n; i++) s = s " " $i; print s }' \
    | sort | uniq -c | sort -rn | head -3 | sed "s/^/  [$t] /"
done
