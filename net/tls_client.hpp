#pragma once

// TLS client settings shared by the https/wss clients (http_get, the bench
// harness). Opaque here, so Beast-free code can create and pass them along;
// the transport units include net/tls_client_stream.hpp.

#include <memory>
#include <string>

namespace tryon::net {

/// One OpenSSL client context: TLS 1.2 or later, peer verification on.
struct tls_client_context;

/// A context trusting the PEM CA certificate(s) in `ca_file`, or the
/// system's CA store when `ca_file` is empty; nullptr with `error` set when
/// the CAs cannot be loaded.
std::shared_ptr<tls_client_context>
make_tls_client_context(const std::string& ca_file, std::string& error);

} // namespace tryon::net
