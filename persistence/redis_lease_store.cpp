#include "persistence/redis_lease_store.hpp"

#include <algorithm>

#include <hiredis/hiredis.h>

#include "persistence/redis_subscriber.hpp"
#include "persistence/store_error.hpp"

namespace tryon::persistence {

namespace {

// KEYS: leases; ARGV[1]: node, ARGV[2]: ttl in ms. Extends the leases the
// node holds or that lapsed; returns the (1-based) indexes held by others.
constexpr const char* renew_script = R"lua(
local moved = {}
for i, key in ipairs(KEYS) do
  local holder = redis.call('GET', key)
  if holder == false or holder == ARGV[1] then
    redis.call('SET', key, ARGV[1], 'PX', ARGV[2])
  else
    moved[#moved + 1] = i
  end
end
return moved
)lua";

// KEYS[1]: lease; ARGV[1]: node. Deletes the lease only if the node holds it.
constexpr const char* release_script = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
)lua";

// Keys per renew script call: bounds the time Redis spends in one script.
constexpr std::size_t renew_batch = 500;

std::string key_of(const std::string& session_id) {
  return std::string{redis_lease_store::key_prefix} + session_id;
}

std::string ms(std::chrono::milliseconds ttl) {
  return std::to_string(std::max<long long>(1, ttl.count()));
}

} // namespace

redis_lease_store::redis_lease_store(std::string redis_url,
                                     std::chrono::milliseconds timeout)
  : redis_(std::move(redis_url), timeout) {}

std::optional<std::string>
redis_lease_store::acquire(const std::string& session_id,
                           const std::string& node_id,
                           std::chrono::milliseconds ttl) {
  // SET ... GET (Redis 6.2+): takes the lease and says who held it, at once.
  auto r =
      redis_.run({"SET", key_of(session_id), node_id, "PX", ms(ttl), "GET"});
  if (r->type == REDIS_REPLY_NIL)
    return std::nullopt;
  return reply_text(r.get());
}

std::vector<std::string>
redis_lease_store::renew(const std::vector<std::string>& session_ids,
                         const std::string& node_id,
                         std::chrono::milliseconds ttl) {
  std::vector<std::string> moved;
  for (std::size_t first = 0; first < session_ids.size();
       first += renew_batch) {
    auto n = std::min(renew_batch, session_ids.size() - first);
    std::vector<std::string> args{"EVAL", renew_script, std::to_string(n)};
    for (std::size_t i = 0; i < n; ++i)
      args.push_back(key_of(session_ids[first + i]));
    args.push_back(node_id);
    args.push_back(ms(ttl));
    auto r = redis_.run(args);
    if (r->type != REDIS_REPLY_ARRAY)
      throw store_error("redis: unexpected lease renewal reply");
    for (std::size_t i = 0; i < r->elements; ++i) {
      const redisReply* e = r->element[i];
      if (e->type != REDIS_REPLY_INTEGER || e->integer < 1 ||
          static_cast<std::size_t>(e->integer) > n)
        throw store_error("redis: unexpected lease renewal reply");
      moved.push_back(
          session_ids[first + static_cast<std::size_t>(e->integer) - 1]);
    }
  }
  return moved;
}

void redis_lease_store::release(const std::string& session_id,
                                const std::string& node_id) {
  redis_.run({"EVAL", release_script, "1", key_of(session_id), node_id});
}

std::optional<std::string>
redis_lease_store::owner(const std::string& session_id) {
  auto r = redis_.run({"GET", key_of(session_id)});
  if (r->type == REDIS_REPLY_NIL)
    return std::nullopt;
  return reply_text(r.get());
}

void redis_lease_store::notify_taken(const std::string& owner_node,
                                     const std::string& session_id) {
  redis_.run({"PUBLISH", notice_prefix + owner_node, session_id});
}

namespace {

struct redis_notices final : lease_subscription {
  explicit redis_notices(std::unique_ptr<redis_subscriber> s)
    : subscriber(std::move(s)) {}
  std::unique_ptr<redis_subscriber> subscriber;
};

} // namespace

std::unique_ptr<lease_subscription>
redis_lease_store::subscribe(const std::string& node_id,
                             std::function<void(const std::string&)> on_taken) {
  return std::make_unique<redis_notices>(std::make_unique<redis_subscriber>(
      redis_.url(), notice_prefix + node_id, std::move(on_taken),
      redis_.timeout()));
}

} // namespace tryon::persistence
