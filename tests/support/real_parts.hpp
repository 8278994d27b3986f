#pragma once
// Tests that need a real part (PostgreSQL, Redis, a built binary, Chromium,
// a tool on PATH) state it with TRYON_REQUIRE_REAL_PART. When the part is
// missing the test FAILS, naming it: under scripts/test (and so CI) nothing
// passes without running. Skipping is an explicit local opt-out,
// TRYON_TEST_ALLOW_SKIP=1; skipped tests then exit with the skip code that
// ctest counts as "Skipped" (tests/support/test_main.cpp), and scripts/test
// lists them and does not report PASSED.

#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

namespace tryon::testing {

/// Whether a missing real part may skip a test instead of failing it.
inline bool skipping_allowed() {
  const char* v = std::getenv("TRYON_TEST_ALLOW_SKIP");
  return v && std::string{v} == "1";
}

/// The message for a missing part.
inline std::string missing_part_message(const std::string& what) {
  return "missing real part: " + what;
}

} // namespace tryon::testing

/// In a test body, SetUp or a void helper: fails (or, opted out, skips) the
/// test when `available` is false; `what` names the missing part and how to
/// get it.
#define TRYON_REQUIRE_REAL_PART(available, what)                               \
  do {                                                                         \
    if (!(available)) {                                                        \
      if (::tryon::testing::skipping_allowed())                                \
        GTEST_SKIP() << ::tryon::testing::missing_part_message(what);          \
      else                                                                     \
        GTEST_FAIL()                                                           \
            << ::tryon::testing::missing_part_message(what)                    \
            << " (scripts/test must bring it up; TRYON_TEST_ALLOW_SKIP=1 "     \
               "skips locally)";                                               \
    }                                                                          \
  } while (0)
