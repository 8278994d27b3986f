#pragma once

#include "persistence/redis_client.hpp"
#include "persistence/session_lease_store.hpp"

namespace tryon::persistence {

/// session_lease_store over Redis, shared by every node: the lease of a
/// session is the key `tryon:lease:<session_id>` holding the owner's node
/// id, with a millisecond expiry. Compare-and-set steps run as Lua scripts,
/// so two nodes never both believe they hold a lease. Thread-safe.
class redis_lease_store final : public session_lease_store {
public:
  /// Key prefix of every lease.
  static constexpr const char* key_prefix = "tryon:lease:";
  /// Pub/sub channel prefix of take-over notices, one channel per node.
  static constexpr const char* notice_prefix = "tryon:lease-taken:";

  explicit redis_lease_store(
      std::string redis_url,
      std::chrono::milliseconds timeout = std::chrono::seconds(1));

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
  /// Listens on `tryon:lease-taken:<node_id>` with a connection of its own.
  std::unique_ptr<lease_subscription>
  subscribe(const std::string& node_id,
            std::function<void(const std::string&)> on_taken) override;

private:
  redis_client redis_;
};

} // namespace tryon::persistence
