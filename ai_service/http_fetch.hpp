#pragma once

#include "ai_service/pipeline_error.hpp"
#include "ai_service/reference_url.hpp"
#include "net/http_get.hpp"

namespace tryon::ai {

/// Downloads an http:// or https:// reference with one GET on `ioc`
/// (net/http_get.hpp; https peers verified with `tls`): resolve, connect,
/// TLS handshake, request and answer must all finish within `timeout`;
/// only a 200 with a body of at most `max_bytes` succeeds, redirects are
/// not followed. `done` runs once, on an `ioc` thread.
void fetch_http(boost::asio::io_context& ioc,
                std::shared_ptr<net::tls_client_context> tls,
                const reference_url& url, std::chrono::milliseconds timeout,
                std::size_t max_bytes,
                std::function<void(pipeline_result<std::string>)> done);

} // namespace tryon::ai
