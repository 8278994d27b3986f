// REDIS_URL: redis://[[user]:password@]host[:port][/db].
#include "fuzz/fuzz_check.hpp"
#include "persistence/redis_url.hpp"

using namespace tryon::persistence;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto url = parse_redis_url(tryon::fuzz::as_text(data, size));
  if (url) {
    TRYON_FUZZ_CHECK(!url->host.empty());
    TRYON_FUZZ_CHECK(url->port > 0 && url->port <= 65535);
    TRYON_FUZZ_CHECK(url->db >= 0);
  }
  return 0;
}
