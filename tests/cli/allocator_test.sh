#!/usr/bin/env bash
# The executable's allocator (mimalloc): it is the one in use, it reserves
# its arena, and without the address space for the arena (ulimit -v) a run
# prints the same bytes as with it, and nothing more.
# usage: allocator_test.sh DFOPT
set -u
dfopt=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
pass() { passed=$((passed + 1)); }

mkdir "$tmp/ctx"
{
  printf 'FROM python:3.11\nADD app.py /app/\n'
  for i in $(seq 1 3000); do printf 'RUN echo %d\n' "$i"; done
} >"$tmp/Dockerfile"
printf 'print(1)\n' >"$tmp/ctx/app.py"

MIMALLOC_VERBOSE=1 "$dfopt" --version >/dev/null 2>"$tmp/verbose"
if grep -q "mimalloc: process init" "$tmp/verbose"; then pass; else fail "mimalloc is not in use"; fi
# Large OS pages are on from mimalloc's start (its first segment holds a
# small run's heap), unless the environment says otherwise.
if grep -q "option 'large_os_pages': 1" "$tmp/verbose"; then pass; else
  fail "large OS pages are not on at mimalloc's start:"; grep large_os_pages "$tmp/verbose"
fi
MIMALLOC_VERBOSE=1 MIMALLOC_LARGE_OS_PAGES=0 "$dfopt" --version 2>&1 >/dev/null | grep -q "option 'large_os_pages': 0" &&
  pass || fail "MIMALLOC_LARGE_OS_PAGES=0 is not obeyed"
# Under strict overcommit (mode 2) the kernel may refuse 1 GiB of address
# space, MAP_NORESERVE or not: dfopt then runs without the arena, as below.
if grep -q "mimalloc: reserved 1048576 KiB memory" "$tmp/verbose"; then pass
elif [ "$(cat /proc/sys/vm/overcommit_memory 2>/dev/null)" = 2 ]; then
  echo "note: no arena under strict overcommit (vm.overcommit_memory=2)"
else
  fail "no arena reserved:"; grep -i "reserv\|warning" "$tmp/verbose"
fi

"$dfopt" diff --context "$tmp/ctx" "$tmp/Dockerfile" >"$tmp/with" 2>"$tmp/with.err"
with=$?
# 1 GiB of address space cannot be reserved under 600 MB; a run needs far less.
(ulimit -v 600000 && exec "$dfopt" diff --context "$tmp/ctx" "$tmp/Dockerfile") >"$tmp/without" 2>"$tmp/without.err"
without=$?
if [ "$with" -eq 1 ] && [ "$without" -eq 1 ]; then pass; else fail "exit $with with the arena, $without without"; fi
if grep -q "^+COPY app.py /app/" "$tmp/with" && cmp -s "$tmp/with" "$tmp/without"; then pass; else
  fail "outputs differ with and without the arena"; diff "$tmp/with" "$tmp/without" | head
fi
if [ ! -s "$tmp/with.err" ] && [ ! -s "$tmp/without.err" ]; then pass; else
  fail "messages on stderr:"; cat "$tmp/with.err" "$tmp/without.err"
fi
(ulimit -v 600000 && MIMALLOC_VERBOSE=1 exec "$dfopt" --version) >/dev/null 2>"$tmp/verbose"
if ! grep -q "mimalloc: reserved" "$tmp/verbose"; then pass; else fail "the limit did not stop the reservation"; fi

echo "allocator: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
