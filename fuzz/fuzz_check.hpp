#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

// Helpers shared by the libFuzzer targets (fuzz/*_fuzz.cpp).

namespace tryon::fuzz {

/// The fuzzer's bytes as text (parsers take string_view).
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Splits `input` at the first NUL: several inputs from one buffer (the
/// rest is empty when there is no NUL).
inline std::pair<std::string_view, std::string_view>
split_at_nul(std::string_view input) {
  auto nul = input.find('\0');
  if (nul == std::string_view::npos)
    return {input, {}};
  return {input.substr(0, nul), input.substr(nul + 1)};
}

} // namespace tryon::fuzz

// A broken invariant is a crash libFuzzer records, like a sanitizer report.
#define TRYON_FUZZ_CHECK(cond)                                                 \
  do {                                                                         \
    if (!(cond)) {                                                             \
      std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__,     \
                   __LINE__, #cond);                                           \
      std::abort();                                                            \
    }                                                                          \
  } while (false)
