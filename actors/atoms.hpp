#pragma once

// Every message type the actors exchange, in one place.
//
// Session <-> AI link (link = ai_link actor):
//   session -> link  (ai_open_atom, session_id, nail_url, post_id, self)
//                    post_id: std::optional<std::int64_t>
//   link -> session  (ai_ready_atom)                 AI session initialised
//   link -> session  (ai_failed_atom, protocol::error_code, message)
//                                                    init failed
//   link -> session  (ai_bind_atom, ai_binding)      channel to write frames
//                                                    to (see ai_routes.hpp)
//   link -> session  (ai_lost_atom)                  that channel went down
//   gate -> session  (ai_slot_atom, gate id, ticket) an AI credit of the
//                                                    channel is the
//                                                    session's now (sent by
//                                                    whoever freed it:
//                                                    credit_gate.hpp)
//   session -> channel  frame_message (ai_channel::send_binary, no actor)
//   channel -> session  (ai_result_atom, ai_result)  processed frame, sent
//                                                    by the network thread
//   link -> session  (ai_frame_err_atom, sequence, protocol::error_code,
//                     message)
//   link -> session  (ai_down_atom)                  AI away past the grace
//   session -> link  (ai_close_atom, session_id)
//   anyone -> link   (get_stats_atom) -> std::string (JSON)
//   anyone -> link   (ai_ready_q_atom) -> bool        a channel is up

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "actors/ports.hpp"
#include "protocol/error_code.hpp"

namespace tryon::actors {

using ai_open_atom = caf::atom_constant<caf::atom("ai_open")>;
using ai_ready_atom = caf::atom_constant<caf::atom("ai_ready")>;
using ai_failed_atom = caf::atom_constant<caf::atom("ai_failed")>;
using ai_bind_atom = caf::atom_constant<caf::atom("ai_bind")>;
using ai_lost_atom = caf::atom_constant<caf::atom("ai_lost")>;
using ai_slot_atom = caf::atom_constant<caf::atom("ai_slot")>;
using ai_result_atom = caf::atom_constant<caf::atom("ai_result")>;
using ai_frame_err_atom = caf::atom_constant<caf::atom("ai_frerr")>;
using ai_down_atom = caf::atom_constant<caf::atom("ai_down")>;
using ai_close_atom = caf::atom_constant<caf::atom("ai_close")>;
/// session -> link (ai_forget_atom, session_id): like ai_close, but the AI
/// service is not told: the session lives on at another node, which may
/// share this AI service.
using ai_forget_atom = caf::atom_constant<caf::atom("ai_forget")>;
using get_stats_atom = caf::atom_constant<caf::atom("get_stats")>;
/// Asks the AI link whether at least one channel is up (answers bool).
using ai_ready_q_atom = caf::atom_constant<caf::atom("ai_up_q")>;

// Link-internal (channel events turned into messages).
using chan_open_atom = caf::atom_constant<caf::atom("ch_open")>;
using chan_text_atom = caf::atom_constant<caf::atom("ch_text")>;
using chan_down_atom = caf::atom_constant<caf::atom("ch_down")>;
using reconnect_atom = caf::atom_constant<caf::atom("reconnect")>;
using grace_atom = caf::atom_constant<caf::atom("grace")>;
/// link -> itself (init_tmo_atom, session_id, init token): the AI did not
/// answer that init_session in time.
using init_tmo_atom = caf::atom_constant<caf::atom("init_tmo")>;

/// Shared, immutable bytes of one WebSocket message (a frame travels
/// between actors without copies).
using shared_bytes = std::shared_ptr<const std::string>;

/// A processed frame from the AI service.
struct ai_result {
  std::int64_t sequence = 0;
  double confidence = 0;
  double processing_time_ms = 0;
  std::string format;
  shared_bytes message; ///< the whole AI message; the image starts at 1024
};

} // namespace tryon::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tryon::actors::shared_bytes)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tryon::actors::ai_result)
// Errors between actors are the protocol's codes, not strings; a post id
// may be absent.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tryon::protocol::error_code)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::optional<std::int64_t>)
