#pragma once

#include <chrono>
#include <map>
#include <mutex>

#include "persistence/node_stats_store.hpp"
#include "tests/fakes/fault_switch.hpp"

namespace tryon::fakes {

/// In-memory node_stats_store; entries expire after their TTL (steady
/// clock), as Redis keys would.
class fake_node_stats_store final : public persistence::node_stats_store,
                                    public fault_switch {
public:
  /// See node_stats_store.
  void publish(const std::string& node_id, const nlohmann::json& figures,
               std::chrono::seconds ttl) override;

  /// See node_stats_store.
  std::map<std::string, nlohmann::json> read_all() override;

  /// See node_stats_store.
  void remove(const std::string& node_id) override;

private:
  struct entry {
    nlohmann::json figures;
    std::chrono::steady_clock::time_point expires;
  };
  std::mutex mu_;
  std::map<std::string, entry> nodes_;
};

} // namespace tryon::fakes
