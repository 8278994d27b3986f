#include "persistence/redis_health_probe.hpp"

#include <charconv>
#include <memory>

#include <hiredis/hiredis.h>

namespace tryon::persistence {

namespace {

bool parse_int(std::string_view s, int& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

struct context_deleter {
  void operator()(redisContext* c) const noexcept { redisFree(c); }
};

struct reply_deleter {
  void operator()(redisReply* r) const noexcept { freeReplyObject(r); }
};

using reply_ptr = std::unique_ptr<redisReply, reply_deleter>;

/// Runs one command; on failure says why in `detail`.
reply_ptr command(redisContext* c, std::string& detail, const char* fmt,
                  const char* arg = nullptr) {
  reply_ptr r{static_cast<redisReply*>(redisCommand(c, fmt, arg))};
  if (!r)
    detail = std::string("redis: ") + c->errstr;
  else if (r->type == REDIS_REPLY_ERROR)
    detail = std::string("redis: ") + r->str;
  return r;
}

} // namespace

std::optional<redis_address> parse_redis_url(std::string_view url) {
  constexpr std::string_view scheme = "redis://";
  if (url.substr(0, scheme.size()) != scheme)
    return std::nullopt;
  url.remove_prefix(scheme.size());
  redis_address a;
  if (auto slash = url.find('/'); slash != std::string_view::npos) {
    auto db = url.substr(slash + 1);
    if (!db.empty() && (!parse_int(db, a.db) || a.db < 0))
      return std::nullopt;
    url = url.substr(0, slash);
  }
  if (auto at = url.rfind('@'); at != std::string_view::npos) {
    auto info = url.substr(0, at);
    auto colon = info.find(':');
    if (colon != std::string_view::npos)
      a.password = std::string(info.substr(colon + 1));
    url.remove_prefix(at + 1);
  }
  if (auto colon = url.rfind(':'); colon != std::string_view::npos) {
    if (!parse_int(url.substr(colon + 1), a.port) || a.port <= 0 ||
        a.port > 65535)
      return std::nullopt;
    url = url.substr(0, colon);
  }
  if (url.empty())
    return std::nullopt;
  a.host = std::string(url);
  return a;
}

redis_health_probe::redis_health_probe(std::string redis_url,
                                       std::chrono::milliseconds timeout)
  : url_(std::move(redis_url)), timeout_(timeout) {}

bool redis_health_probe::ping(std::string& detail) noexcept {
  try {
    auto addr = parse_redis_url(url_);
    if (!addr) {
      detail = "redis: malformed URL";
      return false;
    }
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(timeout_);
    timeval tv{static_cast<time_t>(us.count() / 1000000),
               static_cast<suseconds_t>(us.count() % 1000000)};
    std::unique_ptr<redisContext, context_deleter> c{
        redisConnectWithTimeout(addr->host.c_str(), addr->port, tv)};
    if (!c || c->err) {
      detail = std::string("redis: ") + (c ? c->errstr : "out of memory");
      return false;
    }
    redisSetTimeout(c.get(), tv);
    if (!addr->password.empty()) {
      auto r = command(c.get(), detail, "AUTH %s", addr->password.c_str());
      if (!r || r->type == REDIS_REPLY_ERROR)
        return false;
    }
    auto r = command(c.get(), detail, "PING");
    if (!r || r->type == REDIS_REPLY_ERROR)
      return false;
    if (r->type == REDIS_REPLY_STATUS && std::string(r->str) == "PONG")
      return true;
    detail = "redis: unexpected answer to PING";
  } catch (const std::exception& e) {
    detail = std::string("redis: ") + e.what();
  }
  return false;
}

} // namespace tryon::persistence
