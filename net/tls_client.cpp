#include "net/tls_client.hpp"

#include "net/tls_client_stream.hpp"

#include <boost/asio/ip/address.hpp>

#include <openssl/x509v3.h>

namespace tryon::net {

std::shared_ptr<tls_client_context>
make_tls_client_context(const std::string& ca_file, std::string& error) {
  namespace ssl = boost::asio::ssl;
  auto out = std::make_shared<tls_client_context>();
  boost::system::error_code ec;
  out->ssl.set_options(ssl::context::default_workarounds |
                           ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                           ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                       ec);
  if (!ec) {
    if (ca_file.empty())
      out->ssl.set_default_verify_paths(ec);
    else
      out->ssl.load_verify_file(ca_file, ec);
  }
  if (!ec)
    out->ssl.set_verify_mode(ssl::verify_peer, ec);
  if (ec) {
    error = (ca_file.empty() ? std::string{"system CA store"}
                             : "CA file '" + ca_file + "'") +
            ": " + ec.message();
    return nullptr;
  }
  return out;
}

bool expect_peer(SSL* ssl, const std::string& host) {
  boost::system::error_code not_ip;
  boost::asio::ip::make_address(host, not_ip);
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  if (!not_ip) // IP literals are checked against the IP SANs, without SNI
    return X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) == 1;
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  return SSL_set_tlsext_host_name(ssl, host.c_str()) == 1 &&
         SSL_set1_host(ssl, host.c_str()) == 1;
}

std::string handshake_error(SSL* ssl, const boost::system::error_code& ec) {
  const long verdict = SSL_get_verify_result(ssl);
  if (verdict != X509_V_OK)
    return std::string{"certificate verify failed: "} +
           X509_verify_cert_error_string(verdict);
  return ec.message();
}

} // namespace tryon::net
