#include "bench/harness/tls_client.hpp"

#include "bench/harness/bench_url.hpp"

#include <stdexcept>

namespace tryon::bench {

std::shared_ptr<tls_client_context>
tls_context_for(const bench_url& url, const std::string& ca_file) {
  if (!url.tls)
    return nullptr;
  std::string error;
  // bench_options requires a CA file for https/wss: never the system store.
  auto ctx = net::make_tls_client_context(ca_file, error);
  if (!ctx)
    throw std::runtime_error(url.scheme + "://" + url.host + ": " + error);
  return ctx;
}

} // namespace tryon::bench
