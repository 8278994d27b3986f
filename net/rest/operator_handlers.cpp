#include "net/rest/operator_handlers.hpp"

namespace tryon::net::rest {

bool is_operator(rest_context& ctx, const http_request& req) {
  if (is_direct_loopback(req))
    return true;
  if (!req.header("authorization"))
    return false;
  auto auth = authenticate(ctx, req);
  auto* who = std::get_if<persistence::user>(&auth);
  return who && who->is_staff;
}

std::optional<http_response> refuse_unless_operator(rest_context& ctx,
                                                    const http_request& req) {
  if (!ctx.cfg.restrict_ops || is_operator(ctx, req))
    return std::nullopt;
  return http_response::detail(
      403, "You do not have permission to perform this action.");
}

http_response handle_readyz(rest_context& ctx, const http_request& req) {
  if (auto refused = refuse_unless_operator(ctx, req))
    return *refused;
  // Driver errors name hosts, ports, users and versions: only operators
  // (loopback peers, staff tokens) read them; others learn which failed.
  bool details = is_operator(ctx, req);
  nlohmann::json checks = nlohmann::json::object();
  bool ready = true;
  for (auto& [name, probe] : ctx.probes) {
    std::string detail;
    bool ok = probe->ping(detail);
    ready = ready && ok;
    checks[name] = ok        ? nlohmann::json("ok")
                   : details ? nlohmann::json(detail)
                             : nlohmann::json("unavailable");
  }
  return http_response::json(
      ready ? 200 : 503,
      {{"status", ready ? "ready" : "not ready"}, {"checks", checks}});
}

http_response handle_stats(rest_context& ctx, const http_request& req) {
  if (req.method != "GET" && req.method != "HEAD")
    return method_not_allowed(req, "GET, HEAD");
  auto auth = authenticate(ctx, req);
  if (auto* res = std::get_if<http_response>(&auth))
    return *res;
  if (!std::get<persistence::user>(auth).is_staff)
    return http_response::detail(
        403, "You do not have permission to perform this action.");
  if (!ctx.live_stats)
    return http_response::detail(503, "Statistics are not available.");
  return http_response::json(200, ctx.live_stats());
}

http_response handle_metrics(rest_context& ctx, const http_request& req) {
  if (req.method != "GET" && req.method != "HEAD")
    return method_not_allowed(req, "GET, HEAD");
  if (auto refused = refuse_unless_operator(ctx, req))
    return *refused;
  if (!ctx.metrics_text)
    return http_response::detail(503, "Metrics are not available.");
  http_response res;
  res.content_type = "text/plain; version=0.0.4; charset=utf-8";
  res.body = ctx.metrics_text();
  return res;
}

} // namespace tryon::net::rest
