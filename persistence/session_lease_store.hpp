#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace tryon::persistence {

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
};

} // namespace tryon::persistence
