#pragma once

#include <chrono>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

namespace tryon::apps {

/// The node's long-lived actors, in the order shutdown stops them.
struct node_actors {
  caf::actor registry;  ///< sessions: close 1001, final status and stats
  caf::actor leases;    ///< releases this node's session leases
  caf::actor capture;   ///< finishes every accepted capture
  caf::actor persister; ///< writes what the sessions sent last
  caf::actor stats;     ///< withdraws this node's figures
  caf::actor sweeper;   ///< expiry sweep
  caf::actor ai_link;   ///< closes the AI channels
  caf::actor orphans;   ///< ends sessions of dead nodes (stopped with sweeper)
};

/// Stops `a` in order, each step awaited (within a share of `budget`):
/// sessions first (they may still send captures and writes), then the
/// capture queue, the persister, the supervisors, the AI link. Returns
/// false if some step timed out.
bool shutdown_actors(caf::actor_system& sys, const node_actors& a,
                     std::chrono::milliseconds budget);

/// Waits until `who` has terminated, at most `deadline`; false on timeout.
bool await_down(caf::actor_system& sys, const caf::actor& who,
                std::chrono::milliseconds deadline);

} // namespace tryon::apps
