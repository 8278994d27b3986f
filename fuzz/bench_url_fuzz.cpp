// The bench harness's --url (and the URLs it derives from it).
#include "bench/harness/bench_url.hpp"
#include "fuzz/fuzz_check.hpp"

using namespace tryon::bench;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto text = tryon::fuzz::as_text(data, size);
  (void)is_loopback_host(text);
  auto url = parse_bench_url(text);
  if (!url)
    return 0;
  TRYON_FUZZ_CHECK(url->scheme == "http" || url->scheme == "ws" ||
                   url->scheme == "https" || url->scheme == "wss");
  TRYON_FUZZ_CHECK(url->tls ==
                   (url->scheme == "https" || url->scheme == "wss"));
  TRYON_FUZZ_CHECK(!url->host.empty());
  TRYON_FUZZ_CHECK(url->port != 0);
  (void)is_loopback_host(url->host);
  (void)connect_address(*url);
  (void)host_header(*url);
  auto joined = join_target(*url, "/api/sessions");
  TRYON_FUZZ_CHECK(joined.size() >= 13);
  return 0;
}
