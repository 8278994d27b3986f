// The URLs in the server's configuration (DATABASE_URL, REDIS_URL,
// TRYON_AI_SERVICE_URL, TRYON_PUBLIC_URL), the origin derived from them,
// and the percent-decoding of user info.
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
    TRYON_FUZZ_CHECK(
        origin->rfind(parts->scheme + "://" + url_host(*parts), 0) == 0);
    TRYON_FUZZ_CHECK(parts->port_given ||
                     parts->port == default_port(parts->scheme));
    // What a client rebuilds from the parts (Host header + request target)
    // names the same place again.
    // (An unknown scheme without a port has port 0: no ":0" then.)
    auto again = parse_url(
        parts->scheme + "://" +
        (parts->port != 0 ? host_and_port(*parts) : url_host(*parts)) +
        parts->target);
    TRYON_FUZZ_CHECK(again.has_value());
    TRYON_FUZZ_CHECK(again->host == parts->host && again->port == parts->port &&
                     again->target == parts->target);
  }
  (void)percent_decode(text);
  return 0;
}
