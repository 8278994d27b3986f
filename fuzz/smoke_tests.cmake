# Brief runs of every libFuzzer target as ctest entries of the ASan build
# (label "fuzz"): each replays its seed corpus (crash regressions included)
# and fuzzes for a few seconds. The targets are built by clang in
# build/fuzz (scripts/test builds it first); a missing binary fails the test
# naming what is missing.
include(${PROJECT_SOURCE_DIR}/fuzz/targets.cmake)
set(TRYON_FUZZ_BUILD_DIR "${PROJECT_SOURCE_DIR}/build/fuzz" CACHE PATH
    "The clang/libFuzzer build whose targets the fuzz smoke tests run")
set(TRYON_FUZZ_SMOKE_SECONDS 3 CACHE STRING
    "Seconds each fuzz smoke test fuzzes after replaying its seeds")
foreach(name IN LISTS TRYON_FUZZ_TARGETS)
  add_test(NAME fuzz_smoke.${name}
    COMMAND ${PROJECT_SOURCE_DIR}/fuzz/run_smoke.sh
            ${TRYON_FUZZ_BUILD_DIR}/fuzz/${name}_fuzz
            ${PROJECT_SOURCE_DIR}/fuzz/corpus/${name}
            ${PROJECT_BINARY_DIR}/fuzz-smoke/${name}
            ${TRYON_FUZZ_SMOKE_SECONDS})
  set_tests_properties(fuzz_smoke.${name} PROPERTIES LABELS fuzz TIMEOUT 120)
endforeach()
