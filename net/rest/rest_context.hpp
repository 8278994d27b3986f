#pragma once

#include <functional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "config/server_config.hpp"
#include "net/http_types.hpp"
#include "net/rest/auth_cache.hpp"
#include "persistence/health_probe.hpp"
#include "persistence/live_session_limiter.hpp"
#include "persistence/media_store.hpp"
#include "persistence/post_store.hpp"
#include "persistence/rate_limiter.hpp"
#include "persistence/result_store.hpp"
#include "persistence/session_store.hpp"
#include "persistence/upload_store.hpp"
#include "persistence/user_store.hpp"

namespace tryon::metrics {
class node_metrics;
} // namespace tryon::metrics

namespace tryon::net::rest {

/// Everything the REST handlers use. Handlers block (database, disk), so
/// the transport runs them on its blocking pool, never on a network thread.
struct rest_context {
  const config::server_config& cfg;
  persistence::user_store& users;
  persistence::post_store& posts;
  persistence::upload_store& uploads;
  persistence::session_store& sessions;
  persistence::result_store& results;
  persistence::media_store& media;
  /// The browser client's files (resolved with the same path rules as
  /// media); null when no web root is configured.
  persistence::media_store* web_files = nullptr;
  /// Named dependencies /readyz checks.
  std::vector<std::pair<std::string, persistence::health_probe*>> probes;
  /// Live figures for /api/try-on/stats/ (set once the actors exist).
  std::function<nlohmann::json()> live_stats;
  /// Prometheus text for /metrics (set once the actors exist).
  std::function<std::string()> metrics_text;
  /// Per-user quotas (quotas.hpp); null: no limits.
  persistence::rate_limiter* limiter = nullptr;
  /// Live WebSocket sessions per user (ws_session); null: no limit.
  persistence::live_session_limiter* live_sessions = nullptr;
  /// Tokens recently found unknown (auth.cpp).
  std::shared_ptr<unknown_token_cache> unknown_tokens =
      std::make_shared<unknown_token_cache>();
  /// Where the transport counts HTTP requests (access log); may be null.
  metrics::node_metrics* metrics = nullptr;
};

/// The authenticated caller, or the 401 response to send.
using auth_outcome = std::variant<persistence::user, http_response>;

/// Checks `Authorization: Token <key>` / `Bearer <key>` (and, when
/// `allow_query` is set, `?token=`). A missing or malformed key, or one
/// found unknown in the last seconds, is refused without a database query.
auth_outcome authenticate(rest_context& ctx, const http_request& req,
                          bool allow_query = false);

/// Whether the caller is a loopback peer that came through no proxy (no
/// X-Forwarded-For / X-Real-IP / Forwarded header).
bool is_direct_loopback(const http_request& req);

/// 405 with an Allow header, in DRF's words.
http_response method_not_allowed(const http_request& req,
                                 std::string_view allow);

/// Handlers, one per endpoint family (each in its own .cpp).
http_response handle_session_create(rest_context& ctx, const http_request& req);
http_response handle_session_detail(rest_context& ctx, const http_request& req,
                                    const std::string& session_id);
http_response handle_results(rest_context& ctx, const http_request& req,
                             const std::string* result_id);
http_response handle_media(rest_context& ctx, const http_request& req,
                           std::string_view rel_path);
http_response handle_static(rest_context& ctx, const http_request& req);

/// JSON form of a session (GET /api/try-on/session/<uuid>/).
nlohmann::json session_json(const persistence::session_record& s);

/// JSON form of a result (the original TryOnResult serializer).
nlohmann::json result_json(rest_context& ctx,
                           const persistence::result_record& r);

} // namespace tryon::net::rest
