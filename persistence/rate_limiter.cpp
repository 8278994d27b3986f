#include "persistence/rate_limiter.hpp"

#include <cstdio>

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include "persistence/digest.hpp"
#include "persistence/redis_client.hpp"
#include "persistence/store_error.hpp"

namespace tryon::persistence {

namespace {

// KEYS[1]: the bucket (a hash: t = tokens, u = last update in µs).
// ARGV: capacity, refill per second, cost. Redis's own clock (TIME) keeps
// every node's view consistent whatever their clocks say. Returns
// {allowed 0|1, retry-after in ms}. The arithmetic is bucket_take's.
constexpr const char* bucket_script = R"lua(
local cap = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local s = redis.call('HMGET', KEYS[1], 't', 'u')
local tokens = tonumber(s[1])
local updated = tonumber(s[2])
if tokens == nil or updated == nil then
  tokens = cap
  updated = now
end
local elapsed = math.max(0, now - updated) / 1000000
tokens = math.min(cap, tokens + elapsed * rate)
local allowed = 0
local retry_ms = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  retry_ms = math.ceil((cost - tokens) / rate * 1000)
end
-- tostring() keeps 14 digits only: format for exactness.
redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens),
           'u', string.format('%.0f', now))
-- Forgotten once it would be full again: a fresh bucket starts full.
redis.call('PEXPIRE', KEYS[1], math.ceil((cap - tokens) / rate * 1000) + 1000)
return {allowed, retry_ms}
)lua";

std::int64_t now_steady_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Lua turns numbers into strings with 14 significant digits; "%.17g" keeps
// a double exact on the way in.
std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

} // namespace

clock_us steady_clock_us() {
  return now_steady_us;
}

local_rate_limiter::local_rate_limiter(std::size_t max_keys, clock_us now)
  : max_keys_(max_keys), now_(std::move(now)) {}

bucket_decision local_rate_limiter::take(const std::string& key,
                                         const bucket_limit& limit,
                                         double cost) {
  auto now = now_();
  std::lock_guard<std::mutex> guard{mu_};
  if (buckets_.size() >= max_keys_ && buckets_.find(key) == buckets_.end()) {
    for (auto it = buckets_.begin(); it != buckets_.end();)
      it = bucket_full(it->second.state, it->second.limit, now)
               ? buckets_.erase(it)
               : std::next(it);
    if (buckets_.size() >= max_keys_)
      buckets_.clear();
  }
  auto& e = buckets_[key];
  e.limit = limit;
  return bucket_take(e.state, limit, cost, now);
}

std::size_t local_rate_limiter::size() const {
  std::lock_guard<std::mutex> guard{mu_};
  return buckets_.size();
}

redis_rate_limiter::redis_rate_limiter(std::string url,
                                       std::chrono::milliseconds timeout,
                                       std::chrono::milliseconds retry_after,
                                       std::string prefix)
  : redis_(std::make_unique<redis_client>(std::move(url), timeout)),
    prefix_(std::move(prefix)), script_sha_(sha1_hex(bucket_script)),
    retry_after_(retry_after) {}

redis_rate_limiter::~redis_rate_limiter() = default;

bucket_decision redis_rate_limiter::take_redis(const std::string& key,
                                               const bucket_limit& limit,
                                               double cost) {
  std::vector<std::string> args{"",
                                script_sha_,
                                "1",
                                prefix_ + key,
                                number(limit.capacity),
                                number(limit.refill_per_second),
                                number(cost)};
  redis_reply_ptr r;
  try {
    args[0] = "EVALSHA";
    r = redis_->run(args);
  } catch (const store_error& e) {
    // Not cached yet (first call, or Redis restarted): load the script,
    // whose name is its SHA-1, and run it again; a transport error throws.
    if (std::string{e.what()}.find("NOSCRIPT") == std::string::npos)
      throw;
    redis_->run({"SCRIPT", "LOAD", bucket_script});
    r = redis_->run(args);
  }
  if (r->type != REDIS_REPLY_ARRAY || r->elements != 2)
    throw store_error("redis: unexpected rate limit reply");
  bucket_decision d;
  d.allowed = r->element[0]->integer == 1;
  d.retry_after_s = static_cast<double>(r->element[1]->integer) / 1000.0;
  return d;
}

bucket_decision redis_rate_limiter::take(const std::string& key,
                                         const bucket_limit& limit,
                                         double cost) {
  auto now = now_steady_us();
  if (now >= down_until_us_.load()) {
    try {
      return take_redis(key, limit, cost);
    } catch (const std::exception& e) {
      // Only the first failure of an outage is logged (then one a retry).
      spdlog::warn("rate limits: Redis unavailable ({}); using this node's "
                   "own buckets for {} ms",
                   e.what(), retry_after_.count());
      down_until_us_.store(
          now +
          std::chrono::duration_cast<std::chrono::microseconds>(retry_after_)
              .count());
    }
  }
  ++fallbacks_;
  return local_.take(key, limit, cost);
}

} // namespace tryon::persistence
