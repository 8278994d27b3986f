#pragma once

// The lease keeper: keeps this node's session leases alive in the store all
// nodes share (persistence/session_lease_store.hpp), so that a session lives
// on one node at a time behind a load balancer.
//
//   gateway (blocking pool): acquire(session, node) before attaching; a
//                            newer connection on another node takes the
//                            lease from us
//   registry -> keeper  (lease_hold_atom, id)   a session actor started here
//   registry -> keeper  (lease_drop_atom, id)   it ended: release
//   keeper -> keeper    (lease_tick_atom)        every ttl/3: renew all held
//   notices -> keeper   (lease_check_atom, id)   another node says it took
//                                                the session: renew it now
//   keeper -> registry  (lease_lost_atom, id)    another node holds it now:
//                                                its actor closes 4009 here
//   anyone -> keeper    (shutdown_atom)          release all, quit
//
// A newer connection on another node publishes a take-over notice to the
// old owner (session_lease_store::notify_taken); subscribe_notices() turns
// those into lease_check_atom, so the older connection closes at once. A
// lost notice costs only the wait until the next renewal.
//
// Detached: the store blocks (hiredis).

#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include <caf/actor.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "persistence/session_lease_store.hpp"

namespace tryon::actors {

/// Settings of the keeper.
struct lease_config {
  persistence::session_lease_store* store = nullptr;
  std::string node_id;
  std::chrono::milliseconds ttl{3000};
};

/// The keeper's state.
struct lease_keeper_state {
  lease_config cfg;
  caf::actor registry;          ///< who tells us; told of lost leases
  std::set<std::string> held;   ///< leases this node keeps alive
  bool store_down = false;      ///< the last store call failed (logged once)
  std::uint64_t renewals = 0;   ///< renew rounds done
  std::uint64_t moved_away = 0; ///< leases found held by another node
  std::uint64_t notices = 0;    ///< take-over notices checked
  static inline const char* name = "tryon-lease-keeper";
};

/// Behaviour of the keeper (spawn detached).
caf::behavior make_lease_keeper(caf::stateful_actor<lease_keeper_state>* self,
                                lease_config cfg);

/// Takes the lease of `session_id` for `cfg.node_id` (the gateway calls it
/// on the blocking pool before attaching a client). Taken from another
/// node, it is logged and that node is notified; a store that fails is
/// logged and the client served anyway (one node keeps working without
/// Redis).
void acquire_lease(const lease_config& cfg, const std::string& session_id);

/// Sends `keeper` a lease_check_atom for every take-over notice addressed
/// to `cfg.node_id`, until the subscription is destroyed (before the actor
/// system). Null without a store.
std::unique_ptr<persistence::lease_subscription>
subscribe_notices(const lease_config& cfg, caf::actor keeper);

} // namespace tryon::actors
