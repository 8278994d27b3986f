#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace tryon::persistence {

/// A token bucket's shape: it holds at most `capacity` tokens (the burst)
/// and gains `refill_per_second` tokens a second.
struct bucket_limit {
  double capacity = 1;
  double refill_per_second = 1;
};

/// A bucket's contents at a moment (microseconds, any fixed epoch).
struct bucket_state {
  double tokens = 0;
  std::int64_t updated_us = 0;
};

/// The answer to "may I take `cost` tokens now?".
struct bucket_decision {
  bool allowed = false;
  /// Seconds until `cost` tokens will be there (0 when allowed).
  double retry_after_s = 0;
};

/// Refills `s` up to `now_us` and takes `cost` tokens if they are there.
/// A fresh bucket (updated_us == 0) starts full. The same arithmetic runs
/// in Redis (rate_limiter.cpp's Lua script): keep the two in step.
inline bucket_decision bucket_take(bucket_state& s, const bucket_limit& l,
                                   double cost, std::int64_t now_us) {
  if (s.updated_us == 0) {
    s.tokens = l.capacity;
    s.updated_us = now_us;
  }
  auto elapsed_s =
      static_cast<double>(std::max<std::int64_t>(0, now_us - s.updated_us)) /
      1e6;
  s.tokens = std::min(l.capacity, s.tokens + elapsed_s * l.refill_per_second);
  s.updated_us = std::max(s.updated_us, now_us);
  if (s.tokens >= cost) {
    s.tokens -= cost;
    return {true, 0};
  }
  return {false, (cost - s.tokens) / l.refill_per_second};
}

/// True once `s` has refilled to capacity by `now_us` (it can be forgotten:
/// a fresh bucket starts full).
inline bool bucket_full(const bucket_state& s, const bucket_limit& l,
                        std::int64_t now_us) {
  auto elapsed_s =
      static_cast<double>(std::max<std::int64_t>(0, now_us - s.updated_us)) /
      1e6;
  return s.tokens + elapsed_s * l.refill_per_second >= l.capacity;
}

/// Whole seconds for a Retry-After header: at least 1.
inline std::int64_t retry_after_seconds(double s) {
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(s)));
}

} // namespace tryon::persistence
