#pragma once

#include <chrono>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace tryon::persistence {

/// Per-node figures shared by the nodes of one deployment (Redis), so any
/// node's stats endpoint can show all of them. Throws store_error.
class node_stats_store {
public:
  virtual ~node_stats_store() = default;

  /// Publishes `node_id`'s figures; they vanish after `ttl` unless
  /// published again (a dead node drops out on its own).
  virtual void publish(const std::string& node_id,
                       const nlohmann::json& figures,
                       std::chrono::seconds ttl) = 0;

  /// Every live node's figures, by node id.
  virtual std::map<std::string, nlohmann::json> read_all() = 0;

  /// Withdraws `node_id`'s figures (a clean shutdown).
  virtual void remove(const std::string& node_id) = 0;
};

} // namespace tryon::persistence
