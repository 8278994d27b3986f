#include "tests/fakes/fake_node_stats_store.hpp"

namespace tryon::fakes {

void fake_node_stats_store::publish(const std::string& node_id,
                                    const nlohmann::json& figures,
                                    std::chrono::seconds ttl) {
  check("publish");
  std::lock_guard<std::mutex> guard{mu_};
  nodes_[node_id] = {figures, std::chrono::steady_clock::now() + ttl};
}

std::map<std::string, nlohmann::json> fake_node_stats_store::read_all() {
  check("read_all");
  std::lock_guard<std::mutex> guard{mu_};
  std::map<std::string, nlohmann::json> out;
  auto now = std::chrono::steady_clock::now();
  for (const auto& [id, e] : nodes_)
    if (e.expires > now)
      out[id] = e.figures;
  return out;
}

void fake_node_stats_store::remove(const std::string& node_id) {
  check("remove");
  std::lock_guard<std::mutex> guard{mu_};
  nodes_.erase(node_id);
}

} // namespace tryon::fakes
