#pragma once

#include <chrono>

#include "persistence/node_stats_store.hpp"
#include "persistence/redis_client.hpp"

namespace tryon::persistence {

/// node_stats_store over Redis: one JSON string per node under
/// `tryon:node:<node_id>` with an expiry. Blocking (hiredis, redis_client).
/// Thread-safe.
class redis_node_stats final : public node_stats_store {
public:
  /// Key prefix of every node's figures.
  static constexpr const char* key_prefix = "tryon:node:";

  /// Talks to `redis_url`; connects on first use.
  explicit redis_node_stats(
      std::string redis_url,
      std::chrono::milliseconds timeout = std::chrono::seconds(1));
  ~redis_node_stats() override;

  /// See node_stats_store.
  void publish(const std::string& node_id, const nlohmann::json& figures,
               std::chrono::seconds ttl) override;

  /// See node_stats_store.
  std::map<std::string, nlohmann::json> read_all() override;

  /// See node_stats_store.
  void remove(const std::string& node_id) override;

private:
  redis_client redis_;
};

} // namespace tryon::persistence
