#pragma once

#include <cstdint>
#include <optional>

#include "net/rest/rest_context.hpp"

namespace tryon::net::rest {

/// 429 in DRF's throttling shape: `Retry-After: N` and
/// `{"detail": "Request was throttled. Expected available in N seconds."}`.
http_response throttled(double retry_after_s);

/// Charges one session creation to `user_id`; the 429 to send when over.
std::optional<http_response> charge_session_create(rest_context& ctx,
                                                   std::int64_t user_id);

/// Charges one upload of `bytes` bytes to `user_id` (count and bytes
/// buckets); the 429 to send when over. Blocking (Redis).
std::optional<http_response>
charge_upload(rest_context& ctx, std::int64_t user_id, std::uint64_t bytes);

/// The bucket of `per_minute` tokens a minute holding `burst` at most;
/// nullopt when per_minute is 0 (no limit).
std::optional<persistence::bucket_limit> per_minute_limit(int per_minute,
                                                          double burst);

} // namespace tryon::net::rest
