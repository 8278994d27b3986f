#include "net/access_log.hpp"

#include <nlohmann/json.hpp>

#include "logging/log_context.hpp"
#include "metrics/node_metrics.hpp"

namespace tryon::net {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

/// prefix + one segment + "/", e.g. /api/try-on/results/42/.
bool one_segment_under(std::string_view path, std::string_view prefix) {
  if (!starts_with(path, prefix) || path.size() <= prefix.size() + 1 ||
      path.back() != '/')
    return false;
  auto seg = path.substr(prefix.size(), path.size() - prefix.size() - 1);
  return seg.find('/') == std::string_view::npos;
}

} // namespace

std::string route_of(std::string_view path) {
  for (std::string_view exact :
       {"/healthz", "/readyz", "/metrics", "/api/try-on/stats/",
        "/api/try-on/session/create/", "/api/try-on/upload/",
        "/api/try-on/results/"})
    if (path == exact)
      return std::string{exact};
  if (one_segment_under(path, "/api/try-on/results/"))
    return "/api/try-on/results/{id}/";
  if (one_segment_under(path, "/api/try-on/session/"))
    return "/api/try-on/session/{id}/";
  if (one_segment_under(path, "/ws/try-on/"))
    return "/ws/try-on/{id}/";
  if (starts_with(path, "/media/"))
    return "/media/";
  if (starts_with(path, "/api/") || starts_with(path, "/ws/") || path.empty() ||
      path.front() != '/')
    return "other";
  return "static";
}

std::string loggable_path(std::string_view target) {
  auto path = target.substr(0, target.find('?'));
  return std::string{path.substr(0, 256)};
}

void log_http_access(const http_access& a, const std::string& node_id,
                     metrics::node_metrics* metrics) {
  auto route = route_of(a.path);
  nlohmann::json f{{"kind", "http"},
                   {"method", a.method},
                   {"path", a.path},
                   {"route", route},
                   {"status", a.status},
                   {"bytes", a.bytes},
                   {"duration_ms", a.seconds * 1000},
                   {"user_id", a.user_id ? nlohmann::json(*a.user_id)
                                         : nlohmann::json(nullptr)},
                   {"node", node_id},
                   {"request_id", a.request_id}};
  logging::event(a.status >= 500 ? spdlog::level::warn : spdlog::level::info,
                 "http", f);
  if (metrics)
    metrics->observe_http(route, a.status, a.seconds);
}

void log_ws_end(const ws_access& a, const std::string& node_id,
                metrics::node_metrics* metrics) {
  const auto dropped =
      a.frames_in > a.frames_processed ? a.frames_in - a.frames_processed : 0;
  nlohmann::json f{{"kind", "websocket"},
                   {"session", a.session_id},
                   {"user_id", a.user_id ? nlohmann::json(*a.user_id)
                                         : nlohmann::json(nullptr)},
                   {"close_code", a.close_code},
                   {"closed_by", a.closed_by},
                   {"frames_in", a.frames_in},
                   {"frames_processed", a.frames_processed},
                   {"frames_dropped", dropped},
                   {"frames_shed", a.frames_shed},
                   {"duration_ms", a.seconds * 1000},
                   {"node", node_id},
                   {"request_id", a.request_id}};
  logging::event(a.close_code == 1011 || a.close_code == 1006
                     ? spdlog::level::warn
                     : spdlog::level::info,
                 "websocket closed", f);
  if (metrics)
    metrics->ws_closed(a.close_code);
}

} // namespace tryon::net
