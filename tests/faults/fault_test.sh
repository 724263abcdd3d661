#!/usr/bin/env bash
# Nothing lost: what `dfopt fix` does with symlinks, hard links, modes,
# read-only files and folders, failed writes (a fault-injecting
# LD_PRELOAD shim, fault_shim.c), a file changed while dfopt runs, signals,
# and inputs over the size limit.
# usage: fault_test.sh DFOPT SHIM
set -u
dfopt=$1
shim=$2
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
passed=0 failed=0

fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
ok() { passed=$((passed + 1)); }

# A Dockerfile fix changes (ADD of a local file becomes COPY).
original=$'FROM alpine:3.19\nADD app.sh /app/\nCMD ["/app/app.sh"]\n'

# fresh NAME: a folder with the Dockerfile and its context
fresh() {
  rm -rf "${tmp:?}/$1"
  mkdir -p "$tmp/$1"
  printf '%s' "$original" >"$tmp/$1/Dockerfile"
  printf '#!/bin/sh\necho hi\n' >"$tmp/$1/app.sh"
}

# expect NAME WANT_STATUS STDERR_PATTERN -- COMMAND...
expect() {
  local name=$1 want=$2 pattern=$3
  shift 4
  "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local got=$?
  if [ "$got" -ne "$want" ] || { [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$tmp/err"; }; then
    fail "$name: exit $got (want $want), stderr:"
    cat "$tmp/err"
  else
    ok
  fi
}

unchanged() {  # unchanged NAME FILE: the file still holds the original bytes
  if [ "$(cat "$2"; echo x)" = "${original}x" ]; then ok; else fail "$1: the file changed"; fi
}
rewritten() {  # rewritten NAME FILE
  if grep -q '^COPY app.sh' "$2"; then ok; else fail "$1: not rewritten"; fi
}
no_temporary() {  # no_temporary NAME DIR
  if find "$2" -name '*.dfopt-*' | grep -q .; then fail "$1: temporary file left: $(find "$2" -name '*.dfopt-*')"; else ok; fi
}

# --- a symlink is written through and stays a symlink
fresh link
mkdir "$tmp/link/real"
mv "$tmp/link/Dockerfile" "$tmp/link/real/Dockerfile.real"
ln -s real/Dockerfile.real "$tmp/link/Dockerfile"
expect "symlink" 0 '' -- "$dfopt" fix --context "$tmp/link" "$tmp/link/Dockerfile"
[ -L "$tmp/link/Dockerfile" ] && ok || fail "symlink: the link was replaced"
[ "$(readlink "$tmp/link/Dockerfile")" = real/Dockerfile.real ] && ok || fail "symlink: the link points elsewhere"
rewritten "symlink target" "$tmp/link/real/Dockerfile.real"
no_temporary "symlink" "$tmp/link"

# --- a symlink to a symlink
fresh chain
mv "$tmp/chain/Dockerfile" "$tmp/chain/Dockerfile.real"
ln -s Dockerfile.real "$tmp/chain/middle"
ln -s middle "$tmp/chain/Dockerfile"
expect "symlink chain" 0 '' -- "$dfopt" fix "$tmp/chain/Dockerfile"
[ -L "$tmp/chain/Dockerfile" ] && [ -L "$tmp/chain/middle" ] && ok || fail "symlink chain: a link was replaced"
rewritten "symlink chain target" "$tmp/chain/Dockerfile.real"

# --- a dangling symlink is an error
fresh dangling
rm "$tmp/dangling/Dockerfile"
ln -s nowhere "$tmp/dangling/Dockerfile"
expect "dangling symlink" 2 'Dockerfile: error' -- "$dfopt" fix "$tmp/dangling/Dockerfile"

# --- hard links all see the new content
fresh hard
ln "$tmp/hard/Dockerfile" "$tmp/hard/other"
inode=$(stat -c %i "$tmp/hard/Dockerfile")
expect "hard link" 0 '' -- "$dfopt" fix "$tmp/hard/Dockerfile"
rewritten "hard link" "$tmp/hard/other"
[ "$(stat -c %i "$tmp/hard/Dockerfile")" = "$inode" ] && [ "$(stat -c %h "$tmp/hard/other")" = 2 ] && ok ||
  fail "hard link: the link was broken"
no_temporary "hard link" "$tmp/hard"

# --- mode (and the group where it can be kept) stay
fresh mode
chmod 640 "$tmp/mode/Dockerfile"
expect "mode" 0 '' -- "$dfopt" fix "$tmp/mode/Dockerfile"
[ "$(stat -c %a "$tmp/mode/Dockerfile")" = 640 ] && ok || fail "mode: $(stat -c %a "$tmp/mode/Dockerfile")"
rewritten "mode" "$tmp/mode/Dockerfile"

# --- a read-only file and a read-only folder: exit 2, untouched
fresh readonly
chmod 444 "$tmp/readonly/Dockerfile"
expect "read-only file" 2 'Dockerfile: error: the file is read-only; not written' -- \
  "$dfopt" fix "$tmp/readonly/Dockerfile"
unchanged "read-only file" "$tmp/readonly/Dockerfile"
fresh rofolder
chmod 555 "$tmp/rofolder"
expect "read-only folder" 2 'Dockerfile: error: the folder .* is read-only; not written' -- \
  "$dfopt" fix --skip dockerignore "$tmp/rofolder/Dockerfile"
chmod 755 "$tmp/rofolder"
unchanged "read-only folder" "$tmp/rofolder/Dockerfile"
no_temporary "read-only folder" "$tmp/rofolder"

# --- failed writes leave the original and no temporary file
for fault in write=ENOSPC write=EDQUOT fsync=EIO rename=EIO; do
  fresh fault
  expect "fault $fault" 2 'Dockerfile: error: cannot write: .*; not written' -- \
    env LD_PRELOAD="$shim" DFOPT_FAULT="$fault" "$dfopt" fix --skip dockerignore "$tmp/fault/Dockerfile"
  unchanged "fault $fault" "$tmp/fault/Dockerfile"
  no_temporary "fault $fault" "$tmp/fault"
done
# a hard-linked file: the temporary write fails before the file is touched
fresh faulthard
ln "$tmp/faulthard/Dockerfile" "$tmp/faulthard/other"
expect "fault write=ENOSPC, hard link" 2 'No space left on device' -- \
  env LD_PRELOAD="$shim" DFOPT_FAULT=write=ENOSPC "$dfopt" fix --skip dockerignore "$tmp/faulthard/Dockerfile"
unchanged "fault write=ENOSPC, hard link" "$tmp/faulthard/other"
no_temporary "fault write=ENOSPC, hard link" "$tmp/faulthard"

# a hard-linked file whose in-place write fails after the temporary write
# worked (the second write): the old content is put back
fresh faultinplace
ln "$tmp/faultinplace/Dockerfile" "$tmp/faultinplace/other"
expect "in-place write fails, hard link" 2 'cannot write: No space left on device; the original was put back' -- \
  env LD_PRELOAD="$shim" DFOPT_FAULT='write=ENOSPC#2' "$dfopt" fix --skip dockerignore "$tmp/faultinplace/Dockerfile"
unchanged "in-place write fails, hard link" "$tmp/faultinplace/other"
[ "$(stat -c %h "$tmp/faultinplace/Dockerfile")" = 2 ] && ok || fail "in-place write fails: the link was broken"
no_temporary "in-place write fails, hard link" "$tmp/faultinplace"

# --- start dfopt fix paused after its temporary write (fsync=wait) in
# the background; wait_paused waits until it is there.
start_paused() {  # start_paused DIR
  rm -f "$tmp/marker"
  env LD_PRELOAD="$shim" DFOPT_FAULT=fsync=wait DFOPT_FAULT_MARKER="$tmp/marker" \
    "$dfopt" fix --skip dockerignore "$1/Dockerfile" >"$tmp/out" 2>"$tmp/err" </dev/null &
  paused=$!
  for _ in $(seq 1 3000); do
    [ -e "$tmp/marker" ] && return 0
    kill -0 "$paused" 2>/dev/null || return 1
    sleep 0.01
  done
  return 1
}

# a file changed between dfopt's read and its rename is not overwritten
fresh changed
if start_paused "$tmp/changed"; then
  printf '# edited meanwhile\n' >>"$tmp/changed/Dockerfile"
  rm -f "$tmp/marker"
  wait "$paused"
  status=$?
  [ "$status" = 2 ] && grep -q 'Dockerfile: error: the file changed while dfopt ran; not written' "$tmp/err" && ok ||
    { fail "changed meanwhile: exit $status"; cat "$tmp/err"; }
  [ "$(tail -n 1 "$tmp/changed/Dockerfile")" = '# edited meanwhile' ] && ok || fail "changed meanwhile: edit lost"
  no_temporary "changed meanwhile" "$tmp/changed"
else
  fail "changed meanwhile: dfopt did not pause"
fi

# SIGINT and SIGTERM while a temporary file exists: it is removed
for signal in INT TERM; do
  fresh "signal$signal"
  if start_paused "$tmp/signal$signal"; then
    find "$tmp/signal$signal" -name '*.dfopt-*' | grep -q . && ok || fail "SIG$signal: no temporary file to remove"
    kill -s "$signal" "$paused"
    wait "$paused"
    status=$?
    rm -f "$tmp/marker"
    [ "$status" -ge 128 ] && ok || fail "SIG$signal: exit $status"
    unchanged "SIG$signal" "$tmp/signal$signal/Dockerfile"
    no_temporary "SIG$signal" "$tmp/signal$signal"
  else
    fail "SIG$signal: dfopt did not pause"
  fi
done

# --- a .dockerignore over 1 MiB (more than dfopt reads of other context
# files) is added to, its bytes kept
fresh bigignore
mkdir -p "$tmp/bigignore/.git"
printf 'ref: refs/heads/main\n' >"$tmp/bigignore/.git/HEAD"
for i in $(seq 1 40000); do printf '# note %05d of a long generated ignore file\n' "$i"; done >"$tmp/bigignore/.dockerignore"
cp "$tmp/bigignore/.dockerignore" "$tmp/bigignore.before"
expect "large .dockerignore" 0 '' -- "$dfopt" fix --context "$tmp/bigignore" "$tmp/bigignore/Dockerfile"
cmp -s -n "$(stat -c %s "$tmp/bigignore.before")" "$tmp/bigignore.before" "$tmp/bigignore/.dockerignore" && ok ||
  fail "large .dockerignore: its bytes were not kept"
grep -qx '.git' "$tmp/bigignore/.dockerignore" && ok || fail "large .dockerignore: .git not added"

# --- inputs over the size limit: exit 2, nothing read or written
fresh large
head -c $((11 * 1024 * 1024)) /dev/zero | tr '\0' '#' >>"$tmp/large/Dockerfile"
printf '\n' >>"$tmp/large/Dockerfile"
expect "over the default limit" 2 'Dockerfile: error: the input is 11 MB, over the limit of 10 MB \(--max-input-size, or max-input-size in .dfopt.yaml, raises it\); not read' -- \
  "$dfopt" check "$tmp/large/Dockerfile"
expect "over the limit, stdin" 2 '<stdin>: error: the input is over the limit of 1 KB' -- \
  sh -c "\"$dfopt\" check --max-input-size 1K - <\"$tmp/large/Dockerfile\""
fresh small
expect "over a set limit" 2 'over the limit of 10 bytes' -- "$dfopt" check --max-input-size 10 "$tmp/small/Dockerfile"
expect "under a set limit" 1 '' -- "$dfopt" check --max-input-size 1M "$tmp/small/Dockerfile"
printf 'max-input-size: 20M\n' >"$tmp/large/.dfopt.yaml"
expect "a limit set in .dfopt.yaml" 1 '' -- "$dfopt" check "$tmp/large/Dockerfile"
expect "the command line over .dfopt.yaml" 2 'over the limit of 1 MB' -- \
  "$dfopt" check --max-input-size 1M "$tmp/large/Dockerfile"
expect "a bad limit" 2 'max-input-size' -- "$dfopt" check --max-input-size lots "$tmp/small/Dockerfile"

echo "fault tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
