#!/usr/bin/env bash
# The patternmatcher differential test: dfopt's .dockerignore matching
# against moby/patternmatcher itself, built from Debian's Go source with no
# network. Exits 77 (skipped) when Go or that source is missing.
# Usage: run.sh DIFF_EXECUTABLE WORK_DIR
set -euo pipefail
diff_executable=$1
mkdir -p "$2"
work=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
gopath=${DFOPT_GOPATH:-/usr/share/gocode}
missing=()
command -v go >/dev/null || missing+=("go (Debian package golang-go)")
[ -f "$gopath/src/github.com/moby/patternmatcher/patternmatcher.go" ] ||
  missing+=("$gopath/src/github.com/moby/patternmatcher (Debian package golang-github-moby-patternmatcher-dev)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "skipped: missing ${missing[*]}"
  exit 77
fi
# GOPATH mode finds the package in Debian's tree: nothing to download.
GO111MODULE=off GOPATH=$gopath GOFLAGS= GOCACHE="$work/go-cache" \
  go build -o "$work/patternmatcher_verdicts" "$here/main.go"
"$diff_executable" generate >"$work/cases"
start=$(date +%s%N)
# text/scanner reports each invalid UTF-8 byte of a pattern on stderr.
"$work/patternmatcher_verdicts" <"$work/cases" >"$work/verdicts" 2>"$work/patternmatcher.stderr"
echo "patternmatcher side: $(( ($(date +%s%N) - start) / 1000000 )) ms"
"$diff_executable" compare "$work/cases" "$work/verdicts"
