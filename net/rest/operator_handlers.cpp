#include "net/rest/operator_handlers.hpp"

namespace tryon::net::rest {

http_response handle_readyz(rest_context& ctx) {
  nlohmann::json checks = nlohmann::json::object();
  bool ready = true;
  for (auto& [name, probe] : ctx.probes) {
    std::string detail;
    bool ok = probe->ping(detail);
    ready = ready && ok;
    checks[name] = ok ? nlohmann::json("ok") : nlohmann::json(detail);
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
  if (!ctx.metrics_text)
    return http_response::detail(503, "Metrics are not available.");
  http_response res;
  res.content_type = "text/plain; version=0.0.4; charset=utf-8";
  res.body = ctx.metrics_text();
  return res;
}

} // namespace tryon::net::rest
