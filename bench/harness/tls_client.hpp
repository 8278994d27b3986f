#pragma once

#include "net/tls_client.hpp"

#include <memory>
#include <string>

namespace tryon::bench {

/// The TLS client settings every https/wss connection of a run shares
/// (net/tls_client.hpp: one OpenSSL context, TLS 1.2+, peer verification
/// on). Opaque here so that Beast-free code can pass it along.
using net::tls_client_context;

struct bench_url;

/// The context for connections to `url`: nullptr for http/ws, else one
/// trusting `ca_file`; throws std::runtime_error when that cannot load.
std::shared_ptr<tls_client_context> tls_context_for(const bench_url& url,
                                                    const std::string& ca_file);

} // namespace tryon::bench
