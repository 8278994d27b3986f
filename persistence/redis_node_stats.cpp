#include "persistence/redis_node_stats.hpp"

#include <vector>

#include <hiredis/hiredis.h>

#include "persistence/redis_health_probe.hpp"
#include "persistence/store_error.hpp"

namespace tryon::persistence {

namespace {

struct reply_deleter {
  void operator()(redisReply* r) const noexcept { freeReplyObject(r); }
};

using reply_ptr = std::unique_ptr<redisReply, reply_deleter>;

/// Runs a command given as arguments; throws on a transport or Redis error.
reply_ptr run(redisContext& c, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  reply_ptr r{static_cast<redisReply*>(redisCommandArgv(
      &c, static_cast<int>(argv.size()), argv.data(), lens.data()))};
  if (!r)
    throw store_error(std::string("redis: ") + c.errstr);
  if (r->type == REDIS_REPLY_ERROR)
    throw store_error(std::string("redis: ") + r->str);
  return r;
}

std::string text_of(const redisReply* r) {
  return r && r->type == REDIS_REPLY_STRING ? std::string(r->str, r->len)
                                            : std::string{};
}

} // namespace

void redis_node_stats::context_deleter::operator()(
    redisContext* c) const noexcept {
  redisFree(c);
}

redis_node_stats::redis_node_stats(std::string redis_url,
                                   std::chrono::milliseconds timeout)
  : url_(std::move(redis_url)), timeout_(timeout) {}

redis_node_stats::~redis_node_stats() = default;

redisContext& redis_node_stats::connection() {
  if (ctx_)
    return *ctx_;
  auto addr = parse_redis_url(url_);
  if (!addr)
    throw store_error("redis: malformed URL");
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(timeout_);
  timeval tv{static_cast<time_t>(us.count() / 1000000),
             static_cast<suseconds_t>(us.count() % 1000000)};
  ctx_.reset(redisConnectWithTimeout(addr->host.c_str(), addr->port, tv));
  if (!ctx_ || ctx_->err) {
    std::string why = ctx_ ? ctx_->errstr : "out of memory";
    drop_connection();
    throw store_error("redis: " + why);
  }
  redisSetTimeout(ctx_.get(), tv);
  try {
    if (!addr->password.empty())
      run(*ctx_, {"AUTH", addr->password});
    if (addr->db != 0)
      run(*ctx_, {"SELECT", std::to_string(addr->db)});
  } catch (...) {
    drop_connection();
    throw;
  }
  return *ctx_;
}

void redis_node_stats::publish(const std::string& node_id,
                               const nlohmann::json& figures,
                               std::chrono::seconds ttl) {
  std::lock_guard<std::mutex> guard{mu_};
  try {
    run(connection(), {"SET", key_prefix + node_id, figures.dump(), "EX",
                       std::to_string(std::max<long long>(1, ttl.count()))});
  } catch (...) {
    drop_connection();
    throw;
  }
}

std::map<std::string, nlohmann::json> redis_node_stats::read_all() {
  std::lock_guard<std::mutex> guard{mu_};
  std::map<std::string, nlohmann::json> out;
  try {
    auto& c = connection();
    std::vector<std::string> keys;
    std::string cursor = "0";
    do {
      auto r = run(c, {"SCAN", cursor, "MATCH", std::string(key_prefix) + "*",
                       "COUNT", "100"});
      if (r->type != REDIS_REPLY_ARRAY || r->elements != 2)
        throw store_error("redis: unexpected SCAN reply");
      cursor = text_of(r->element[0]);
      const redisReply* batch = r->element[1];
      for (std::size_t i = 0; i < batch->elements; ++i)
        keys.push_back(text_of(batch->element[i]));
    } while (cursor != "0" && !cursor.empty());
    if (keys.empty())
      return out;
    std::vector<std::string> mget{"MGET"};
    mget.insert(mget.end(), keys.begin(), keys.end());
    auto r = run(c, mget);
    for (std::size_t i = 0; i < r->elements && i < keys.size(); ++i) {
      auto text = text_of(r->element[i]);
      if (text.empty())
        continue; // expired between SCAN and MGET
      auto json = nlohmann::json::parse(text, nullptr, false);
      if (!json.is_discarded())
        out[keys[i].substr(std::char_traits<char>::length(key_prefix))] =
            std::move(json);
    }
  } catch (...) {
    drop_connection();
    throw;
  }
  return out;
}

void redis_node_stats::remove(const std::string& node_id) {
  std::lock_guard<std::mutex> guard{mu_};
  try {
    run(connection(), {"DEL", key_prefix + node_id});
  } catch (...) {
    drop_connection();
    throw;
  }
}

} // namespace tryon::persistence
