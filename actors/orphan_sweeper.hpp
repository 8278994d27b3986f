#pragma once

// Ends sessions whose node died. A node that crashes (kill -9, power loss)
// writes no end for its sessions: their rows stay `active` (or `paused`)
// while nobody serves them. Its leases expire after their TTL; a phone that
// reconnects to another node takes the session there (a new lease, a new
// `active`). The sweeper ends the rest: a session listed `active`/`paused`
// that has had no lease for a whole TTL, in two looks a TTL apart, and
// whose row did not change meanwhile, is marked `error` (PROTOCOL.md: a
// session that ended on an unrecoverable error). Every node runs one; the
// update is conditional, so two nodes ending the same session is harmless.
//
//   sweeper -> sweeper  (orphan_atom)    every TTL
//   anyone -> sweeper   (shutdown_atom)  quit
//
// A lease store that fails (Redis down) says nothing about who holds what:
// the sweeper then forgets what it saw and acts on nothing until two fresh
// looks agree again. Detached: it blocks on PostgreSQL and Redis.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/session_atoms.hpp"
#include "persistence/session_lease_store.hpp"
#include "persistence/session_store.hpp"

namespace tryon::actors {

using orphan_atom = caf::atom_constant<caf::atom("orphan")>;

/// Settings of the sweeper.
struct orphan_config {
  persistence::session_store* sessions = nullptr;
  persistence::session_lease_store* leases = nullptr;
  std::chrono::milliseconds ttl{3000}; ///< the lease TTL; also the period
  std::int64_t batch = 1000;           ///< sessions looked at per status
};

/// The sweeper's state.
struct orphan_sweeper_state {
  orphan_config cfg;
  /// Session -> (when first seen without a lease, its updated_at then).
  std::map<std::string,
           std::pair<std::chrono::steady_clock::time_point, std::int64_t>>
      unowned;
  std::uint64_t ended = 0;
  static inline const char* name = "tryon-orphan-sweeper";
};

/// Behaviour of the sweeper (spawn detached); the first look is at once.
caf::behavior
make_orphan_sweeper(caf::stateful_actor<orphan_sweeper_state>* self,
                    orphan_config cfg);

} // namespace tryon::actors
