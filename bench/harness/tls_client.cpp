#include "bench/harness/tls_client_impl.hpp"

#include "bench/harness/bench_url.hpp"

#include <stdexcept>

namespace tryon::bench {

std::shared_ptr<tls_client_context>
make_tls_client_context(const std::string& ca_file, std::string& error) {
  namespace ssl = boost::asio::ssl;
  auto out = std::make_shared<tls_client_context>();
  boost::system::error_code ec;
  out->ssl.set_options(ssl::context::default_workarounds |
                           ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                           ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                       ec);
  if (!ec)
    out->ssl.load_verify_file(ca_file, ec);
  if (!ec)
    out->ssl.set_verify_mode(ssl::verify_peer, ec);
  if (ec) {
    error = "CA file '" + ca_file + "': " + ec.message();
    return nullptr;
  }
  return out;
}

std::shared_ptr<tls_client_context>
tls_context_for(const bench_url& url, const std::string& ca_file) {
  if (!url.tls)
    return nullptr;
  std::string error;
  auto ctx = make_tls_client_context(ca_file, error);
  if (!ctx)
    throw std::runtime_error(url.scheme + "://" + url.host + ": " + error);
  return ctx;
}

} // namespace tryon::bench
