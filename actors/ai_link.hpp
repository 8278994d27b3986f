#pragma once

// The AI link actor: multiplexes every session's AI traffic over a pool of
// WebSocket channels to the AI service (PROTOCOL.md section 4).
//
//   session --ai_open/ai_frame/ai_close--> ai_link --text/binary--> channel i
//   session <--ai_ready/ai_failed/ai_result/ai_frame_err/ai_down-- ai_link
//   channel i --ch_open/ch_text/ch_bin/ch_down (anon_send)--> ai_link
//
// Handles, besides the session messages listed in atoms.hpp:
//   (get_stats_atom) -> std::string   counters as JSON
//   (ai_ready_q_atom) -> bool         at least one channel is up (/readyz)
// An exit message of any reason shuts the channels down and quits.

#include <caf/behavior.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/ai_link_state.hpp"

namespace tryon::actors {

/// Behavior of the AI link; creates `cfg.connections` channels with
/// `factory` and connects them. Spawn with
/// `sys.spawn(make_ai_link, cfg, factory)`.
caf::behavior make_ai_link(caf::stateful_actor<ai_link_state>* self,
                           ai_link_config cfg, ai_channel_factory factory);

} // namespace tryon::actors
