#pragma once

// For the transport units only: the Asio SSL context behind
// tls_client_context and what every client connection sets on its stream.

#include "net/tls_client.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

#include <string>

namespace tryon::net {

struct tls_client_context {
  boost::asio::ssl::context ssl{boost::asio::ssl::context::tls_client};
};

/// Before the handshake: the name (or IP literal) the peer's certificate
/// must match, sent as SNI when it is a name. False when OpenSSL refuses.
bool expect_peer(SSL* ssl, const std::string& host);

/// Why a client handshake failed: the certificate verdict when the peer's
/// certificate was refused ("certificate verify failed: unable to get
/// local issuer certificate"), else `ec`'s message.
std::string handshake_error(SSL* ssl, const boost::system::error_code& ec);

} // namespace tryon::net
