#pragma once

#include "ai_service/service_context.hpp"

#include <boost/asio/ip/tcp.hpp>

namespace tryon::ai {

/// Serves one accepted TCP connection: reads the HTTP upgrade (only
/// `/ws/tryon`; `GET /healthz` answers 200, `GET /metrics` the
/// Prometheus text, anything else 404), then speaks
/// the AI protocol through a frame_router. The connection keeps itself
/// alive through its pending operations and jobs (shared_from_this).
void start_connection(boost::asio::ip::tcp::socket socket,
                      service_context& ctx);

} // namespace tryon::ai
