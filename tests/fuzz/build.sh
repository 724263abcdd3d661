#!/usr/bin/env bash
# Builds the fuzz targets with clang under ASan and UBSan in BUILD_DIR
# (default build-fuzz at the repository's root): build.sh [BUILD_DIR].
# Exits 77 (CTest: skipped) when clang or its libFuzzer is missing
# (Debian: clang, libclang-rt-14-dev).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-fuzz}
cxx=${DFOPT_FUZZ_CXX:-clang++}
cc=${DFOPT_FUZZ_CC:-clang}
if ! command -v "$cxx" >/dev/null || ! command -v "$cc" >/dev/null; then
  echo "skipped: $cxx or $cc is missing (Debian: apt-get install clang libclang-rt-14-dev)"
  exit 77
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '#include <cstddef>\n#include <cstdint>\nextern "C" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }\n' >"$probe/p.cpp"
if ! "$cxx" -fsanitize=fuzzer,address,undefined "$probe/p.cpp" -o "$probe/p" 2>"$probe/err"; then
  echo "skipped: $cxx cannot link a libFuzzer target (Debian: apt-get install libclang-rt-14-dev)"
  sed 's/^/  /' "$probe/err"
  exit 77
fi
cmake -S "$root/tests/fuzz" -B "$build" -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_C_COMPILER="$cc" \
  -DDFOPT_SANITIZED_UNIT_TESTS=ON >/dev/null
cmake --build "$build" -j"${DFOPT_FUZZ_JOBS:-$(nproc)}"
