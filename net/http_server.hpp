#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "actors/ports.hpp"
#include "config/server_config.hpp"

namespace tryon::net {

namespace rest {
class rest_api;
} // namespace rest

class ws_endpoint;

/// The HTTP/WebSocket front door: accepts connections on the configured
/// address, serves REST through `api` (on a blocking pool, since handlers
/// touch the database) and hands WebSocket upgrades to `ws` (may be null).
/// Beast stays inside the implementation.
class http_server {
public:
  /// Binds nothing yet; see start().
  http_server(const config::server_config& cfg, rest::rest_api& api,
              ws_endpoint* ws);
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  /// Binds and listens, then runs the I/O threads; throws on bind failure.
  void start();

  /// The bound port (useful with port 0 in tests).
  std::uint16_t port() const;

  /// Stops accepting new connections; existing ones continue.
  void stop_accepting();

  /// Waits, up to `deadline`, until no WebSocket connection is left open,
  /// so that close frames already queued reach their clients before stop();
  /// returns how many were still open.
  std::size_t drain_websockets(std::chrono::milliseconds deadline);

  /// Stops everything and joins the threads.
  void stop();

  /// Runs `fn` on the blocking pool (database work for other layers).
  void post_blocking(std::function<void()> fn);

  /// The I/O context as an opaque pointer, for the WebSocket layer.
  void* io_context_handle();

  /// Runs jobs on the I/O threads (actors/io_scheduler.hpp). Jobs still
  /// queued when the server is destroyed are handed back, not run.
  actors::job_runner& io_job_runner();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace tryon::net
