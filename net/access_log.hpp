#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tryon::metrics {
class node_metrics;
} // namespace tryon::metrics

namespace tryon::net {

/// One answered HTTP request, as the access log and the metrics see it.
/// Beast-free, so the transport calls it from one place per connection kind.
struct http_access {
  std::string method = "-";
  std::string path = "-"; ///< without the query string (tokens live there)
  std::string request_id;
  unsigned status = 0;
  std::uint64_t bytes = 0; ///< response bytes written, headers included
  double seconds = 0;      ///< request header read -> response written
  std::optional<std::int64_t> user_id;
};

/// One client WebSocket from upgrade to its end.
struct ws_access {
  std::string session_id;
  std::string request_id;
  std::optional<std::int64_t> user_id;
  std::uint16_t close_code = 0;       ///< sent or received; 1006: lost
  std::string closed_by;              ///< "server", "client" or "network"
  std::uint64_t frames_in = 0;        ///< binary messages received
  std::uint64_t frames_processed = 0; ///< processed frames written back
  std::uint64_t frames_shed = 0;      ///< shed by the transport (behind)
  double seconds = 0;
};

/// The route a path belongs to: a fixed name ("/api/try-on/session/{id}/",
/// "/media/", "static", "other", ...) so that metrics never get a label
/// per URL.
std::string route_of(std::string_view path);

/// `path` without its query string, cut to 256 bytes.
std::string loggable_path(std::string_view target);

/// Writes the access line (info; warn for 5xx) and counts the request.
void log_http_access(const http_access& a, const std::string& node_id,
                     metrics::node_metrics* metrics);

/// Writes the connection-end line and counts the close code.
void log_ws_end(const ws_access& a, const std::string& node_id,
                metrics::node_metrics* metrics);

} // namespace tryon::net
