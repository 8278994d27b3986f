#pragma once

// The AI link actor: multiplexes every session's AI session over a pool of
// WebSocket channels to the AI service (docs/protocol.md, section 4). It
// carries the control traffic only: frames and processed frames bypass it
// (ai_routes.hpp; docs/ARCHITECTURE.md, "Frame walk"). Names below are the
// atoms of atoms.hpp without "_atom".
//
// clang-format off
//   control, through this actor:
//   session --ai_open/ai_close/ai_forget--> ai_link
//   ai_link --init_session/close_session (ai_channel::send_text)--> channel i
//   channel i --ai_events on_open/on_text/on_down (network thread)-->
//             chan_open/chan_text/chan_down (anon_send)--> ai_link
//   ai_link --ai_bind/ai_lost/ai_ready/ai_failed/ai_frame_err/ai_down-->
//           session   (ai_frame_err: the AI's frame_error text replies)
//
//   frames, not through this actor:
//   session --ai_channel::send_binary--> channel i   (the one ai_bind named)
//   channel i --ai_events on_binary--> route_ai_reply (network thread)
//             --ai_result, to the actor ai_routes names--> session
// clang-format on
//
// Handles, besides the session messages listed in atoms.hpp:
//   (get_stats_atom) -> std::string   counters as JSON
//   (ai_ready_q_atom) -> bool         at least one channel is up (/readyz)
// Monitors the session actors it carries: one that terminates without
// ai_close is closed at the AI. An exit message of any reason shuts the
// channels down and quits.

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
