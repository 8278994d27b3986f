#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tryon::config {

/// Every setting of the server (PROTOCOL.md section 5), with the defaults
/// used when neither the environment nor a flag sets it.
struct server_config {
  std::string database_url = "postgresql://tryon@127.0.0.1:55432/tryon";
  std::string redis_url = "redis://127.0.0.1:56379";
  std::string ai_service_url = "ws://localhost:8002/ws/tryon";
  std::chrono::seconds session_timeout{1800};
  std::size_t max_frame_size = 10485760;
  std::size_t max_upload_size = 10485760;
  std::string media_root = "var/media";
  std::string public_url = "http://127.0.0.1:8000";
  /// Where the AI service reaches the media this server stores: a URL
  /// `<public_url>/media/<path>` is handed to it as
  /// `<internal_media_url>/<path>` (http://, https:// or file:///dir when
  /// they share a disk). Empty: the public URL as it is.
  std::string internal_media_url;
  /// Allowed WebSocket/CORS origins; empty means "the public URL's origin
  /// and loopback origins on our port"; "*" allows any.
  std::vector<std::string> allowed_origins;
  std::string listen_address = "127.0.0.1";
  std::uint16_t port = 8000;
  /// A second listener for the operator's probes only (/healthz, /readyz,
  /// /metrics; everything else 404): its own accept queue, outside the
  /// connection caps, so a flood of the public port cannot starve a load
  /// balancer's health check. 0: none.
  std::uint16_t admin_port = 0;
  std::string admin_address = "127.0.0.1";
  int io_threads = 1;
  /// 0: scheduled actors run on the network threads (actors/io_scheduler),
  /// so a frame's trip network -> session actor -> network wakes no second
  /// thread; on 2 cores that cost 20 % less CPU per frame than one actor
  /// thread of its own (docs/PERFORMANCE.md). N > 0: CAF's own scheduler
  /// with N threads.
  int actor_threads = 0;
  int db_threads = 4;
  /// libpq connect_timeout of each database connection: a PostgreSQL that
  /// does not answer fails the request after this instead of hanging.
  std::chrono::seconds db_connect_timeout{5};
  /// PostgreSQL statement_timeout of each pooled connection (0: none).
  std::chrono::milliseconds db_statement_timeout{10000};
  int ai_connections = 2;
  /// Honour the AI service's capacity messages (AI credits,
  /// docs/protocol.md section 4); false: one frame in flight per session.
  bool ai_credits = true;
  /// SO_SNDBUF of each phone's socket in bytes; 0 leaves the kernel's
  /// autotuning (up to tcp_wmem's 4 MB), which lets a slow phone pin MBs of
  /// kernel memory and watch seconds-old video (docs/PERFORMANCE.md).
  std::size_t client_send_buffer = 256 * 1024;
  /// A phone WebSocket that sends nothing (not even a pong to the server's
  /// keep-alive ping, sent at half of it) for this long is closed: a phone
  /// that vanished without a FIN (half-open) ends its session by then.
  std::chrono::milliseconds ws_idle_timeout{60000};
  std::chrono::milliseconds ai_grace_period{5000};
  std::chrono::milliseconds ai_frame_timeout{5000};
  /// How long the AI service may take to answer init_session before the
  /// phone gets INIT_FAILED (recoverable) and the AI a close_session.
  std::chrono::milliseconds ai_init_timeout{5000};
  /// AI channels ping every half of this; a channel that reads nothing (no
  /// pong) in the half after a ping is closed and reconnected.
  std::chrono::milliseconds ai_ping_timeout{20000};
  std::chrono::seconds stats_interval{10};
  std::chrono::seconds expiry_sweep_interval{5};
  std::chrono::seconds shutdown_deadline{10};
  /// TTL of a node's lease on each of its live sessions in Redis (renewed
  /// every third of it). A session taken over by another node keeps
  /// streaming here for at most a third of it before its client gets 4009;
  /// a newer connection takes the lease whoever holds it, so a short TTL
  /// costs only renewal traffic.
  std::chrono::milliseconds session_lease_ttl{3000};
  /// Open connections per node; 0: the descriptor limit (raised to its
  /// hard limit at start) minus a reserve for PostgreSQL, Redis, the AI
  /// link and files (net/admission.hpp).
  std::size_t max_connections = 0;
  /// Open connections per client address (behind a trusted proxy, the
  /// address X-Forwarded-For names).
  std::size_t max_connections_per_address = 512;
  /// Peers (addresses or CIDR ranges) whose X-Forwarded-For is believed.
  std::vector<std::string> trusted_proxies;
  /// How long a request's header may take to arrive (also the keep-alive
  /// idle time and the longest stall of a body).
  std::chrono::milliseconds header_timeout{10000};
  /// Slowest request body accepted after the first header_timeout, bytes/s.
  std::size_t upload_min_rate = 8192;
  /// How long an upgraded WebSocket may stay without init_session.
  std::chrono::milliseconds ws_init_timeout{10000};
  /// Longest time any one write to a client may stay blocked.
  std::chrono::milliseconds write_timeout{15000};
  /// Largest client text message (JSON) in bytes, apart from frames.
  std::size_t max_text_message_size = 65536;
  /// Bytes of text answers queued for one client that does not read.
  std::size_t max_queued_text_bytes = 256 * 1024;
  /// Per-user quotas (docs/SECURITY.md "Quotas and rate limits"): token
  /// buckets shared by the nodes through Redis. A rate of 0 lifts that
  /// limit; bursts are the bucket sizes.
  int sessions_per_minute = 30;
  int sessions_burst = 60;
  int uploads_per_minute = 30;
  int uploads_burst = 60;
  int upload_mb_per_minute = 200;
  int upload_mb_burst = 500;
  /// Captures of one live session (a bucket in its actor).
  int captures_per_minute = 60;
  int captures_burst = 5;
  /// Live WebSocket sessions one user may have open at once (0: no limit).
  int max_live_sessions_per_user = 10;
  /// The node's capture queue, and the share of it one user may fill.
  int capture_queue = 32;
  int capture_queue_per_user = 4;
  /// GET /api/try-on/results/: the page size without ?limit=, and the most.
  int results_page_default = 100;
  int results_page_max = 500;
  /// /metrics and /readyz only for loopback peers or staff tokens.
  bool restrict_ops = false;
  std::string web_root = "web";
  std::string node_id;
  std::string log_level = "info";
  /// "text" (one human-readable line per event, key=value fields) or
  /// "json" (one JSON object per line).
  std::string log_format = "text";

  /// True when `origin` may open a WebSocket (an absent Origin is allowed
  /// by the caller: native clients send none).
  bool origin_allowed(const std::string& origin) const;

  /// The URL the AI service is given for a nail reference `url` (see
  /// internal_media_url); URLs outside our media pass through unchanged.
  std::string reference_for_ai(const std::string& url) const;
};

/// Reads an environment variable; injectable for tests.
using env_lookup = std::function<std::optional<std::string>(const char*)>;

/// The process environment.
env_lookup process_env();

/// Outcome of parsing: a config, or a one-line error and an exit code
/// (0 for --help, 2 for a bad value).
struct parse_outcome {
  std::optional<server_config> config;
  std::string message;
  int exit_code = 0;
};

/// "tryon-server <version> (commit <hash>)", what --version prints.
std::string version_text();

/// Builds the config from defaults, then the environment, then flags
/// (flags win), and validates it.
parse_outcome parse_server_config(int argc, const char* const* argv,
                                  const env_lookup& env);

} // namespace tryon::config
