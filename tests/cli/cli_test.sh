#!/usr/bin/env bash
# End-to-end checks of the dfopt binary: exit codes and messages.
# usage: cli_test.sh DFOPT SHARED_DIR
# A stderr pattern of "" is not checked; EMPTY means nothing on stderr.
set -u
dfopt=$1
shared=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

check() {  # check NAME EXPECTED_STATUS STDERR_PATTERN -- COMMAND...
  local name=$1 want=$2 pattern=$3
  shift 4
  "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local got=$?
  local stderr_ok=true
  if [ "$pattern" = EMPTY ]; then [ -s "$tmp/err" ] && stderr_ok=false
  elif [ -n "$pattern" ]; then grep -qE -- "$pattern" "$tmp/err" || stderr_ok=false
  fi
  if [ "$got" -ne "$want" ] || ! $stderr_ok; then
    echo "FAIL: $name: exit $got (want $want), stderr:"; cat "$tmp/err"
    failed=$((failed + 1))
  else
    passed=$((passed + 1))
  fi
}

check "version" 0 '' -- "$dfopt" --version
grep -q '^dfopt [0-9]' "$tmp/out" || { echo "FAIL: --version output"; failed=$((failed + 1)); }
check "help" 0 '' -- "$dfopt" --help
check "no subcommand" 2 'subcommand' -- "$dfopt"
check "unknown option" 2 'dump' -- "$dfopt" parse --dump nonsense x

printf 'FROM alpine\nRUN echo hi\n' >"$tmp/ok"
check "parse ok" 0 EMPTY -- "$dfopt" parse "$tmp/ok"
grep -qx '(run "echo hi")' "$tmp/out" || { echo "FAIL: buildkit dump"; failed=$((failed + 1)); }
check "parse json" 0 '' -- "$dfopt" parse --dump json "$tmp/ok"
grep -q '"command": "run"' "$tmp/out" || { echo "FAIL: json dump"; failed=$((failed + 1)); }
check "parse tree" 0 '' -- "$dfopt" parse --dump tree "$tmp/ok"
grep -q 'keyword: (keyword' "$tmp/out" || { echo "FAIL: tree dump"; failed=$((failed + 1)); }
check "stdin" 0 '' -- bash -c "\"$dfopt\" parse - < \"$tmp/ok\""

check "missing file" 2 "^$tmp/missing: error: cannot read: No such file" -- "$dfopt" parse "$tmp/missing"
check "directory" 2 "^$tmp: error: is a directory" -- "$dfopt" parse "$tmp"
: >"$tmp/empty"
check "empty file" 2 "^$tmp/empty:1:1: error: file with no instructions" -- "$dfopt" parse "$tmp/empty"
printf 'FROM a\nRUN x\0y\n' >"$tmp/nul"
check "NUL byte" 2 "^$tmp/nul:2:6: error: binary file" -- "$dfopt" parse "$tmp/nul"
printf 'FROM a\nRUN \xff\n' >"$tmp/latin"
check "invalid UTF-8" 2 "^$tmp/latin:2:5: error: not UTF-8" -- "$dfopt" parse "$tmp/latin"
printf 'FROM a\nRUN <<EOF\necho\n' >"$tmp/heredoc"
check "unterminated heredoc" 2 "^$tmp/heredoc:4:1: error: unterminated heredoc" -- "$dfopt" parse "$tmp/heredoc"
printf 'FROM a\nENV PATH\n' >"$tmp/env"
check "ENV without value" 2 "^$tmp/env:2:1: error: ENV must have two arguments" -- "$dfopt" parse "$tmp/env"
printf '# escape=x\nFROM a\n' >"$tmp/escape"
check "bad escape" 2 "^$tmp/escape:1:1: error: invalid escape token 'x'" -- "$dfopt" parse "$tmp/escape"
printf 'CMD ["a", ["b"]]\n' >"$tmp/nested"
check "nested JSON" 2 "arrays must be comprised of strings only" -- "$dfopt" parse "$tmp/nested"

for f in "$shared"/corpus/buildkit/testfiles/*/Dockerfile; do
  "$dfopt" parse "$f" >"$tmp/dump" 2>/dev/null && cmp -s "$tmp/dump" "$(dirname "$f")/result" \
    && passed=$((passed + 1)) || { echo "FAIL: dump of $f"; failed=$((failed + 1)); }
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
