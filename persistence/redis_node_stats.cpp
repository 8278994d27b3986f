#include "persistence/redis_node_stats.hpp"

#include <vector>

#include <hiredis/hiredis.h>

#include "persistence/store_error.hpp"

namespace tryon::persistence {

redis_node_stats::redis_node_stats(std::string redis_url,
                                   std::chrono::milliseconds timeout)
  : redis_(std::move(redis_url), timeout) {}

redis_node_stats::~redis_node_stats() = default;

void redis_node_stats::publish(const std::string& node_id,
                               const nlohmann::json& figures,
                               std::chrono::seconds ttl) {
  redis_.run({"SET", key_prefix + node_id, figures.dump(), "EX",
              std::to_string(std::max<long long>(1, ttl.count()))});
}

std::map<std::string, nlohmann::json> redis_node_stats::read_all() {
  std::map<std::string, nlohmann::json> out;
  std::vector<std::string> keys;
  std::string cursor = "0";
  do {
    auto r = redis_.run({"SCAN", cursor, "MATCH", std::string(key_prefix) + "*",
                         "COUNT", "100"});
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 2)
      throw store_error("redis: unexpected SCAN reply");
    cursor = reply_text(r->element[0]);
    const redisReply* batch = r->element[1];
    for (std::size_t i = 0; i < batch->elements; ++i)
      keys.push_back(reply_text(batch->element[i]));
  } while (cursor != "0" && !cursor.empty());
  if (keys.empty())
    return out;
  std::vector<std::string> mget{"MGET"};
  mget.insert(mget.end(), keys.begin(), keys.end());
  auto r = redis_.run(mget);
  for (std::size_t i = 0; i < r->elements && i < keys.size(); ++i) {
    auto text = reply_text(r->element[i]);
    if (text.empty())
      continue; // expired between SCAN and MGET
    auto json = nlohmann::json::parse(text, nullptr, false);
    if (!json.is_discarded())
      out[keys[i].substr(std::char_traits<char>::length(key_prefix))] =
          std::move(json);
  }
  return out;
}

void redis_node_stats::remove(const std::string& node_id) {
  redis_.run({"DEL", key_prefix + node_id});
}

} // namespace tryon::persistence
