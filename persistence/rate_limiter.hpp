#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "persistence/token_bucket.hpp"

namespace tryon::persistence {

class redis_client;

/// Token buckets keyed by name (e.g. "sessions:42"). Thread-safe; blocking
/// (the Redis one does network I/O): call from the blocking pool.
class rate_limiter {
public:
  virtual ~rate_limiter() = default;

  /// Takes `cost` tokens from bucket `key` shaped by `limit`.
  virtual bucket_decision take(const std::string& key,
                               const bucket_limit& limit, double cost) = 0;
};

/// Microseconds on a steady clock; injectable for tests.
using clock_us = std::function<std::int64_t()>;

/// The steady clock in microseconds.
clock_us steady_clock_us();

/// Buckets in this process's memory. At most `max_keys` buckets are kept:
/// beyond that, full buckets are forgotten (a fresh one starts full, so
/// nothing changes), then, if still too many, every bucket (a flood of
/// distinct keys must not grow memory; it can only make limits lenient).
class local_rate_limiter final : public rate_limiter {
public:
  explicit local_rate_limiter(std::size_t max_keys = 100000,
                              clock_us now = steady_clock_us());

  bucket_decision take(const std::string& key, const bucket_limit& limit,
                       double cost) override;

  /// Buckets currently kept.
  std::size_t size() const;

private:
  std::size_t max_keys_;
  clock_us now_;
  mutable std::mutex mu_;
  struct entry {
    bucket_state state;
    bucket_limit limit;
  };
  std::unordered_map<std::string, entry> buckets_;
};

/// Buckets in Redis, shared by every node (one Lua script refills and takes
/// atomically, on Redis's clock). While Redis fails, the node falls back to
/// its own local buckets (and retries Redis after `retry_after`), so an
/// outage neither blocks every request nor lifts the limits.
class redis_rate_limiter final : public rate_limiter {
public:
  /// `prefix` names the keys ("tryon:rl:" + key).
  redis_rate_limiter(
      std::string url,
      std::chrono::milliseconds timeout = std::chrono::milliseconds(250),
      std::chrono::milliseconds retry_after = std::chrono::milliseconds(2000),
      std::string prefix = "tryon:rl:");
  ~redis_rate_limiter() override;

  bucket_decision take(const std::string& key, const bucket_limit& limit,
                       double cost) override;

  /// Decisions made by the local fallback so far (tests, metrics).
  std::uint64_t fallback_decisions() const { return fallbacks_.load(); }

private:
  bucket_decision take_redis(const std::string& key, const bucket_limit& limit,
                             double cost);

  std::unique_ptr<redis_client> redis_;
  std::string prefix_;
  const std::string script_sha_;
  std::chrono::milliseconds retry_after_;
  std::atomic<std::int64_t> down_until_us_{0};
  std::atomic<std::uint64_t> fallbacks_{0};
  local_rate_limiter local_;
};

} // namespace tryon::persistence
