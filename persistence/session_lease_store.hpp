#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tryon::persistence {

/// Ends a subscription to take-over notices (session_lease_store::subscribe)
/// when destroyed.
class lease_subscription {
public:
  virtual ~lease_subscription() = default;
};

/// Which node owns each live session, shared by every node of a deployment:
/// a lease per session with a TTL, kept alive by its node while the session
/// lives there. A dead node's leases simply expire. The in-process store
/// (memory_lease_store) serves a single node and the tests; the Redis one
/// (redis_lease_store) serves several nodes behind a load balancer. Blocking;
/// throws store_error when the store is unreachable.
class session_lease_store {
public:
  virtual ~session_lease_store() = default;

  /// Gives the lease of `session_id` to `node_id` for `ttl`, whoever held
  /// it: a newer connection always wins (PROTOCOL.md, 4009). Returns the
  /// node that held a live lease before, if any (possibly `node_id`).
  virtual std::optional<std::string> acquire(const std::string& session_id,
                                             const std::string& node_id,
                                             std::chrono::milliseconds ttl) = 0;

  /// Extends by `ttl` each lease of `session_ids` that `node_id` still
  /// holds, or that lapsed with no new owner (it is taken back). Returns the
  /// sessions another node holds now: they moved away.
  virtual std::vector<std::string>
  renew(const std::vector<std::string>& session_ids, const std::string& node_id,
        std::chrono::milliseconds ttl) = 0;

  /// Ends the lease of `session_id` if `node_id` still holds it.
  virtual void release(const std::string& session_id,
                       const std::string& node_id) = 0;

  /// The node holding a live lease of `session_id`, if any.
  virtual std::optional<std::string> owner(const std::string& session_id) = 0;

  /// Tells `owner_node` that `session_id` was just taken from it, so that
  /// it closes its connection now instead of at its next renewal. Best
  /// effort: a notice that is lost only delays the move until then.
  virtual void notify_taken(const std::string& owner_node,
                            const std::string& session_id) = 0;

  /// Calls `on_taken(session_id)`, on a thread of the store's, for each
  /// notice sent to `node_id` until the subscription is destroyed. Notices
  /// are hints: check the lease (renew) before acting on one. The store
  /// must outlive the subscription.
  virtual std::unique_ptr<lease_subscription>
  subscribe(const std::string& node_id,
            std::function<void(const std::string&)> on_taken) = 0;
};

} // namespace tryon::persistence
