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
  int io_threads = 1;
  /// 0: scheduled actors run on the network threads (actors/io_scheduler),
  /// so a frame's trip network -> session actor -> network wakes no second
  /// thread; on 2 cores that cost 20 % less CPU per frame than one actor
  /// thread of its own (docs/PERFORMANCE.md). N > 0: CAF's own scheduler
  /// with N threads.
  int actor_threads = 0;
  int db_threads = 4;
  int ai_connections = 2;
  /// SO_SNDBUF of each phone's socket in bytes; 0 leaves the kernel's
  /// autotuning (up to tcp_wmem's 4 MB), which lets a slow phone pin MBs of
  /// kernel memory and watch seconds-old video (docs/PERFORMANCE.md).
  std::size_t client_send_buffer = 256 * 1024;
  std::chrono::milliseconds ai_grace_period{5000};
  std::chrono::milliseconds ai_frame_timeout{5000};
  std::chrono::seconds stats_interval{10};
  std::chrono::seconds expiry_sweep_interval{5};
  std::chrono::seconds shutdown_deadline{10};
  /// TTL of a node's lease on each of its live sessions in Redis (renewed
  /// every third of it). A session taken over by another node keeps
  /// streaming here for at most a third of it before its client gets 4009;
  /// a newer connection takes the lease whoever holds it, so a short TTL
  /// costs only renewal traffic.
  std::chrono::milliseconds session_lease_ttl{3000};
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
