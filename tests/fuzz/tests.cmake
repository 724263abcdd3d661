# The fuzz targets in the test suite (label fuzz): one test builds them with
# clang in the build folder's fuzz/ (a fixture), then each runs for
# $DFOPT_FUZZ_SECONDS (default 30) under ASan and UBSan. Skipped (77) where
# clang or libFuzzer is missing.
set(DFOPT_FUZZ_TARGETS parse pipeline dockerignore shell diff)
set(DFOPT_FUZZ_BUILD_DIR ${CMAKE_BINARY_DIR}/fuzz)
add_test(NAME fuzz.build COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/build.sh ${DFOPT_FUZZ_BUILD_DIR})
set_tests_properties(fuzz.build PROPERTIES
  LABELS fuzz
  FIXTURES_SETUP fuzz_targets
  SKIP_RETURN_CODE 77
  TIMEOUT 3600)
# The unit tests built on the same instrumented libraries (ASan with leak
# checks, UBSan), once.
add_test(NAME fuzz.unit_tests
  COMMAND bash -c "[ -x \"$1\" ] || { echo \"skipped: $1 was not built\"; exit 77; }; exec \"$1\""
          fuzz_unit_tests ${DFOPT_FUZZ_BUILD_DIR}/sanitized_tests)
set_tests_properties(fuzz.unit_tests PROPERTIES
  LABELS fuzz
  FIXTURES_REQUIRED fuzz_targets
  SKIP_RETURN_CODE 77
  ENVIRONMENT "ASAN_OPTIONS=detect_leaks=1;UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1"
  TIMEOUT 1800)
foreach(target ${DFOPT_FUZZ_TARGETS})
  add_test(NAME fuzz.${target}
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/run.sh --build-dir ${DFOPT_FUZZ_BUILD_DIR} --no-build ${target})
  set_tests_properties(fuzz.${target} PROPERTIES
    LABELS fuzz
    FIXTURES_REQUIRED fuzz_targets
    SKIP_RETURN_CODE 77
    TIMEOUT 1200)
endforeach()
