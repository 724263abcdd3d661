#!/usr/bin/env bash
# Runs one fuzz target for a while under ASan and UBSan, building it first
# (build.sh) and making its seeds (seeds.py):
#   tests/fuzz/run.sh [--build-dir DIR] [--no-build] TARGET [SECONDS] [libFuzzer options...]
# TARGET: parse, pipeline, dockerignore, shell, diff. SECONDS defaults to
# $DFOPT_FUZZ_SECONDS, else 30. New inputs go to DIR/corpus/TARGET, crashes
# to DIR/artifacts/; libFuzzer's final statistics end the output. Exit 0
# when nothing was found, 77 when clang is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$root/build-fuzz
rebuild=1
while [ $# -gt 0 ]; do
  case $1 in
    --build-dir) build=$2; shift 2 ;;
    --no-build) rebuild=0; shift ;;
    *) break ;;
  esac
done
target=${1:?usage: run.sh [--build-dir DIR] [--no-build] TARGET [SECONDS] [libFuzzer options...]}
seconds=${2:-${DFOPT_FUZZ_SECONDS:-30}}
shift $(($# < 2 ? $# : 2))
if [ "$rebuild" = 1 ]; then
  status=0
  "$here/build.sh" "$build" >/dev/null || status=$?
  [ "$status" = 0 ] || exit "$status"
fi
binary=$build/fuzz_$target
[ -x "$binary" ] || { echo "run.sh: error: no fuzz target $binary" >&2; exit 2; }
rm -rf "$build/seeds/$target"
"$here/seeds.py" "$target" "$build/seeds/$target"
mkdir -p "$build/corpus/$target" "$build/artifacts"
dict=$here/dockerfile.dict
[ "$target" = dockerignore ] && dict=$here/ignore.dict
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
echo "fuzz_$target: $seconds s, seeds $(ls "$build/seeds/$target" | wc -l), corpus $build/corpus/$target"
# libFuzzer's own exit code for a crash is 77, which CTest would count as skipped.
exec "$binary" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 -print_final_stats=1 \
  -error_exitcode=1 -timeout_exitcode=1 \
  -dict="$dict" -artifact_prefix="$build/artifacts/$target-" "$@" \
  "$build/corpus/$target" "$build/seeds/$target"
