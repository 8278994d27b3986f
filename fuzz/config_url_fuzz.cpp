// The URLs in the server's configuration (DATABASE_URL, REDIS_URL,
// TRYON_AI_SERVICE_URL, TRYON_PUBLIC_URL) and the origin derived from them.
#include "config/url.hpp"
#include "fuzz/fuzz_check.hpp"

using namespace tryon::config;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto text = tryon::fuzz::as_text(data, size);
  auto parts = parse_url(text);
  auto origin = origin_of(text);
  TRYON_FUZZ_CHECK(parts.has_value() == origin.has_value());
  if (parts) {
    TRYON_FUZZ_CHECK(!parts->scheme.empty());
    TRYON_FUZZ_CHECK(!parts->host.empty());
    TRYON_FUZZ_CHECK(!parts->target.empty() && parts->target.front() == '/');
    TRYON_FUZZ_CHECK(origin->rfind(parts->scheme + "://" + parts->host, 0) ==
                     0);
  }
  return 0;
}
