#include "persistence/live_session_limiter.hpp"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include "persistence/digest.hpp"
#include "persistence/redis_client.hpp"
#include "persistence/store_error.hpp"

namespace tryon::persistence {

namespace {

// KEYS[1]: the user's sorted set (member: session id, score: its expiry in
// Unix µs). ARGV: session id, expiry, max. Expired members go first; a
// member already there is renewed whatever the count. Returns 1 or 0.
constexpr const char* acquire_script = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
    return 0
  end
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIRE', KEYS[1],
           math.max(1000, math.ceil((tonumber(last[2]) - now) / 1000)))
return 1
)lua";

std::int64_t unix_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

} // namespace

bool local_live_session_limiter::acquire(std::int64_t user_id,
                                         const std::string& session_id,
                                         std::int64_t expires_at_us, int max) {
  auto now = unix_us();
  std::lock_guard<std::mutex> guard{mu_};
  auto& mine = live_[user_id];
  for (auto it = mine.begin(); it != mine.end();)
    it = it->second <= now ? mine.erase(it) : std::next(it);
  if (mine.count(session_id) == 0 && static_cast<int>(mine.size()) >= max) {
    return false;
  }
  mine[session_id] = expires_at_us;
  return true;
}

void local_live_session_limiter::release(std::int64_t user_id,
                                         const std::string& session_id) {
  std::lock_guard<std::mutex> guard{mu_};
  auto it = live_.find(user_id);
  if (it == live_.end())
    return;
  it->second.erase(session_id);
  if (it->second.empty())
    live_.erase(it);
}

redis_live_session_limiter::redis_live_session_limiter(
    std::string url, std::chrono::milliseconds timeout,
    std::chrono::milliseconds retry_after, std::string prefix)
  : redis_(std::make_unique<redis_client>(std::move(url), timeout)),
    prefix_(std::move(prefix)), script_sha_(sha1_hex(acquire_script)),
    retry_after_(retry_after) {}

redis_live_session_limiter::~redis_live_session_limiter() = default;

bool redis_live_session_limiter::redis_up() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
             .count() >= down_until_us_.load();
}

void redis_live_session_limiter::redis_failed(const std::exception& e) {
  spdlog::warn("live session limits: Redis unavailable ({}); counting on "
               "this node for {} ms",
               e.what(), retry_after_.count());
  down_until_us_.store(
      std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::steady_clock::now().time_since_epoch() + retry_after_)
          .count());
}

bool redis_live_session_limiter::acquire(std::int64_t user_id,
                                         const std::string& session_id,
                                         std::int64_t expires_at_us, int max) {
  if (redis_up()) {
    std::vector<std::string> args{"EVALSHA",
                                  script_sha_,
                                  "1",
                                  prefix_ + std::to_string(user_id),
                                  session_id,
                                  std::to_string(expires_at_us),
                                  std::to_string(max)};
    try {
      redis_reply_ptr r;
      try {
        r = redis_->run(args);
      } catch (const store_error& e) {
        if (std::string{e.what()}.find("NOSCRIPT") == std::string::npos)
          throw;
        redis_->run({"SCRIPT", "LOAD", acquire_script});
        r = redis_->run(args);
      }
      if (r->type != REDIS_REPLY_INTEGER)
        throw store_error("redis: unexpected live session reply");
      return r->integer == 1;
    } catch (const std::exception& e) {
      redis_failed(e);
    }
  }
  return local_.acquire(user_id, session_id, expires_at_us, max);
}

void redis_live_session_limiter::release(std::int64_t user_id,
                                         const std::string& session_id) {
  local_.release(user_id, session_id);
  if (!redis_up())
    return;
  try {
    redis_->run({"ZREM", prefix_ + std::to_string(user_id), session_id});
  } catch (const std::exception& e) {
    redis_failed(e);
  }
}

} // namespace tryon::persistence
