#pragma once

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>

#include "persistence/session_store.hpp"

namespace tryon::actors {

/// A detached actor (it blocks on the database) that writes session status
/// and stats off the frame path:
///   (p_status_atom, id, status), (p_stats_atom, id, stats JSON text),
///   (shutdown_atom): quits once every earlier write is done
caf::behavior make_persister(caf::event_based_actor* self,
                             persistence::session_store* sessions);

} // namespace tryon::actors
