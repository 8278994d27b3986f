#pragma once

#include "ai_service/pipeline_error.hpp"
#include "ai_service/reference_url.hpp"
#include "ai_service/service_options.hpp"

#include <functional>
#include <memory>
#include <string>

namespace tryon::ai {

class worker_pool;
class session_registry;
class ai_metrics;
class capacity_board;

/// Downloads an http:// or https:// reference; calls back exactly once, on
/// any thread.
using http_fetcher = std::function<void(
    const reference_url&, std::function<void(pipeline_result<std::string>)>)>;

/// What every connection shares: settings, the worker pool, the open
/// sessions and the way to download references. Outlives all connections.
struct service_context {
  service_options options;
  worker_pool& pool;
  session_registry& sessions;
  http_fetcher fetch_http;
  /// Counts frames and errors for GET /metrics; may be null (tests).
  /// Shared: connections that outlive the context (destroyed with the
  /// io_context) still count themselves out.
  std::shared_ptr<ai_metrics> metrics;
  /// Tells connections their share of the frames taken at once (AI
  /// credits); may be null (tests): nothing is said. Shared like metrics.
  std::shared_ptr<capacity_board> capacity;
};

/// The connection side a frame_router talks to (implemented by the
/// WebSocket connection; by a fake in tests).
class connection_port {
public:
  virtual ~connection_port() = default;

  /// Runs `fn` on the connection's strand; callable from any thread. The
  /// caller keeps the port alive (holds a shared_ptr) until `fn` has run.
  virtual void dispatch(std::function<void()> fn) = 0;

  /// Queues a message for the peer (strand only).
  virtual void send(std::string message, bool binary) = 0;

  /// A job finished: capacity may be free again (strand only).
  virtual void job_done() = 0;
};

} // namespace tryon::ai
