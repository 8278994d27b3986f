#pragma once

// The expiry supervisor's periodic sweep. Each session actor closes its own
// client at expires_at (SESSION_EXPIRED, 4008, `completed`); the sweep
// catches the rest: sessions nobody connected to, and sessions whose node
// died. It never touches the frame path.
//
//   sweeper -> sweeper  (sweep_atom)     every interval, first one at once
//   anyone -> sweeper   (shutdown_atom)  quit

#include <chrono>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>

#include "actors/session_atoms.hpp"
#include "metrics/node_metrics.hpp"
#include "persistence/session_store.hpp"

namespace tryon::actors {

using sweep_atom = caf::atom_constant<caf::atom("sweep")>;

/// Behaviour of the sweeper; spawn it detached (it blocks on the
/// database). Calls `sessions->complete_expired(now)` every `interval`;
/// `metrics` may be null.
caf::behavior make_expiry_sweeper(caf::event_based_actor* self,
                                  persistence::session_store* sessions,
                                  std::chrono::milliseconds interval,
                                  metrics::node_metrics* metrics);

} // namespace tryon::actors
