#!/usr/bin/env bash
# .dfopt.yaml end to end: discovery up to the repository root, --config,
# --no-config, errors (exit 2, nothing rewritten), `dfopt config`.
# usage: config_test.sh DFOPT
set -u
dfopt=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

check() {  # check NAME EXPECTED_STATUS -- COMMAND...
  local name=$1 want=$2
  shift 3
  "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "$name: exit $got (want $want), stderr:"; cat "$tmp/err"
  else
    passed=$((passed + 1))
  fi
}

expect() {  # expect NAME FILE EXTENDED_REGEX: FILE must have a line matching it
  if grep -qE -- "$3" "$2"; then passed=$((passed + 1)); else fail "$1: no line matches '$3' in:"; cat "$2"; fi
}

app='FROM python:3.12-slim
WORKDIR /srv
COPY app.py .
CMD ["python", "app.py"]
'

# A repository with a configuration at its root, and an invalid one above it
# that discovery must never reach.
mkdir -p "$tmp/repo/.git" "$tmp/repo/services/api" "$tmp/repo/services/web" "$tmp/repo/tools"
printf 'bogus: [\n' >"$tmp/.dfopt.yaml"
cat >"$tmp/repo/.dfopt.yaml" <<'YAML'
user: svc
uid: 20001
overrides:
  - files: ["services/api"]
    uid: 30001
YAML
for dir in services/api services/web tools; do
  printf '%s' "$app" >"$tmp/repo/$dir/Dockerfile"
  echo 'print(1)' >"$tmp/repo/$dir/app.py"
done

check "found walking up" 0 -- "$dfopt" fix --stdout --only non-root "$tmp/repo/services/web/Dockerfile"
expect "top level applies" "$tmp/out" 'useradd .*--uid 20001 .*svc'
check "override" 0 -- "$dfopt" fix --stdout --only non-root "$tmp/repo/services/api/Dockerfile"
expect "override applies" "$tmp/out" 'useradd .*--uid 30001 .*svc'
check "command line wins" 0 -- "$dfopt" fix --stdout --only non-root --uid 40001 "$tmp/repo/services/api/Dockerfile"
expect "command line uid" "$tmp/out" 'useradd .*--uid 40001 .*svc'
check "no-config" 0 -- "$dfopt" fix --stdout --only non-root --no-config "$tmp/repo/services/api/Dockerfile"
expect "defaults without config" "$tmp/out" 'useradd .*--uid 10000 .*appuser'
check "relative path" 0 -- bash -c "cd '$tmp/repo/services' && '$dfopt' fix --stdout --only non-root api/Dockerfile"
expect "override from a relative path" "$tmp/out" 'useradd .*--uid 30001 .*svc'
# A walk knows which folders it read hold neither .dfopt.yaml nor .git;
# discovery still goes on above the folder the walk started in.
check "walk below the configuration" 0 -- bash -c "cd '$tmp/repo' && '$dfopt' fix --stdout --only non-root services/"
expect "walk: override" "$tmp/out" 'useradd .*--uid 30001 .*svc'
expect "walk: top level" "$tmp/out" 'useradd .*--uid 20001 .*svc'
check "stdin uses the current directory's" 0 -- bash -c "cd '$tmp/repo/tools' && '$dfopt' fix --only non-root - <Dockerfile"
expect "stdin top level" "$tmp/out" 'useradd .*--uid 20001 .*svc'

# --config names the file; its globs are relative to its own directory.
mkdir -p "$tmp/elsewhere"
cat >"$tmp/elsewhere/team.yaml" <<'YAML'
user: builder
overrides:
  - files: ["**/tools/*"]
    uid: 50001
YAML
check "--config" 0 -- "$dfopt" fix --stdout --only non-root --config "$tmp/elsewhere/team.yaml" "$tmp/repo/tools/Dockerfile"
expect "--config user" "$tmp/out" 'useradd .*--uid 10000 .*builder'
check "--config globs are relative to its directory" 0 -- bash -c "cd '$tmp/elsewhere' && mkdir -p tools && cp '$tmp/repo/tools/Dockerfile' '$tmp/repo/tools/app.py' tools/ && '$dfopt' fix --stdout --only non-root --config team.yaml tools/Dockerfile"
expect "--config override" "$tmp/out" 'useradd .*--uid 50001 .*builder'
check "--config with --no-config" 2 -- "$dfopt" check --config "$tmp/elsewhere/team.yaml" --no-config "$tmp/repo/tools/Dockerfile"

# The walk stops at .git, a folder or (in a worktree) a file: no configuration, no error.
mkdir -p "$tmp/worktree/app"
echo 'gitdir: /nowhere' >"$tmp/worktree/.git"
printf '%s' "$app" >"$tmp/worktree/app/Dockerfile"
check "stops at a .git file" 0 -- "$dfopt" fix --stdout --only non-root "$tmp/worktree/app/Dockerfile"
expect "defaults in the worktree" "$tmp/out" 'useradd .*appuser'
# Outside any repository the walk goes on up: here to the invalid file.
mkdir -p "$tmp/loose"
printf '%s' "$app" >"$tmp/loose/Dockerfile"
check "no repository: walks to the root" 2 -- "$dfopt" check "$tmp/loose/Dockerfile"
expect "the file above reported" "$tmp/err" "^$tmp/.dfopt.yaml:2:1: error: "

# A wrong value: exit 2 with the position, and nothing rewritten, not even
# the Dockerfile whose configuration is fine.
mkdir -p "$tmp/bad/.git" "$tmp/bad/a" "$tmp/good/.git"
printf 'user: svc\nuid: abc\nonly: [non-rot]\n' >"$tmp/bad/.dfopt.yaml"
printf '%s' "$app" >"$tmp/bad/a/Dockerfile"
printf '%s' "$app" >"$tmp/good/Dockerfile"
check "wrong value" 2 -- "$dfopt" fix "$tmp/good/Dockerfile" "$tmp/bad/a/Dockerfile"
expect "position of the uid" "$tmp/err" "^$tmp/bad/.dfopt.yaml:2:6: error: 'uid' must be a whole number"
expect "position of the transform" "$tmp/err" "^$tmp/bad/.dfopt.yaml:3:8: error: unknown transform 'non-rot' \(did you mean 'non-root'\?\)"
[ "$(cat "$tmp/good/Dockerfile")" = "$(printf '%s' "$app")" ] && passed=$((passed + 1)) || fail "good/Dockerfile was rewritten"
[ "$(cat "$tmp/bad/a/Dockerfile")" = "$(printf '%s' "$app")" ] && passed=$((passed + 1)) || fail "bad/a/Dockerfile was rewritten"
check "path as found" 2 -- bash -c "cd '$tmp/bad/a' && '$dfopt' check Dockerfile"
expect "relative path of the file" "$tmp/err" "^\.\./\.dfopt\.yaml:2:6: error: |^$tmp/bad/\.dfopt\.yaml:2:6: error: "
check "path as found from the root" 2 -- bash -c "cd '$tmp/bad' && '$dfopt' check a/Dockerfile"
expect "path below the current directory" "$tmp/err" "^\.dfopt\.yaml:2:6: error: 'uid'"
check "unreadable --config" 2 -- "$dfopt" check --config "$tmp/missing.yaml" "$tmp/good/Dockerfile"
expect "missing --config" "$tmp/err" "^$tmp/missing.yaml: error: cannot read"

# dfopt config: each value and where it came from.
check "config command" 0 -- "$dfopt" config --unsafe-fixes "$tmp/repo/services/api/Dockerfile"
expect "config names the file" "$tmp/out" "^# .*services/api/Dockerfile: configured by $tmp/repo/.dfopt.yaml$"
expect "config names the override" "$tmp/out" "^# overrides that match services/api/Dockerfile: $tmp/repo/.dfopt.yaml:4$"
expect "user from the file" "$tmp/out" "^user: svc +# $tmp/repo/.dfopt.yaml:1$"
expect "uid from the override" "$tmp/out" "^uid: 30001 +# $tmp/repo/.dfopt.yaml:5$"
expect "default" "$tmp/out" '^runtime-image: "" +# default'
expect "command line" "$tmp/out" '^unsafe-fixes: true +# command line$'
check "config of a directory" 0 -- "$dfopt" config "$tmp/repo/tools"
expect "directory's Dockerfile" "$tmp/out" "^uid: 20001 +# $tmp/repo/.dfopt.yaml:2$"
check "config without a file" 0 -- "$dfopt" config "$tmp/worktree/app/Dockerfile"
expect "no file" "$tmp/out" "no configuration file \(no .dfopt.yaml from $tmp/worktree/app up to the repository root\)"
expect "all defaults" "$tmp/out" '^user: appuser +# default$'
check "config error" 2 -- "$dfopt" config "$tmp/bad/a/Dockerfile"
expect "config error position" "$tmp/err" "^$tmp/bad/.dfopt.yaml:2:6: error: "

# A repository walk leaves out the configuration's exclude globs, and a bad
# configuration anywhere in the walk stops it before anything is written.
mkdir -p "$tmp/walk/.git" "$tmp/walk/app" "$tmp/walk/third_party/lib" "$tmp/walk/legacy"
printf 'exclude: [third_party, "legacy/Dockerfile"]\n' >"$tmp/walk/.dfopt.yaml"
for d in app third_party/lib legacy; do printf '%s' "$app" >"$tmp/walk/$d/Dockerfile"; done
check "walk with excludes" 1 -- "$dfopt" check --only non-root "$tmp/walk"
expect "walk takes app" "$tmp/out" "^$tmp/walk/app/Dockerfile:"
if grep -qE "third_party|legacy" "$tmp/out"; then fail "walk took an excluded file:"; cat "$tmp/out"; else passed=$((passed + 1)); fi
mkdir -p "$tmp/walk/broken"
printf '%s' "$app" >"$tmp/walk/broken/Dockerfile"
printf 'uid: many\n' >"$tmp/walk/broken/.dfopt.yaml"
cp "$tmp/walk/app/Dockerfile" "$tmp/app-before"
check "walk with a bad configuration" 2 -- "$dfopt" fix --only non-root "$tmp/walk"
expect "bad configuration named" "$tmp/err" "^$tmp/walk/broken/.dfopt.yaml:1:"
if cmp -s "$tmp/walk/app/Dockerfile" "$tmp/app-before"; then passed=$((passed + 1)); else fail "a file was rewritten before the bad configuration stopped the walk"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
