#pragma once

// For the transport units only (ws_link.cpp, http_client.cpp, tls_client.cpp):
// the Asio SSL context behind tls_client_context.

#include "bench/harness/tls_client.hpp"

#include <boost/asio/ssl/context.hpp>

namespace tryon::bench {

struct tls_client_context {
  boost::asio::ssl::context ssl{boost::asio::ssl::context::tls_client};
};

} // namespace tryon::bench
