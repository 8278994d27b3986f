#pragma once

#include "net/rest/rest_context.hpp"

namespace tryon::net::rest {

/// GET /readyz: 200 when every probe answers, else 503 naming the failures.
http_response handle_readyz(rest_context& ctx);

/// GET /api/try-on/stats/ (staff only): the live figures as JSON.
http_response handle_stats(rest_context& ctx, const http_request& req);

/// GET /metrics: the live figures in Prometheus text format.
http_response handle_metrics(rest_context& ctx, const http_request& req);

} // namespace tryon::net::rest
