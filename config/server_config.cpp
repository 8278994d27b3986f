#include "config/server_config.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <unistd.h>

#include <CLI/CLI.hpp>

#include "config/address_range.hpp"
#include "config/url.hpp"
#include "config/web_root.hpp"
#include "tryon_version.hpp"

namespace tryon::config {

std::string version_text() {
  return std::string{"tryon-server "} + tryon::version + " (commit " +
         tryon::commit + ")";
}

namespace {

// Raw numeric settings, parsed as integers first so that one validation
// routine serves both the environment and the flags.
struct numbers {
  std::int64_t session_timeout_s, max_frame, max_upload, port, io_threads,
      actor_threads, db_threads, ai_connections, ai_grace_ms, ai_timeout_ms,
      stats_interval_s, sweep_interval_s, shutdown_deadline_s, client_sndbuf,
      lease_ttl_ms, db_connect_timeout_s, db_statement_timeout_ms,
      ws_idle_timeout_ms, max_connections, max_per_address, header_timeout_ms,
      upload_min_rate, ws_init_timeout_ms, write_timeout_ms, max_text,
      max_queued_text, ai_init_timeout_ms, ai_ping_timeout_ms, sessions_per_min,
      sessions_burst, uploads_per_min, uploads_burst, upload_mb_per_min,
      upload_mb_burst, captures_per_min, captures_burst, live_per_user,
      capture_queue, capture_queue_per_user, results_default, results_max,
      restrict_ops, admin_port, ai_credits;
};

numbers numbers_of(const server_config& c) {
  return {c.session_timeout.count(),
          static_cast<std::int64_t>(c.max_frame_size),
          static_cast<std::int64_t>(c.max_upload_size),
          c.port,
          c.io_threads,
          c.actor_threads,
          c.db_threads,
          c.ai_connections,
          c.ai_grace_period.count(),
          c.ai_frame_timeout.count(),
          c.stats_interval.count(),
          c.expiry_sweep_interval.count(),
          c.shutdown_deadline.count(),
          static_cast<std::int64_t>(c.client_send_buffer),
          c.session_lease_ttl.count(),
          c.db_connect_timeout.count(),
          c.db_statement_timeout.count(),
          c.ws_idle_timeout.count(),
          static_cast<std::int64_t>(c.max_connections),
          static_cast<std::int64_t>(c.max_connections_per_address),
          c.header_timeout.count(),
          static_cast<std::int64_t>(c.upload_min_rate),
          c.ws_init_timeout.count(),
          c.write_timeout.count(),
          static_cast<std::int64_t>(c.max_text_message_size),
          static_cast<std::int64_t>(c.max_queued_text_bytes),
          c.ai_init_timeout.count(),
          c.ai_ping_timeout.count(),
          c.sessions_per_minute,
          c.sessions_burst,
          c.uploads_per_minute,
          c.uploads_burst,
          c.upload_mb_per_minute,
          c.upload_mb_burst,
          c.captures_per_minute,
          c.captures_burst,
          c.max_live_sessions_per_user,
          c.capture_queue,
          c.capture_queue_per_user,
          c.results_page_default,
          c.results_page_max,
          c.restrict_ops ? 1 : 0,
          c.admin_port,
          c.ai_credits ? 1 : 0};
}

struct numeric_setting {
  const char* env;
  const char* flag;
  std::int64_t numbers::*field;
  std::int64_t min;
  std::int64_t max;
  const char* help;
};

const numeric_setting numeric_settings[] = {
    {"TRYON_SESSION_TIMEOUT", "--session-timeout", &numbers::session_timeout_s,
     1, 86400 * 30, "session lifetime in seconds"},
    {"TRYON_MAX_FRAME_SIZE", "--max-frame-size", &numbers::max_frame, 2048,
     256 << 20, "largest WebSocket frame in bytes"},
    {"TRYON_MAX_UPLOAD_SIZE", "--max-upload-size", &numbers::max_upload, 1024,
     1LL << 30, "largest upload in bytes"},
    {"TRYON_PORT", "--port", &numbers::port, 0, 65535, "listen port"},
    {"TRYON_ADMIN_PORT", "--admin-port", &numbers::admin_port, 0, 65535,
     "port of the probes-only listener (/healthz, /readyz, /metrics); 0: "
     "none"},
    {"TRYON_IO_THREADS", "--io-threads", &numbers::io_threads, 1, 64,
     "network threads"},
    {"TRYON_ACTOR_THREADS", "--actor-threads", &numbers::actor_threads, 0, 64,
     "actor scheduler threads; 0: run actors on the network threads"},
    {"TRYON_DB_THREADS", "--db-threads", &numbers::db_threads, 1, 64,
     "database worker threads (and pool connections)"},
    {"TRYON_AI_CONNECTIONS", "--ai-connections", &numbers::ai_connections, 1,
     64, "WebSocket connections to the AI service"},
    {"TRYON_AI_CREDITS", "--ai-credits", &numbers::ai_credits, 0, 1,
     "1: at most as many frames in flight per AI connection as the AI "
     "service's capacity message says; 0: one per session"},
    {"TRYON_AI_GRACE_MS", "--ai-grace-ms", &numbers::ai_grace_ms, 0, 600000,
     "how long the AI service may be away before sessions are told"},
    {"TRYON_AI_FRAME_TIMEOUT_MS", "--ai-frame-timeout-ms",
     &numbers::ai_timeout_ms, 10, 600000, "per-frame AI timeout"},
    {"TRYON_AI_INIT_TIMEOUT_MS", "--ai-init-timeout-ms",
     &numbers::ai_init_timeout_ms, 100, 600000,
     "how long the AI may take to answer init_session (then INIT_FAILED)"},
    {"TRYON_AI_PING_TIMEOUT_MS", "--ai-ping-timeout-ms",
     &numbers::ai_ping_timeout_ms, 200, 600000,
     "AI channels ping every half of this; silent that long: reconnected"},
    {"TRYON_STATS_INTERVAL", "--stats-interval", &numbers::stats_interval_s, 1,
     3600, "seconds between periodic stats writes"},
    {"TRYON_EXPIRY_SWEEP_INTERVAL", "--expiry-sweep-interval",
     &numbers::sweep_interval_s, 1, 3600, "seconds between expiry sweeps"},
    {"TRYON_SHUTDOWN_DEADLINE", "--shutdown-deadline",
     &numbers::shutdown_deadline_s, 1, 600, "graceful shutdown limit, seconds"},
    {"TRYON_CLIENT_SEND_BUFFER", "--client-send-buffer",
     &numbers::client_sndbuf, 0, 64 << 20,
     "SO_SNDBUF of phone sockets in bytes (0: kernel autotuning)"},
    {"TRYON_SESSION_LEASE_TTL_MS", "--session-lease-ttl-ms",
     &numbers::lease_ttl_ms, 300, 600000,
     "TTL of this node's Redis lease on each live session"},
    {"TRYON_DB_CONNECT_TIMEOUT", "--db-connect-timeout",
     &numbers::db_connect_timeout_s, 1, 600,
     "seconds a database connection attempt may take"},
    {"TRYON_DB_STATEMENT_TIMEOUT_MS", "--db-statement-timeout-ms",
     &numbers::db_statement_timeout_ms, 0, 3600000,
     "PostgreSQL statement_timeout of every connection (0: none)"},
    {"TRYON_WS_IDLE_TIMEOUT_MS", "--ws-idle-timeout-ms",
     &numbers::ws_idle_timeout_ms, 1000, 3600000,
     "close a phone WebSocket silent this long (keep-alive ping at half)"},
    {"TRYON_MAX_CONNECTIONS", "--max-connections", &numbers::max_connections, 0,
     10000000,
     "open connections per node (0: descriptor limit minus a reserve)"},
    {"TRYON_MAX_CONNECTIONS_PER_ADDRESS", "--max-connections-per-address",
     &numbers::max_per_address, 1, 10000000,
     "open connections per client address"},
    {"TRYON_HEADER_TIMEOUT_MS", "--header-timeout-ms",
     &numbers::header_timeout_ms, 100, 600000,
     "time allowed for a request header (and keep-alive idle), ms"},
    {"TRYON_UPLOAD_MIN_RATE", "--upload-min-rate", &numbers::upload_min_rate, 1,
     1LL << 30, "slowest request body accepted, bytes/s"},
    {"TRYON_WS_INIT_TIMEOUT_MS", "--ws-init-timeout-ms",
     &numbers::ws_init_timeout_ms, 100, 600000,
     "time allowed between WebSocket upgrade and init_session, ms"},
    {"TRYON_WRITE_TIMEOUT_MS", "--write-timeout-ms", &numbers::write_timeout_ms,
     100, 600000, "longest a write to a client may stay blocked, ms"},
    {"TRYON_MAX_TEXT_MESSAGE_SIZE", "--max-text-message-size",
     &numbers::max_text, 128, 256 << 20,
     "largest client WebSocket text message in bytes"},
    {"TRYON_MAX_QUEUED_TEXT_BYTES", "--max-queued-text-bytes",
     &numbers::max_queued_text, 4096, 1LL << 30,
     "text bytes queued for a client that does not read"},
    {"TRYON_SESSIONS_PER_MINUTE", "--sessions-per-minute",
     &numbers::sessions_per_min, 0, 1000000,
     "session creations per user per minute (0: no limit)"},
    {"TRYON_SESSIONS_BURST", "--sessions-burst", &numbers::sessions_burst, 1,
     1000000, "session creations one user may make in a burst"},
    {"TRYON_UPLOADS_PER_MINUTE", "--uploads-per-minute",
     &numbers::uploads_per_min, 0, 1000000,
     "uploads per user per minute (0: no limit)"},
    {"TRYON_UPLOADS_BURST", "--uploads-burst", &numbers::uploads_burst, 1,
     1000000, "uploads one user may make in a burst"},
    {"TRYON_UPLOAD_MB_PER_MINUTE", "--upload-mb-per-minute",
     &numbers::upload_mb_per_min, 0, 1000000,
     "uploaded megabytes per user per minute (0: no limit)"},
    {"TRYON_UPLOAD_MB_BURST", "--upload-mb-burst", &numbers::upload_mb_burst, 1,
     1000000,
     "uploaded megabytes one user may send in a burst (>= the upload size)"},
    {"TRYON_CAPTURES_PER_MINUTE", "--captures-per-minute",
     &numbers::captures_per_min, 0, 1000000,
     "captures per live session per minute (0: no limit)"},
    {"TRYON_CAPTURES_BURST", "--captures-burst", &numbers::captures_burst, 1,
     1000000, "captures one session may ask in a burst"},
    {"TRYON_MAX_LIVE_SESSIONS_PER_USER", "--max-live-sessions-per-user",
     &numbers::live_per_user, 0, 1000000,
     "live WebSocket sessions one user may hold at once (0: no limit)"},
    {"TRYON_CAPTURE_QUEUE", "--capture-queue", &numbers::capture_queue, 1,
     100000, "captures this node queues before answering busy"},
    {"TRYON_CAPTURE_QUEUE_PER_USER", "--capture-queue-per-user",
     &numbers::capture_queue_per_user, 1, 100000,
     "queued captures one user may hold (<= the capture queue)"},
    {"TRYON_RESULTS_PAGE_DEFAULT", "--results-page-default",
     &numbers::results_default, 1, 100000, "results listed without ?limit="},
    {"TRYON_RESULTS_PAGE_MAX", "--results-page-max", &numbers::results_max, 1,
     100000, "largest ?limit= of the results list"},
    {"TRYON_RESTRICT_OPS", "--restrict-ops", &numbers::restrict_ops, 0, 1,
     "1: /metrics and /readyz only for loopback peers or staff tokens"},
};

struct text_setting {
  const char* env;
  const char* flag;
  std::string server_config::*field;
  const char* help;
};

const text_setting text_settings[] = {
    {"DATABASE_URL", "--database-url", &server_config::database_url,
     "PostgreSQL URL"},
    {"REDIS_URL", "--redis-url", &server_config::redis_url, "Redis URL"},
    {"TRYON_AI_SERVICE_URL", "--ai-service-url", &server_config::ai_service_url,
     "AI service WebSocket URL"},
    {"TRYON_MEDIA_ROOT", "--media-root", &server_config::media_root,
     "directory for uploads and results"},
    {"TRYON_PUBLIC_URL", "--public-url", &server_config::public_url,
     "base URL clients reach this server at"},
    {"TRYON_INTERNAL_MEDIA_URL", "--internal-media-url",
     &server_config::internal_media_url,
     "base URL (http, https, or file:///dir) the AI service fetches our "
     "/media/ from; empty: the public URL"},
    {"TRYON_LISTEN_ADDRESS", "--listen", &server_config::listen_address,
     "listen address"},
    {"TRYON_ADMIN_ADDRESS", "--admin-listen", &server_config::admin_address,
     "listen address of the probes-only listener (TRYON_ADMIN_PORT)"},
    {"TRYON_WEB_ROOT", "--web-root", &server_config::web_root,
     "directory of the browser client (default: ../share/tryon-server/web "
     "next to the executable if present, else ./web)"},
    {"TRYON_NODE_ID", "--node-id", &server_config::node_id,
     "this node's name in Redis (default host-pid)"},
    {"TRYON_LOG_LEVEL", "--log-level", &server_config::log_level,
     "trace|debug|info|warn|error"},
    {"TRYON_LOG_FORMAT", "--log-format", &server_config::log_format,
     "text|json"},
};

std::optional<std::int64_t> to_int(const std::string& text) {
  if (text.empty())
    return std::nullopt;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0')
    return std::nullopt;
  return v;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string item;
  for (char ch : text + ",") {
    if (ch == ',' || ch == ' ') {
      if (!item.empty())
        out.push_back(item);
      item.clear();
    } else {
      item += ch;
    }
  }
  return out;
}

std::string validate(const server_config& c) {
  auto need_url =
      [](const std::string& name, const std::string& v,
         std::initializer_list<const char*> schemes) -> std::string {
    auto parts = parse_url(v);
    bool ok = parts.has_value();
    if (ok) {
      ok = false;
      for (auto* s : schemes)
        ok = ok || parts->scheme == s;
    }
    // Never the password: errors end up in terminals and logs.
    return ok ? std::string{}
              : name + ": not a valid URL: '" + redact_url(v) + "'";
  };
  for (auto msg :
       {need_url("DATABASE_URL", c.database_url, {"postgresql", "postgres"}),
        need_url("REDIS_URL", c.redis_url, {"redis"}),
        need_url("TRYON_AI_SERVICE_URL", c.ai_service_url, {"ws"}),
        need_url("TRYON_PUBLIC_URL", c.public_url, {"http", "https"})})
    if (!msg.empty())
      return msg;
  for (const auto& p : c.trusted_proxies)
    if (!parse_address_range(p))
      return "TRYON_TRUSTED_PROXIES: not an address or CIDR range: '" + p + "'";
  if (c.media_root.empty())
    return "TRYON_MEDIA_ROOT: must not be empty";
  if (static_cast<std::int64_t>(c.upload_mb_burst) * 1024 * 1024 <
      static_cast<std::int64_t>(c.max_upload_size))
    return "TRYON_UPLOAD_MB_BURST: must hold one upload of "
           "TRYON_MAX_UPLOAD_SIZE bytes";
  if (c.capture_queue_per_user > c.capture_queue)
    return "TRYON_CAPTURE_QUEUE_PER_USER: must not exceed TRYON_CAPTURE_QUEUE";
  if (c.results_page_default > c.results_page_max)
    return "TRYON_RESULTS_PAGE_DEFAULT: must not exceed "
           "TRYON_RESULTS_PAGE_MAX";
  if (c.admin_port != 0 && c.admin_port == c.port && c.port != 0)
    return "TRYON_ADMIN_PORT: must differ from TRYON_PORT";
  if (c.log_format != "text" && c.log_format != "json")
    return "TRYON_LOG_FORMAT: expected text|json, got '" + c.log_format + "'";
  if (!c.internal_media_url.empty()) {
    const auto& v = c.internal_media_url;
    const bool file_ok = v.rfind("file:///", 0) == 0;
    if (!file_ok) {
      if (auto msg = need_url("TRYON_INTERNAL_MEDIA_URL", v, {"http", "https"});
          !msg.empty())
        return msg + " (expected http://, https:// or file:///dir)";
      if (v.find_first_of("?#") != std::string::npos)
        return "TRYON_INTERNAL_MEDIA_URL: must not hold a query or fragment";
    }
  }
  static const char* levels[] = {"trace", "debug", "info", "warn", "error"};
  for (auto* l : levels)
    if (c.log_level == l)
      return {};
  return "TRYON_LOG_LEVEL: expected trace|debug|info|warn|error, got '" +
         c.log_level + "'";
}

void apply_numbers(server_config& c, const numbers& n) {
  c.session_timeout = std::chrono::seconds{n.session_timeout_s};
  c.max_frame_size = static_cast<std::size_t>(n.max_frame);
  c.max_upload_size = static_cast<std::size_t>(n.max_upload);
  c.port = static_cast<std::uint16_t>(n.port);
  c.io_threads = static_cast<int>(n.io_threads);
  c.actor_threads = static_cast<int>(n.actor_threads);
  c.db_threads = static_cast<int>(n.db_threads);
  c.ai_connections = static_cast<int>(n.ai_connections);
  c.ai_credits = n.ai_credits != 0;
  c.ai_grace_period = std::chrono::milliseconds{n.ai_grace_ms};
  c.ai_frame_timeout = std::chrono::milliseconds{n.ai_timeout_ms};
  c.ai_init_timeout = std::chrono::milliseconds{n.ai_init_timeout_ms};
  c.ai_ping_timeout = std::chrono::milliseconds{n.ai_ping_timeout_ms};
  c.stats_interval = std::chrono::seconds{n.stats_interval_s};
  c.expiry_sweep_interval = std::chrono::seconds{n.sweep_interval_s};
  c.shutdown_deadline = std::chrono::seconds{n.shutdown_deadline_s};
  c.client_send_buffer = static_cast<std::size_t>(n.client_sndbuf);
  c.session_lease_ttl = std::chrono::milliseconds{n.lease_ttl_ms};
  c.db_connect_timeout = std::chrono::seconds{n.db_connect_timeout_s};
  c.db_statement_timeout = std::chrono::milliseconds{n.db_statement_timeout_ms};
  c.ws_idle_timeout = std::chrono::milliseconds{n.ws_idle_timeout_ms};
  c.max_connections = static_cast<std::size_t>(n.max_connections);
  c.max_connections_per_address = static_cast<std::size_t>(n.max_per_address);
  c.header_timeout = std::chrono::milliseconds{n.header_timeout_ms};
  c.upload_min_rate = static_cast<std::size_t>(n.upload_min_rate);
  c.ws_init_timeout = std::chrono::milliseconds{n.ws_init_timeout_ms};
  c.write_timeout = std::chrono::milliseconds{n.write_timeout_ms};
  c.max_text_message_size = static_cast<std::size_t>(n.max_text);
  c.max_queued_text_bytes = static_cast<std::size_t>(n.max_queued_text);
  c.sessions_per_minute = static_cast<int>(n.sessions_per_min);
  c.sessions_burst = static_cast<int>(n.sessions_burst);
  c.uploads_per_minute = static_cast<int>(n.uploads_per_min);
  c.uploads_burst = static_cast<int>(n.uploads_burst);
  c.upload_mb_per_minute = static_cast<int>(n.upload_mb_per_min);
  c.upload_mb_burst = static_cast<int>(n.upload_mb_burst);
  c.captures_per_minute = static_cast<int>(n.captures_per_min);
  c.captures_burst = static_cast<int>(n.captures_burst);
  c.max_live_sessions_per_user = static_cast<int>(n.live_per_user);
  c.capture_queue = static_cast<int>(n.capture_queue);
  c.capture_queue_per_user = static_cast<int>(n.capture_queue_per_user);
  c.results_page_default = static_cast<int>(n.results_default);
  c.results_page_max = static_cast<int>(n.results_max);
  c.restrict_ops = n.restrict_ops != 0;
  c.admin_port = static_cast<std::uint16_t>(n.admin_port);
}

} // namespace

std::string default_web_root_for(const std::string& exe) {
  namespace fs = std::filesystem;
  if (!exe.empty()) {
    auto installed = (fs::path{exe}.parent_path() / TRYON_WEB_ROOT_FROM_BINDIR)
                         .lexically_normal();
    std::error_code ec;
    if (fs::is_directory(installed, ec))
      return installed.string();
  }
  return "web";
}

std::string default_web_root() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return default_web_root_for(ec ? std::string{} : exe.string());
}

env_lookup process_env() {
  return [](const char* name) -> std::optional<std::string> {
    if (const char* v = std::getenv(name))
      return std::string{v};
    return std::nullopt;
  };
}

parse_outcome parse_server_config(int argc, const char* const* argv,
                                  const env_lookup& env) {
  server_config cfg;
  numbers num = numbers_of(cfg);
  // 1. The environment overrides the defaults.
  for (const auto& s : numeric_settings) {
    if (auto text = env(s.env)) {
      auto v = to_int(*text);
      if (!v || *v < s.min || *v > s.max)
        return {std::nullopt,
                std::string{s.env} + ": expected an integer in [" +
                    std::to_string(s.min) + ", " + std::to_string(s.max) +
                    "], got '" + *text + "'",
                2};
      num.*s.field = *v;
    }
  }
  for (const auto& s : text_settings)
    if (auto text = env(s.env))
      cfg.*s.field = *text;
  // The struct's "web" is only the checkout's fallback (config/web_root.hpp).
  bool web_root_given = env("TRYON_WEB_ROOT").has_value();
  std::string origins;
  if (auto text = env("TRYON_ALLOWED_ORIGINS"))
    origins = *text;
  std::string proxies;
  if (auto text = env("TRYON_TRUSTED_PROXIES"))
    proxies = *text;
  // 2. Flags override the environment.
  CLI::App app{"tryon-server: live virtual nail try-on streaming server"};
  app.set_version_flag("--version", version_text());
  // --help shows the built-in defaults, not what the environment set.
  const server_config defaults;
  const numbers default_numbers = numbers_of(defaults);
  for (const auto& s : numeric_settings)
    app.add_option(s.flag, num.*s.field,
                   std::string{s.help} + " [env " + s.env + "]")
        ->check(CLI::Range(s.min, s.max))
        ->default_str(std::to_string(default_numbers.*s.field));
  for (const auto& s : text_settings)
    app.add_option(s.flag, cfg.*s.field,
                   std::string{s.help} + " [env " + s.env + "]")
        ->default_str(s.field == &server_config::node_id ? "host-pid"
                                                         : defaults.*s.field);
  app.add_option("--allowed-origins", origins,
                 "comma-separated WebSocket origins, * for any "
                 "[env TRYON_ALLOWED_ORIGINS]");
  app.add_option("--trusted-proxies", proxies,
                 "comma-separated proxy addresses or CIDR ranges whose "
                 "X-Forwarded-For is believed [env TRYON_TRUSTED_PROXIES]");
  app.footer("Flag values are visible to every local user in the process list "
             "(ps, /proc/<pid>/cmdline): pass URLs holding passwords "
             "(DATABASE_URL, REDIS_URL) in the environment instead.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return {std::nullopt, app.help(), 0};
  } catch (const CLI::CallForVersion&) {
    return {std::nullopt, version_text(), 0};
  } catch (const CLI::ParseError& e) {
    // CLI11 may quote the offending argument: a URL's password must not
    // reach the terminal (or a log collecting it).
    return {std::nullopt, redact_url(e.what()), 2};
  }
  apply_numbers(cfg, num);
  cfg.allowed_origins = split_list(origins);
  if (!web_root_given && app.count("--web-root") == 0)
    cfg.web_root = default_web_root();
  cfg.trusted_proxies = split_list(proxies);
  if (cfg.node_id.empty()) {
    char host[256] = {0};
    gethostname(host, sizeof(host) - 1);
    cfg.node_id = std::string{host} + "-" + std::to_string(getpid());
  }
  if (auto msg = validate(cfg); !msg.empty())
    return {std::nullopt, msg, 2};
  return {cfg, {}, 0};
}

bool server_config::origin_allowed(const std::string& origin) const {
  if (allowed_origins.empty()) {
    auto own = origin_of(public_url);
    auto port_s = std::to_string(port);
    return (own && origin == *own) || origin == "http://127.0.0.1:" + port_s ||
           origin == "http://localhost:" + port_s;
  }
  for (const auto& allowed : allowed_origins)
    if (allowed == "*" || allowed == origin)
      return true;
  return false;
}

std::string server_config::reference_for_ai(const std::string& url) const {
  if (internal_media_url.empty())
    return url;
  auto trimmed = [](std::string v) {
    while (!v.empty() && v.back() == '/')
      v.pop_back();
    return v;
  };
  const std::string prefix = trimmed(public_url) + "/media/";
  if (url.compare(0, prefix.size(), prefix) != 0)
    return url;
  return trimmed(internal_media_url) + "/" + url.substr(prefix.size());
}

} // namespace tryon::config
