#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

#include "persistence/session_lease_store.hpp"

namespace tryon::persistence {

/// session_lease_store in this process: enough for one node (nothing to
/// share), and the reference the Redis store is tested against.
/// Thread-safe.
class memory_lease_store final : public session_lease_store {
public:
  /// A source of "now" (steady); injectable so tests can move time.
  using clock_fn = std::function<std::chrono::steady_clock::time_point()>;

  explicit memory_lease_store(clock_fn now = std::chrono::steady_clock::now);

  std::optional<std::string> acquire(const std::string& session_id,
                                     const std::string& node_id,
                                     std::chrono::milliseconds ttl) override;
  std::vector<std::string> renew(const std::vector<std::string>& session_ids,
                                 const std::string& node_id,
                                 std::chrono::milliseconds ttl) override;
  void release(const std::string& session_id,
               const std::string& node_id) override;
  std::optional<std::string> owner(const std::string& session_id) override;
  void notify_taken(const std::string& owner_node,
                    const std::string& session_id) override;
  std::unique_ptr<lease_subscription>
  subscribe(const std::string& node_id,
            std::function<void(const std::string&)> on_taken) override;

private:
  struct subscription;
  struct subscriber {
    std::string node;
    std::function<void(const std::string&)> on_taken;
  };

  struct lease {
    std::string node;
    std::chrono::steady_clock::time_point expires;
  };
  /// The live lease of `session_id` (expired ones are erased); null if none.
  lease* live(const std::string& session_id);

  clock_fn now_;
  std::mutex mu_;
  std::map<std::string, lease> leases_;
  // Its own lock: handlers run under it (so none runs after its
  // subscription is gone) and may still take, renew or release leases
  // (not notify or subscribe, which need this lock).
  std::mutex subscribers_mu_;
  std::map<std::uint64_t, subscriber> subscribers_;
  std::uint64_t next_subscriber_ = 0;
};

} // namespace tryon::persistence
