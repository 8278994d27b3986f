#include "net/rest/quotas.hpp"

#include <string>

namespace tryon::net::rest {

namespace {

constexpr double mebibyte = 1024.0 * 1024.0;

/// Takes `cost` from `key`; the refusal when over.
std::optional<http_response> charge(rest_context& ctx, const std::string& key,
                                    std::optional<persistence::bucket_limit> l,
                                    double cost) {
  if (!ctx.limiter || !l)
    return std::nullopt;
  auto d = ctx.limiter->take(key, *l, cost);
  if (d.allowed)
    return std::nullopt;
  return throttled(d.retry_after_s);
}

} // namespace

std::optional<persistence::bucket_limit> per_minute_limit(int per_minute,
                                                          double burst) {
  if (per_minute <= 0)
    return std::nullopt;
  return persistence::bucket_limit{burst, per_minute / 60.0};
}

http_response throttled(double retry_after_s) {
  auto n = persistence::retry_after_seconds(retry_after_s);
  auto res = http_response::detail(
      429, "Request was throttled. Expected available in " + std::to_string(n) +
               (n == 1 ? " second." : " seconds."));
  res.headers.emplace_back("Retry-After", std::to_string(n));
  return res;
}

std::optional<http_response> charge_session_create(rest_context& ctx,
                                                   std::int64_t user_id) {
  return charge(
      ctx, "sessions:" + std::to_string(user_id),
      per_minute_limit(ctx.cfg.sessions_per_minute, ctx.cfg.sessions_burst), 1);
}

std::optional<http_response>
charge_upload(rest_context& ctx, std::int64_t user_id, std::uint64_t bytes) {
  auto id = std::to_string(user_id);
  if (auto res = charge(
          ctx, "uploads:" + id,
          per_minute_limit(ctx.cfg.uploads_per_minute, ctx.cfg.uploads_burst),
          1))
    return res;
  auto bytes_limit = per_minute_limit(ctx.cfg.upload_mb_per_minute,
                                      ctx.cfg.upload_mb_burst * mebibyte);
  if (bytes_limit)
    bytes_limit->refill_per_second *= mebibyte;
  return charge(ctx, "upload_bytes:" + id, bytes_limit,
                static_cast<double>(bytes));
}

} // namespace tryon::net::rest
