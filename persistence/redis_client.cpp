#include "persistence/redis_client.hpp"

#include <hiredis/hiredis.h>

#include "persistence/redis_health_probe.hpp"
#include "persistence/store_error.hpp"

namespace tryon::persistence {

void redis_reply_deleter::operator()(redisReply* r) const noexcept {
  freeReplyObject(r);
}

void redis_context_deleter::operator()(redisContext* c) const noexcept {
  redisFree(c);
}

redis_reply_ptr redis_command(redisContext& c,
                              const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  redis_reply_ptr r{static_cast<redisReply*>(redisCommandArgv(
      &c, static_cast<int>(argv.size()), argv.data(), lens.data()))};
  if (!r)
    throw store_error(std::string("redis: ") + c.errstr);
  if (r->type == REDIS_REPLY_ERROR)
    throw store_error(std::string("redis: ") + r->str);
  return r;
}

redis_context_ptr redis_connect(const std::string& url,
                                std::chrono::milliseconds timeout) {
  auto addr = parse_redis_url(url);
  if (!addr)
    throw store_error("redis: malformed URL");
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(timeout);
  timeval tv{static_cast<time_t>(us.count() / 1000000),
             static_cast<suseconds_t>(us.count() % 1000000)};
  redis_context_ptr ctx{
      redisConnectWithTimeout(addr->host.c_str(), addr->port, tv)};
  if (!ctx || ctx->err)
    throw store_error(std::string("redis: ") +
                      (ctx ? ctx->errstr : "out of memory"));
  redisSetTimeout(ctx.get(), tv);
  if (!addr->user.empty() && !addr->password.empty())
    redis_command(*ctx, {"AUTH", addr->user, addr->password});
  else if (!addr->password.empty())
    redis_command(*ctx, {"AUTH", addr->password});
  if (addr->db != 0)
    redis_command(*ctx, {"SELECT", std::to_string(addr->db)});
  return ctx;
}

redis_client::redis_client(std::string url, std::chrono::milliseconds timeout)
  : url_(std::move(url)), timeout_(timeout) {}

redis_client::~redis_client() = default;

redisContext& redis_client::connection() {
  if (!ctx_)
    ctx_ = redis_connect(url_, timeout_);
  return *ctx_;
}

redis_client::reply_ptr
redis_client::run(const std::vector<std::string>& args) {
  std::lock_guard<std::mutex> guard{mu_};
  try {
    return redis_command(connection(), args);
  } catch (...) {
    ctx_.reset(); // a timed-out or broken connection is not reused
    throw;
  }
}

std::string reply_text(const redisReply* r) {
  return r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS)
             ? std::string(r->str, r->len)
             : std::string{};
}

} // namespace tryon::persistence
