#!/usr/bin/env bash
# dfopt check|diff|fix over directories: the recursive walk (names, skipped
# directories, symlinks, --no-recursive), each file's own build context,
# parallel runs printing the same bytes as -j1, the summary line, exit codes.
# usage: walk_test.sh DFOPT
set -u
dfopt=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0 failed=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
pass() { passed=$((passed + 1)); }

# expect NAME STATUS -- COMMAND...: runs it with stdout in $tmp/out, stderr in $tmp/err.
expect() {
  local name=$1 want=$2
  shift 3
  "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local got=$?
  if [ "$got" -ne "$want" ]; then fail "$name: exit $got (want $want), stderr:"; cat "$tmp/err"; else pass; fi
}
# same NAME FILE1 FILE2: the two files are byte-identical.
same() {
  if cmp -s "$2" "$3"; then pass; else fail "$1"; diff "$2" "$3" | head -20; fi
}

# A Dockerfile add-to-copy changes (ADD of a local file), with that file next to it.
dockerfile() {  # dockerfile PATH
  mkdir -p "$(dirname "$1")"
  printf 'FROM alpine\nADD app.sh /app.sh\n' >"$1"
  : >"$(dirname "$1")/app.sh"
}

repo=$tmp/repo
dockerfile "$repo/Dockerfile"
dockerfile "$repo/services/api/Dockerfile"
dockerfile "$repo/services/api/Dockerfile.dev"
dockerfile "$repo/services/web/web.Dockerfile"
dockerfile "$repo/services/web/worker.dockerfile"
dockerfile "$repo/podman/Containerfile"
dockerfile "$repo/podman/Containerfile.ubi"
dockerfile "$repo/podman/api.Containerfile"
dockerfile "$repo/.devcontainer/Dockerfile"
dockerfile "$repo/a/b/c/d/Dockerfile"
dockerfile "$repo/lower/dockerfile"
# Not walked into, or not Dockerfiles.
dockerfile "$repo/.git/Dockerfile"
dockerfile "$repo/node_modules/pkg/Dockerfile"
dockerfile "$repo/services/api/vendor/lib/Dockerfile"
for name in Dockerfile.md Dockerfile.txt Dockerfile.orig Dockerfile.rej Dockerfile.bak Dockerfile.swp \
  Dockerfile~ Dockerfile.dockerignore Dockerfile.template Dockerfile.in dockerfile.go; do
  printf 'not a Dockerfile {\n' >"$repo/services/api/$name"
done
mkdir -p "$repo/services/api/Dockerfile.d"  # a directory with a Dockerfile's name: walked, not read
dockerfile "$repo/services/api/Dockerfile.d/Dockerfile"
ln -s .. "$repo/services/loop"                 # a symlink to a directory: never followed
ln -s ../../Dockerfile "$repo/a/b/Dockerfile"  # a symlink to a file: taken

expected="Dockerfile
.devcontainer/Dockerfile
a/b/Dockerfile
a/b/c/d/Dockerfile
lower/dockerfile
podman/Containerfile
podman/Containerfile.ubi
podman/api.Containerfile
services/api/Dockerfile
services/api/Dockerfile.d/Dockerfile
services/api/Dockerfile.dev
services/web/web.Dockerfile
services/web/worker.dockerfile"
expected_sorted=$(printf '%s\n' "$expected" | sed "s|^|$repo/|" | LC_ALL=C sort)

# ---- the walk: which files, in which order
expect "check a repository" 1 -- "$dfopt" check --only add-to-copy "$repo"
found=$(sed -E 's/:[0-9]+:[0-9]+: .*//' "$tmp/out")
[ "$found" = "$expected_sorted" ] && pass || { fail "walked files"; diff <(echo "$found") <(echo "$expected_sorted"); }
[ -s "$tmp/err" ] && fail "stderr of a clean walk: $(cat "$tmp/err")" || pass
grep -q 'add-to-copy' "$tmp/out" && pass || fail "no add-to-copy finding"

expect "relative directory" 1 -- bash -c "cd '$repo' && '$dfopt' check --only add-to-copy ."
found=$(sed -E 's/:[0-9]+:[0-9]+: .*//' "$tmp/out")
[ "$found" = "$(printf '%s\n' "$expected" | sed 's|^|./|' | LC_ALL=C sort)" ] && pass || fail "relative walk: $found"

expect "--no-recursive" 1 -- "$dfopt" check --only add-to-copy --no-recursive "$repo"
[ "$(sed -E 's/:[0-9]+:[0-9]+: .*//' "$tmp/out")" = "$repo/Dockerfile" ] && pass || fail "--no-recursive: $(cat "$tmp/out")"
expect "--no-recursive, a directory without a Dockerfile of its own" 2 -- \
  "$dfopt" check --no-recursive "$repo/services"
grep -q "^$repo/services: error: no Dockerfile, Containerfile, \*.Dockerfile or Dockerfile.\* in this directory$" \
  "$tmp/err" && pass || fail "message: $(cat "$tmp/err")"

mkdir -p "$tmp/none/sub" && : >"$tmp/none/sub/README.md"
expect "a tree without Dockerfiles" 2 -- "$dfopt" check "$tmp/none"
grep -q "^$tmp/none: error: no Dockerfile, .* in this directory or below it$" "$tmp/err" && pass ||
  fail "message: $(cat "$tmp/err")"
expect "a missing path" 2 -- "$dfopt" check "$tmp/missing"
grep -q "^$tmp/missing: error: no such file or directory$" "$tmp/err" && pass || fail "message: $(cat "$tmp/err")"

expect "a file named twice is run once" 1 -- "$dfopt" check --only add-to-copy "$repo/podman" "$repo/podman/Containerfile"
[ "$(grep -c '/Containerfile:' "$tmp/out")" = 1 ] && pass || fail "duplicate: $(cat "$tmp/out")"

clean=$tmp/clean
mkdir -p "$clean/x" "$clean/y"
printf 'FROM alpine\nCOPY app.sh /app.sh\n' >"$clean/x/Dockerfile"
cp "$clean/x/Dockerfile" "$clean/y/Dockerfile"
: >"$clean/x/app.sh" && : >"$clean/y/app.sh"
expect "nothing to change" 0 -- "$dfopt" check --only add-to-copy "$clean"
[ -s "$tmp/out" ] && fail "output without findings: $(cat "$tmp/out")" || pass

# ---- an error in one file: reported in its place, the others still run, exit 2
broken=$tmp/broken
cp -R "$repo/services" "$broken"
printf 'FROM alpine\nRUN <<EOF\necho\n' >"$broken/api/Dockerfile.dev"
expect "a file that does not parse" 2 -- "$dfopt" check --only add-to-copy -j4 "$broken"
grep -q "^$broken/api/Dockerfile.dev:4:1: error: unterminated heredoc" "$tmp/err" && pass || fail "parse error: $(cat "$tmp/err")"
[ "$(grep -c 'add-to-copy' "$tmp/out")" = 4 ] && pass || fail "the other files: $(cat "$tmp/out")"

# ---- an unreadable directory: reported, the rest walked, exit 2
if [ "$(id -u)" -ne 0 ]; then
  locked=$tmp/locked
  cp -R "$repo/podman" "$locked" && dockerfile "$locked/secret/Dockerfile" && chmod 000 "$locked/secret"
  expect "an unreadable directory" 2 -- "$dfopt" check --only add-to-copy "$locked"
  grep -q "^$locked/secret: error: cannot read the directory: Permission denied$" "$tmp/err" && pass ||
    fail "unreadable: $(cat "$tmp/err")"
  [ "$(grep -c 'add-to-copy' "$tmp/out")" = 3 ] && pass || fail "the readable files: $(cat "$tmp/out")"
  chmod 755 "$locked/secret"
else
  echo "note: running as root, the unreadable-directory case is not checked"
fi

# ---- each Dockerfile's build context is its own directory, unless --context
ctx=$tmp/contexts
mkdir -p "$ctx/one" "$ctx/two"
printf 'FROM alpine\nCOPY . /app\n' >"$ctx/one/Dockerfile" && printf 'TOKEN=1\n' >"$ctx/one/.env"
printf 'FROM alpine\nCOPY . /app\n' >"$ctx/two/Dockerfile"  # no .env next to it
expect "own contexts" 1 -- "$dfopt" check --only dockerignore "$ctx"
grep -q "^$ctx/one/Dockerfile:1:1: warning \[dockerignore\] add .dockerignore: keep .env " "$tmp/out" && pass ||
  fail "context one: $(cat "$tmp/out")"
grep -q "^$ctx/two/Dockerfile:.*warning" "$tmp/out" && fail "context two has no .env: $(cat "$tmp/out")" || pass
expect "--context" 1 -- "$dfopt" check --only dockerignore --context "$ctx/one" "$ctx"
[ "$(grep -c 'warning \[dockerignore\] add .dockerignore: keep .env' "$tmp/out")" = 2 ] && pass ||
  fail "--context: $(cat "$tmp/out")"
cp -R "$ctx" "$tmp/contexts-fixed"
expect "fix writes each context's .dockerignore" 0 -- "$dfopt" fix --only dockerignore "$tmp/contexts-fixed"
[ -f "$tmp/contexts-fixed/one/.dockerignore" ] && [ ! -e "$tmp/contexts-fixed/two/.dockerignore" ] &&
  [ ! -e "$tmp/contexts-fixed/.dockerignore" ] && pass || fail "fix: .dockerignore files"

# ---- parallel runs print the same bytes as -j1
many=$tmp/many
for i in $(seq -w 1 60); do
  mkdir -p "$many/s$i"
  printf 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nADD start.sh /start.sh\nCMD npm start\n' >"$many/s$i/Dockerfile"
  printf '{"name":"s%s","version":"1.0.0"}\n' "$i" >"$many/s$i/package.json"
  : >"$many/s$i/package-lock.json" && : >"$many/s$i/start.sh" && : >"$many/s$i/.env"
done
for command in check diff; do
  expect "$command -j1" 1 -- "$dfopt" $command --summary -j1 "$many"
  mv "$tmp/out" "$tmp/j1.out" && mv "$tmp/err" "$tmp/j1.err"
  expect "$command -j4" 1 -- "$dfopt" $command --summary -j4 "$many"
  same "$command: -j1 and -j4 stdout" "$tmp/j1.out" "$tmp/out"
  same "$command: -j1 and -j4 stderr" "$tmp/j1.err" "$tmp/err"
  [ "$(grep -c '^dfopt: 60 files checked, 60 with changes; findings: .*add-to-copy 60' "$tmp/err")" = 1 ] && pass ||
    fail "$command summary: $(tail -1 "$tmp/err")"
done
cp -R "$many" "$tmp/many1" && cp -R "$many" "$tmp/many4"
expect "fix -j1" 0 -- "$dfopt" fix -j1 "$tmp/many1"
sed "s|$tmp/many1|DIR|g" "$tmp/err" >"$tmp/fix1.err"
expect "fix -j4" 0 -- "$dfopt" fix -j4 "$tmp/many4"
sed "s|$tmp/many4|DIR|g" "$tmp/err" >"$tmp/fix4.err"
same "fix: -j1 and -j4 stderr" "$tmp/fix1.err" "$tmp/fix4.err"
diff -r "$tmp/many1" "$tmp/many4" >"$tmp/fix.diff" && pass || { fail "fix: -j1 and -j4 trees differ"; head "$tmp/fix.diff"; }
[ -f "$tmp/many4/s07/.dockerignore" ] && pass || fail "fix wrote no .dockerignore in a file's own context"
expect "fix -j4 again" 0 -- "$dfopt" check -j4 "$tmp/many4"

# Two Dockerfiles, one context: the second sees the .dockerignore the first wrote, as with -j1.
shared=$tmp/shared
for i in $(seq 1 8); do
  mkdir -p "$shared/p$i"
  printf 'FROM alpine\nCOPY . /app\n' >"$shared/p$i/Dockerfile"
  printf 'FROM alpine\nCOPY . /srv\n' >"$shared/p$i/Dockerfile.dev"
  printf 'SECRET=1\n' >"$shared/p$i/.env"
done
cp -R "$shared" "$tmp/shared1" && cp -R "$shared" "$tmp/shared4"
expect "shared context -j1" 0 -- "$dfopt" fix --only dockerignore -j1 "$tmp/shared1"
sed "s|$tmp/shared1|DIR|g" "$tmp/err" >"$tmp/shared1.err"
expect "shared context -j4" 0 -- "$dfopt" fix --only dockerignore -j4 "$tmp/shared4"
sed "s|$tmp/shared4|DIR|g" "$tmp/err" >"$tmp/shared4.err"
same "shared context: -j1 and -j4 stderr" "$tmp/shared1.err" "$tmp/shared4.err"
diff -r "$tmp/shared1" "$tmp/shared4" >/dev/null && pass || fail "shared context: trees differ"
[ "$(grep -c ': 1 change' "$tmp/shared4.err")" = 8 ] && pass || fail "one .dockerignore per context: $(cat "$tmp/shared4.err")"

# One context named through a symlink and through its real path is one context: the
# .dockerignore written through the link is seen by the later files, through either name.
linked=$tmp/linked
mkdir -p "$linked/real/app"
ln -s real "$linked/alias"
printf 'SECRET=1\n' >"$linked/real/app/.env"
for name in Dockerfile Dockerfile.b Dockerfile.c; do printf 'FROM alpine\nCOPY . /app\n' >"$linked/real/app/$name"; done
expect "a context through a link and its real path" 0 -- "$dfopt" fix --only dockerignore -j1 \
  "$linked/alias/app/Dockerfile" "$linked/real/app/Dockerfile.b" "$linked/alias/app/Dockerfile.c"
[ -f "$linked/real/app/.dockerignore" ] && pass || fail "no .dockerignore written through the link"
[ "$(grep -c ': 1 change' "$tmp/err")" = 1 ] && pass || fail "one .dockerignore for one context: $(cat "$tmp/err")"

# ---- the options
expect "--jobs 0" 2 -- "$dfopt" check --jobs 0 "$repo"
expect "-j N" 1 -- "$dfopt" check --only add-to-copy -j 3 "$repo"
expect "no summary in a pipe" 1 -- "$dfopt" check --only add-to-copy "$repo"
grep -q '^dfopt: ' "$tmp/err" && fail "summary without a terminal" || pass
expect "--summary" 1 -- "$dfopt" check --only add-to-copy --summary "$repo"
grep -qx "dfopt: 13 files checked, 13 with changes; findings: add-to-copy 13" "$tmp/err" && pass ||
  fail "summary: $(cat "$tmp/err")"
expect "--summary, nothing found" 0 -- "$dfopt" check --only add-to-copy --summary "$clean"
grep -qx "dfopt: 2 files checked, 0 with changes; no findings" "$tmp/err" && pass || fail "summary: $(cat "$tmp/err")"
expect "--summary with an error" 2 -- "$dfopt" check --only add-to-copy --summary "$broken"
grep -qx "dfopt: 5 files checked, 4 with changes, 1 not rewritten (errors); findings: add-to-copy 4" "$tmp/err" &&
  pass || fail "summary: $(tail -1 "$tmp/err")"
# A terminal: the progress line and the summary, both on stderr (script(1) gives a pty).
if command -v script >/dev/null; then
  script -qec "'$dfopt' check -j2 --only add-to-copy '$many' >'$tmp/tty.out'" /dev/null >"$tmp/tty.err" 2>&1
  grep -q '\[1/60\]' "$tmp/tty.err" && pass || fail "no progress on a terminal"
  grep -q 'dfopt: 60 files checked, 60 with changes' "$tmp/tty.err" && pass || fail "no summary on a terminal"
  grep -q '\[' "$tmp/tty.out" && grep -q '\[1/60\]' "$tmp/tty.out" && fail "progress on stdout" || pass
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
