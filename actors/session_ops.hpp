#pragma once

// Internal to the session actor (session_actor.cpp, session_ops.cpp,
// session_client.cpp): the steps its handlers share.

#include <optional>
#include <string>

#include "actors/session_actor.hpp"
#include "protocol/error_code.hpp"

namespace tryon::actors::session_ops {

/// Sends an `error` message to the client and counts it.
void send_error(session_actor* self, protocol::error_code code,
                const std::string& message);

/// Asks the persister to write the session's status.
void persist_status(session_actor* self, const char* status);

/// RATE_LIMITED: "<what>: try again in N second(s)".
void send_rate_limited(session_actor* self, const std::string& what,
                       double retry_after_s);

/// Asks the persister to write the stats JSON; `final` counts frames still
/// in the pipeline as dropped (they will never be delivered).
void persist_stats(session_actor* self, bool final = false);

/// Tells the node metrics what changed since the last call.
void publish_counts(session_actor* self);

/// Ends the session: tells the AI, writes final status and stats (unless
/// `write_end` is false: the session moved to another node, whose actor
/// owns the row and the AI session now), closes the client with
/// `close_code` (if any), quits.
void finish(session_actor* self, std::optional<std::uint16_t> close_code,
            bool write_end = true);

/// Sends the frame the pipeline released (if any) to the AI channel the
/// session is bound to; a frame the channel refuses fails at once (and the
/// next waiting one is tried).
void dispatch_to_ai(
    session_actor* self,
    std::optional<frame_pipeline<pending_frame, pending_result>::dispatch> d);

/// The frame in flight got its answer, failed or was lost: takes it off
/// the link's in-flight gauge.
void settle_in_flight(session_actor* self);

/// Writes the next processed frame to the client if its writer is idle;
/// otherwise asks the transport for on_frame_written (ports.hpp).
void deliver(session_actor* self);

/// If the transport finished writing the last delivery: records its
/// end-to-end latency and frees the pipeline's writer.
void sync_writer(session_actor* self);

/// A processed frame from the AI link: measured, queued for the client, and
/// the next waiting frame sent.
void on_result(session_actor* self, ai_result& r);

/// A binary message from the client.
void on_binary(session_actor* self, std::string& message);

/// A text message from the client.
void on_text(session_actor* self, const std::string& text);

} // namespace tryon::actors::session_ops
