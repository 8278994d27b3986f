#include "persistence/memory_lease_store.hpp"

namespace tryon::persistence {

memory_lease_store::memory_lease_store(clock_fn now) : now_(std::move(now)) {}

memory_lease_store::lease*
memory_lease_store::live(const std::string& session_id) {
  auto it = leases_.find(session_id);
  if (it == leases_.end())
    return nullptr;
  if (it->second.expires <= now_()) {
    leases_.erase(it);
    return nullptr;
  }
  return &it->second;
}

std::optional<std::string>
memory_lease_store::acquire(const std::string& session_id,
                            const std::string& node_id,
                            std::chrono::milliseconds ttl) {
  std::lock_guard<std::mutex> lock{mu_};
  std::optional<std::string> before;
  if (auto* l = live(session_id))
    before = l->node;
  leases_[session_id] = lease{node_id, now_() + ttl};
  return before;
}

std::vector<std::string>
memory_lease_store::renew(const std::vector<std::string>& session_ids,
                          const std::string& node_id,
                          std::chrono::milliseconds ttl) {
  std::lock_guard<std::mutex> lock{mu_};
  std::vector<std::string> moved;
  for (const auto& id : session_ids) {
    auto* l = live(id);
    if (l && l->node != node_id) {
      moved.push_back(id);
      continue;
    }
    leases_[id] = lease{node_id, now_() + ttl};
  }
  return moved;
}

void memory_lease_store::release(const std::string& session_id,
                                 const std::string& node_id) {
  std::lock_guard<std::mutex> lock{mu_};
  if (auto* l = live(session_id); l && l->node == node_id)
    leases_.erase(session_id);
}

std::optional<std::string>
memory_lease_store::owner(const std::string& session_id) {
  std::lock_guard<std::mutex> lock{mu_};
  if (auto* l = live(session_id))
    return l->node;
  return std::nullopt;
}

struct memory_lease_store::subscription final : lease_subscription {
  subscription(memory_lease_store& s, std::uint64_t t) : store(s), token(t) {}
  ~subscription() override {
    std::lock_guard<std::mutex> lock{store.subscribers_mu_};
    store.subscribers_.erase(token);
  }
  memory_lease_store& store;
  std::uint64_t token;
};

void memory_lease_store::notify_taken(const std::string& owner_node,
                                      const std::string& session_id) {
  std::lock_guard<std::mutex> lock{subscribers_mu_};
  for (auto& [token, s] : subscribers_)
    if (s.node == owner_node)
      s.on_taken(session_id);
}

std::unique_ptr<lease_subscription> memory_lease_store::subscribe(
    const std::string& node_id,
    std::function<void(const std::string&)> on_taken) {
  std::lock_guard<std::mutex> lock{subscribers_mu_};
  auto token = next_subscriber_++;
  subscribers_[token] = subscriber{node_id, std::move(on_taken)};
  return std::make_unique<subscription>(*this, token);
}

} // namespace tryon::persistence
