#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct redisContext;
struct redisReply;

namespace tryon::persistence {

/// One blocking hiredis connection to a redis:// URL, opened on first use
/// and reopened after any failure. Thread-safe: one command at a time.
/// Every Redis-backed store of this folder talks through one of these.
class redis_client {
public:
  struct reply_deleter {
    void operator()(redisReply* r) const noexcept;
  };
  using reply_ptr = std::unique_ptr<redisReply, reply_deleter>;

  /// Talks to `url`; `timeout` bounds the connect and every command.
  explicit redis_client(std::string url, std::chrono::milliseconds timeout =
                                             std::chrono::seconds(1));
  ~redis_client();
  redis_client(const redis_client&) = delete;
  redis_client& operator=(const redis_client&) = delete;

  /// Runs one command given as arguments (binary-safe). Throws store_error
  /// on a transport or Redis error, after dropping the connection.
  reply_ptr run(const std::vector<std::string>& args);

private:
  struct context_deleter {
    void operator()(redisContext* c) const noexcept;
  };
  redisContext& connection();

  std::string url_;
  std::chrono::milliseconds timeout_;
  std::mutex mu_;
  std::unique_ptr<redisContext, context_deleter> ctx_;
};

/// The text of a string (or status) reply; empty for other types.
std::string reply_text(const redisReply* r);

} // namespace tryon::persistence
