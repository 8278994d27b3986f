#pragma once

#include <memory>
#include <string>

namespace tryon::bench {

/// The TLS client settings every https/wss connection of a run shares: one
/// OpenSSL context trusting only the given CA file (TLS 1.2+, peer
/// verification on). Opaque here so that Beast-free code can pass it along.
struct tls_client_context;

/// A context trusting the PEM CA certificate(s) in `ca_file`; nullptr with
/// `error` set when the file cannot be loaded.
std::shared_ptr<tls_client_context>
make_tls_client_context(const std::string& ca_file, std::string& error);

struct bench_url;

/// The context for connections to `url`: nullptr for http/ws, else one
/// trusting `ca_file`; throws std::runtime_error when that cannot load.
std::shared_ptr<tls_client_context> tls_context_for(const bench_url& url,
                                                    const std::string& ca_file);

} // namespace tryon::bench
