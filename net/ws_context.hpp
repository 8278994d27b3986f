#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>

#include "actors/ports.hpp"
#include "metrics/node_metrics.hpp"
#include "net/rest/rest_context.hpp"

namespace tryon::net {

class ws_endpoint;

/// What every client WebSocket session uses.
struct ws_context {
  rest::rest_context& rest;
  actors::session_gateway& gateway;
  /// Runs blocking work (database lookups) off the network threads.
  std::function<void(std::function<void()>)> post_blocking;
  /// Node counters (peers, refusals); may be null.
  metrics::node_metrics* metrics = nullptr;
  /// Client WebSocket sessions alive (their sockets still open), shared by
  /// every copy: shutdown waits for it to reach zero so that queued close
  /// frames go out before the I/O threads stop.
  std::shared_ptr<std::atomic<std::size_t>> live_sessions =
      std::make_shared<std::atomic<std::size_t>>(0);
};

/// The endpoint for /ws/try-on/<uuid>/ (Beast stays out of this header).
std::shared_ptr<ws_endpoint> make_ws_endpoint(ws_context ctx);

} // namespace tryon::net
