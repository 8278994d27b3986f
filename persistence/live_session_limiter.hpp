#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace tryon::persistence {

class redis_client;

/// Counts each user's live WebSocket sessions, to bound them. A session
/// counts once however often it reconnects, until it is released or its
/// own expiry passes (so a node that died holding it frees it by then).
/// Thread-safe; blocking (Redis): call from the blocking pool.
class live_session_limiter {
public:
  virtual ~live_session_limiter() = default;

  /// Counts `session_id` as live for `user_id` until `expires_at_us` (Unix
  /// epoch µs), unless the user already holds `max` other live sessions:
  /// false then.
  virtual bool acquire(std::int64_t user_id, const std::string& session_id,
                       std::int64_t expires_at_us, int max) = 0;

  /// Stops counting `session_id`.
  virtual void release(std::int64_t user_id, const std::string& session_id) = 0;
};

/// This process's own counts.
class local_live_session_limiter final : public live_session_limiter {
public:
  bool acquire(std::int64_t user_id, const std::string& session_id,
               std::int64_t expires_at_us, int max) override;
  void release(std::int64_t user_id, const std::string& session_id) override;

private:
  std::mutex mu_;
  std::map<std::int64_t, std::map<std::string, std::int64_t>> live_;
};

/// Counts in Redis (a sorted set per user scored by expiry, shared by every
/// node), falling back to this node's own counts while Redis fails.
class redis_live_session_limiter final : public live_session_limiter {
public:
  explicit redis_live_session_limiter(
      std::string url,
      std::chrono::milliseconds timeout = std::chrono::milliseconds(250),
      std::chrono::milliseconds retry_after = std::chrono::milliseconds(2000),
      std::string prefix = "tryon:live:");
  ~redis_live_session_limiter() override;

  bool acquire(std::int64_t user_id, const std::string& session_id,
               std::int64_t expires_at_us, int max) override;
  void release(std::int64_t user_id, const std::string& session_id) override;

private:
  bool redis_up();
  void redis_failed(const std::exception& e);

  std::unique_ptr<redis_client> redis_;
  std::string prefix_;
  const std::string script_sha_;
  std::chrono::milliseconds retry_after_;
  std::atomic<std::int64_t> down_until_us_{0};
  local_live_session_limiter local_;
};

} // namespace tryon::persistence
