#pragma once

#include <string>
#include <unordered_map>

#include <caf/actor.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/session_actor.hpp"

namespace tryon::actors {

/// The node's live sessions: one actor per session id. Attaching a client
/// spawns the session's actor or hands the client to the existing one
/// (which closes the older connection with 4009).
///
///   gateway -> registry  (attach_atom, session_info, peer, counters)
///                        -> (caf::actor session, generation)
///   anyone -> registry   (count_atom) -> live sessions
///   anyone -> registry   (shutdown_atom): every session closes with 1001
///   anyone -> registry   (get_stats_atom, ...) forwarded where useful
///   registry -> keeper   (lease_hold_atom | lease_drop_atom, id) as session
///                        actors start and end (lease_keeper.hpp)
///   keeper -> registry   (lease_lost_atom, id): the session's actor gets
///                        moved_atom (closes 4009, another node has it)
struct session_registry_state {
  std::unordered_map<std::string, caf::actor> sessions;
  caf::actor lease_keeper; ///< may be null (no leases kept)
  std::uint64_t next_generation = 1;
  session_env env;
  bool shutting_down = false;
  static inline const char* name = "tryon-session-registry";
};

/// Behaviour of the registry.
caf::behavior
make_session_registry(caf::stateful_actor<session_registry_state>* self,
                      session_env env, caf::actor lease_keeper = {});

} // namespace tryon::actors
