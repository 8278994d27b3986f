#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct redisContext;
struct redisReply;

namespace tryon::persistence {

struct redis_context_deleter {
  void operator()(redisContext* c) const noexcept;
};
/// A hiredis connection.
using redis_context_ptr = std::unique_ptr<redisContext, redis_context_deleter>;

struct redis_reply_deleter {
  void operator()(redisReply* r) const noexcept;
};
/// A hiredis reply.
using redis_reply_ptr = std::unique_ptr<redisReply, redis_reply_deleter>;

/// Opens a connection to a redis:// URL (AUTH and SELECT done); `timeout`
/// bounds the connect and every later command. Throws store_error.
redis_context_ptr redis_connect(const std::string& url,
                                std::chrono::milliseconds timeout);

/// Runs one command given as arguments (binary-safe) on `c`. Throws
/// store_error on a transport or Redis error.
redis_reply_ptr redis_command(redisContext& c,
                              const std::vector<std::string>& args);

/// One blocking hiredis connection to a redis:// URL, opened on first use
/// and reopened after any failure. Thread-safe: one command at a time.
/// Every Redis-backed store of this folder talks through one of these.
class redis_client {
public:
  using reply_ptr = redis_reply_ptr;

  /// Talks to `url`; `timeout` bounds the connect and every command.
  explicit redis_client(std::string url, std::chrono::milliseconds timeout =
                                             std::chrono::seconds(1));
  ~redis_client();
  redis_client(const redis_client&) = delete;
  redis_client& operator=(const redis_client&) = delete;

  /// Runs one command given as arguments (binary-safe). Throws store_error
  /// on a transport or Redis error, after dropping the connection.
  reply_ptr run(const std::vector<std::string>& args);

  /// The URL and timeout this client was made with.
  const std::string& url() const { return url_; }
  std::chrono::milliseconds timeout() const { return timeout_; }

private:
  redisContext& connection();

  std::string url_;
  std::chrono::milliseconds timeout_;
  std::mutex mu_;
  redis_context_ptr ctx_;
};

/// The text of a string (or status) reply; empty for other types.
std::string reply_text(const redisReply* r);

} // namespace tryon::persistence
