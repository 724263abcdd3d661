#!/usr/bin/env bash
# Build contexts as dfopt lists them: directories the .dockerignore leaves
# out are not entered, a context shared by several Dockerfiles is listed
# once, and symlink loops, fifos and unreadable folders neither hang nor
# crash dfopt. Which folders dfopt opens is seen through the LD_PRELOAD
# shim (fault_shim.c, DFOPT_OPENDIR_LOG and DFOPT_OPENDIR_DENY).
# usage: context_test.sh DFOPT SHIM
set -u
dfopt=$1
shim=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
ok() { passed=$((passed + 1)); }

# opened NAME -- COMMAND...: runs it (exit 0 or 1) with the opendir log in $tmp/opened
opened() {
  local name=$1
  shift 2
  rm -f "$tmp/opened"
  env LD_PRELOAD="$shim" DFOPT_OPENDIR_LOG="$tmp/opened" timeout 120 "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local got=$?
  touch "$tmp/opened"
  if [ "$got" -gt 1 ]; then fail "$name: exit $got"; cat "$tmp/err"; else ok; fi
}
times_opened() { grep -c -- "$1\$" "$tmp/opened"; }

make_context() {  # make_context DIR: an app with node_modules and .git
  mkdir -p "$1/src" "$1/node_modules/left-pad/lib" "$1/.git/objects/ab"
  printf 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "src/index.js"]\n' >"$1/Dockerfile"
  printf '{"name": "app", "version": "1.0.0"}\n' >"$1/package.json"
  printf 'console.log(1)\n' >"$1/src/index.js"
  printf 'module.exports = 1\n' >"$1/node_modules/left-pad/lib/index.js"
  printf 'x' >"$1/.git/objects/ab/cdef"
}

# --- excluded folders are not entered
make_context "$tmp/pruned"
printf 'node_modules\n.git\n' >"$tmp/pruned/.dockerignore"
opened "pruned" -- "$dfopt" check "$tmp/pruned/Dockerfile"
[ "$(times_opened /pruned/src)" = 1 ] && ok || fail "pruned: src opened $(times_opened /pruned/src) times"
grep -qE 'node_modules|\.git' "$tmp/opened" && fail "pruned: entered $(grep -E 'node_modules|\.git' "$tmp/opened")" || ok

# an exception that reaches inside an excluded folder makes it entered
printf 'node_modules\n.git\n!node_modules/left-pad/lib\n' >"$tmp/pruned/.dockerignore"
opened "exception" -- "$dfopt" check "$tmp/pruned/Dockerfile"
[ "$(times_opened /pruned/node_modules/left-pad/lib)" = 1 ] && ok || fail "exception: node_modules/left-pad/lib not listed"
grep -q '\.git' "$tmp/opened" && fail "exception: .git entered" || ok

# without a .dockerignore, everything is listed
rm "$tmp/pruned/.dockerignore"
opened "no .dockerignore" -- "$dfopt" check "$tmp/pruned/Dockerfile"
[ "$(times_opened /pruned/node_modules/left-pad/lib)" = 1 ] && ok || fail "no .dockerignore: node_modules not listed"

# --- a context shared by several Dockerfiles is listed once
make_context "$tmp/shared"
for name in a b c; do cp "$tmp/shared/Dockerfile" "$tmp/shared/$name.Dockerfile"; done
opened "--context, three files" -- "$dfopt" check -j 2 --context "$tmp/shared" \
  "$tmp/shared/a.Dockerfile" "$tmp/shared/b.Dockerfile" "$tmp/shared/c.Dockerfile"
[ "$(times_opened /shared/src)" = 1 ] && ok || fail "--context: src listed $(times_opened /shared/src) times"
opened "a folder of Dockerfiles" -- "$dfopt" check "$tmp/shared"
[ "$(times_opened /shared/src)" = 1 ] && ok || fail "walk: src listed $(times_opened /shared/src) times"
# the walk read the folder and src: the context listing takes what it read
[ "$(times_opened /shared)" = 1 ] && ok || fail "walk: the folder read $(times_opened /shared) times"
# fix in a walked folder writes .dockerignore after the first file: the
# others see it, not what the walk read before the write
cp -r "$tmp/shared" "$tmp/shared-walk"
rm -f "$tmp/shared-walk/a.Dockerfile" "$tmp/shared-walk/b.Dockerfile"
opened "fix, a walked folder" -- "$dfopt" fix -j 1 "$tmp/shared-walk"
[ -f "$tmp/shared-walk/.dockerignore" ] && ok || fail "fix walk: no .dockerignore written"
"$dfopt" check "$tmp/shared-walk" >"$tmp/out" 2>&1
grep -q '\[dockerignore\]' "$tmp/out" && fail "fix walk: a later file still wants a .dockerignore: $(cat "$tmp/out")" || ok
# fix writes .dockerignore into the shared context: the later files see it
cp -r "$tmp/shared" "$tmp/shared-fix"
opened "fix, three files" -- "$dfopt" fix -j 1 --context "$tmp/shared-fix" \
  "$tmp/shared-fix/a.Dockerfile" "$tmp/shared-fix/b.Dockerfile" "$tmp/shared-fix/c.Dockerfile"
[ -f "$tmp/shared-fix/.dockerignore" ] && ok || fail "fix: no .dockerignore written"
"$dfopt" check --context "$tmp/shared-fix" "$tmp/shared-fix/b.Dockerfile" "$tmp/shared-fix/c.Dockerfile" \
  >"$tmp/out" 2>&1
grep -q '\[dockerignore\]' "$tmp/out" && fail "fix: a later file still wants a .dockerignore: $(cat "$tmp/out")" || ok

# --- symlink loops, a fifo, a symlink to the fifo: no hang, no crash
make_context "$tmp/awkward"
ln -s . "$tmp/awkward/self"
ln -s loop-b "$tmp/awkward/loop-a"
ln -s loop-a "$tmp/awkward/loop-b"
ln -s .. "$tmp/awkward/src/up"
mkfifo "$tmp/awkward/pipe"
ln -s pipe "$tmp/awkward/package-lock.json"
ln -s loop-a "$tmp/awkward/.dockerignore"
opened "loops and a fifo" -- "$dfopt" check "$tmp/awkward/Dockerfile"
[ "$(times_opened /awkward/src)" = 1 ] && ok || fail "loops: src listed $(times_opened /awkward/src) times"
opened "loops and a fifo, fix" -- "$dfopt" fix --stdout "$tmp/awkward/Dockerfile"

# --- an unreadable folder: a warning, the rest is listed
make_context "$tmp/locked"
mkdir -p "$tmp/locked/secret/inner"
env LD_PRELOAD="$shim" DFOPT_OPENDIR_DENY=secret "$dfopt" check "$tmp/locked/Dockerfile" >"$tmp/out" 2>"$tmp/err"
status=$?
[ "$status" -le 1 ] && ok || fail "unreadable: exit $status"
grep -q 'locked/secret: warning: cannot list the folder: Permission denied' "$tmp/err" && ok ||
  { fail "unreadable: no warning"; cat "$tmp/err"; }

echo "context tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
