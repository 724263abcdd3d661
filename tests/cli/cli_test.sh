#!/usr/bin/env bash
# End-to-end checks of the dfopt binary: exit codes and messages.
# usage: cli_test.sh DFOPT
# A stderr pattern of "" is not checked; EMPTY means nothing on stderr.
set -u
dfopt=$1
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
printf 'FROM alpine\nCMD ["a"]\n' >"$tmp/ok2"
check "parse two files" 0 EMPTY -- "$dfopt" parse "$tmp/ok" "$tmp/ok2"
[ "$(grep -c '^(from "alpine")' "$tmp/out")" = 2 ] && grep -qx '(cmd "a")' "$tmp/out" ||
  { echo "FAIL: parse of two files prints both"; failed=$((failed + 1)); }
check "parse --dump none" 0 EMPTY -- "$dfopt" parse --dump none "$tmp/ok" "$tmp/ok2"
[ -s "$tmp/out" ] && { echo "FAIL: --dump none printed"; failed=$((failed + 1)); }
printf 'FROM a\nENV PATH\n' >"$tmp/bad"
check "parse --dump none: one bad file" 2 "^$tmp/bad:2:1: error: ENV must have two arguments" -- \
  "$dfopt" parse --dump none "$tmp/ok" "$tmp/bad" "$tmp/ok2"

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

# ---- fix / diff / check
example=$(cd "$(dirname "$0")/../../examples/flask-poetry" && pwd)
mkdir -p "$tmp/fixed" "$tmp/patched"
cp -R "$example/." "$tmp/fixed/"
cp -R "$example/." "$tmp/patched/"
chmod 640 "$tmp/fixed/Dockerfile"
check "check reports" 1 '' -- "$dfopt" check "$tmp/fixed/Dockerfile"
grep -qE '^.*Dockerfile:[0-9]+:[0-9]+: (warning|info) \[[a-z-]+\] ' "$tmp/out" || { echo "FAIL: check format"; cat "$tmp/out"; failed=$((failed + 1)); }
check "fix --check" 1 'change' -- "$dfopt" fix --check "$tmp/fixed/Dockerfile"
cmp -s "$example/Dockerfile" "$tmp/fixed/Dockerfile" || { echo "FAIL: fix --check wrote"; failed=$((failed + 1)); }
check "diff" 1 '' -- bash -c "cd '$tmp/patched' && '$dfopt' diff --color never Dockerfile"
cp "$tmp/out" "$tmp/patch"
grep -q '^diff --git a/Dockerfile b/Dockerfile' "$tmp/patch" || { echo "FAIL: diff header"; failed=$((failed + 1)); }
check "fix" 0 'change' -- "$dfopt" fix "$tmp/fixed/Dockerfile"
[ "$(stat -c %a "$tmp/fixed/Dockerfile")" = 640 ] || { echo "FAIL: fix changed the mode"; failed=$((failed + 1)); }
ls -a "$tmp/fixed" | grep -q dfopt- && { echo "FAIL: temporary file left"; failed=$((failed + 1)); }
check "git apply" 0 '' -- bash -c "cd '$tmp/patched' && git apply '$tmp/patch'"
diff -r "$tmp/fixed" "$tmp/patched" >"$tmp/apply.diff" && passed=$((passed + 1)) \
  || { echo "FAIL: git apply of dfopt diff differs from dfopt fix"; cat "$tmp/apply.diff"; failed=$((failed + 1)); }
mkdir -p "$tmp/abs" && cp -R "$example/." "$tmp/abs/"
check "diff of a file outside the current directory" 1 '' -- bash -c "cd /usr && '$dfopt' diff --color never '$tmp/abs/Dockerfile'"
grep -q "^diff --git a${tmp}/abs/Dockerfile b${tmp}/abs/Dockerfile" "$tmp/out" || { echo "FAIL: absolute diff header"; head -3 "$tmp/out"; failed=$((failed + 1)); }
cp "$tmp/out" "$tmp/abs.patch"
check "git apply from /" 0 '' -- bash -c "cd / && git apply '$tmp/abs.patch'"
check "fix is idempotent" 0 '' -- "$dfopt" fix --check "$tmp/fixed/Dockerfile"
check "diff after fix" 0 '' -- "$dfopt" diff "$tmp/fixed/Dockerfile"
check "fix --stdout" 0 '' -- "$dfopt" fix --stdout "$example/Dockerfile"
cmp -s "$tmp/out" "$tmp/fixed/Dockerfile" || { echo "FAIL: fix --stdout differs from fix"; failed=$((failed + 1)); }
check "fix stdin" 0 '' -- bash -c "cd '$example' && '$dfopt' fix - < Dockerfile"
check "unknown transform" 2 "unknown transform 'nope'" -- "$dfopt" check --only nope "$example/Dockerfile"
cp "$tmp/heredoc" "$tmp/broken"
check "fix leaves a broken file alone" 2 "broken:4:1: error: unterminated heredoc" -- "$dfopt" fix "$tmp/broken"
cmp -s "$tmp/heredoc" "$tmp/broken" || { echo "FAIL: broken file was written"; failed=$((failed + 1)); }
mkdir -p "$tmp/dir" && printf 'FROM alpine\nADD a /a\n' >"$tmp/dir/Dockerfile" && : >"$tmp/dir/a"
printf 'FROM alpine\nADD a /b\n' >"$tmp/dir/web.Dockerfile"
check "directory" 1 '' -- "$dfopt" check --only add-to-copy "$tmp/dir"
[ "$(grep -c 'add-to-copy' "$tmp/out")" = 2 ] || { echo "FAIL: directory search"; failed=$((failed + 1)); }
check "colour always" 1 '' -- "$dfopt" diff --color always --only add-to-copy "$tmp/dir/Dockerfile"
grep -q $'\x1b\[' "$tmp/out" || { echo "FAIL: no colour"; failed=$((failed + 1)); }
check "NO_COLOR" 1 '' -- env NO_COLOR=1 "$dfopt" diff --only add-to-copy "$tmp/dir/Dockerfile"
grep -q $'\x1b\[' "$tmp/out" && { echo "FAIL: colour despite NO_COLOR"; failed=$((failed + 1)); }

printf 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n' >"$tmp/dir/layers.Dockerfile"
check "layers: a change outside the context" 2 'outside the build context' -- "$dfopt" layers --changed ../x "$tmp/dir/layers.Dockerfile"
check "layers: an unknown target" 2 'no stage is named nope' -- "$dfopt" layers --target nope "$tmp/dir/layers.Dockerfile"
check "layers: a missing file" 2 'cannot read' -- "$dfopt" layers "$tmp/missing.Dockerfile"
check "layers: a change" 0 EMPTY -- "$dfopt" layers --changed app.py "$tmp/dir/layers.Dockerfile"
grep -q '^changing app.py re-runs 2 of 3 steps, including the dependency install at line 4$' "$tmp/out" ||
  { echo "FAIL: layers summary"; failed=$((failed + 1)); }
check "graph: a file that does not parse" 2 'error' -- "$dfopt" graph "$tmp/missing.Dockerfile"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
