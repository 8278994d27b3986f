#pragma once

#include "net/rest/rest_context.hpp"

namespace tryon::net::rest {

/// Whether the caller may see operator details: a direct loopback peer or
/// a staff token.
bool is_operator(rest_context& ctx, const http_request& req);

/// 403 when cfg.restrict_ops is set and the caller is no operator.
std::optional<http_response> refuse_unless_operator(rest_context& ctx,
                                                    const http_request& req);

/// GET /readyz: 200 when every probe answers, else 503 naming the failures
/// (with the drivers' errors for operators only).
http_response handle_readyz(rest_context& ctx, const http_request& req);

/// GET /api/try-on/stats/ (staff only): the live figures as JSON.
http_response handle_stats(rest_context& ctx, const http_request& req);

/// GET /metrics: the live figures in Prometheus text format.
http_response handle_metrics(rest_context& ctx, const http_request& req);

} // namespace tryon::net::rest
