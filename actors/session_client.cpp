// The session actor's handling of client messages (text and binary).

#include <cstring>

#include <caf/event_based_actor.hpp>

#include "actors/session_ops.hpp"
#include "protocol/client_frame.hpp"
#include "protocol/client_message.hpp"
#include "protocol/frame_header.hpp"
#include "protocol/server_message.hpp"

namespace tryon::actors::session_ops {

namespace {

using clock = std::chrono::steady_clock;
using protocol::error_code;

/// Frames the transport shed count as received, accepted and dropped.
void fold_in_shed(session_actor* self) {
  auto& st = self->state;
  if (!st.counters)
    return;
  auto shed = st.counters->shed.load();
  if (shed > st.shed_seen) {
    st.stats.frames_received += shed - st.shed_seen;
    st.pipeline.on_shed(shed - st.shed_seen);
    st.shed_seen = shed;
  }
}

void take_frame(session_actor* self, std::string& message) {
  auto& st = self->state;
  fold_in_shed(self);
  if (st.phase != session_phase::streaming) {
    st.stats.frames_rejected++;
    return send_error(self, error_code::not_initialized,
                      "Send init_session before frames");
  }
  auto header = protocol::decode_client_frame(message, st.env.max_frame_size);
  if (auto* err = std::get_if<protocol::parse_error>(&header)) {
    st.stats.frames_rejected++;
    return send_error(self, err->code, err->message);
  }
  st.stats.frames_received++;
  if (st.paused) {
    st.stats.frames_paused++;
    return;
  }
  const auto& h = std::get<protocol::client_frame_header>(header);
  // Rewrite the 1024-byte header in place: the image bytes are never copied.
  auto ai_header = protocol::encode_header_block(
      {{"session_id", st.info.id},
       {"sequence", h.sequence},
       {"timestamp", h.timestamp.value_or(protocol::now_ms())},
       {"format", h.format}});
  if (!ai_header)
    return send_error(self, error_code::invalid_frame_header,
                      "Header too long");
  std::memcpy(message.data(), ai_header->data(), protocol::frame_header_size);
  pending_frame f{std::make_shared<const std::string>(std::move(message)),
                  clock::now(),
                  {}};
  dispatch_to_ai(self, st.pipeline.on_frame(h.sequence, std::move(f)));
}

void capture(session_actor* self) {
  auto& st = self->state;
  if (st.phase != session_phase::streaming)
    return send_error(self, error_code::not_initialized,
                      "Send init_session before capture");
  if (!st.last_delivered)
    return send_error(self, error_code::nothing_to_capture,
                      "No processed frame to capture yet");
  if (!st.env.capture)
    return send_error(self, error_code::processing_failed,
                      "Capture is not available");
  if (st.env.capture_limit) {
    auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                      clock::now().time_since_epoch())
                      .count();
    auto d = persistence::bucket_take(st.capture_bucket, *st.env.capture_limit,
                                      1, now_us);
    if (!d.allowed)
      return send_rate_limited(self, "Too many captures", d.retry_after_s);
  }
  auto seq = st.last_delivered->result.sequence;
  // The same frame again: stored once, every capture answered alike.
  if (st.last_saved && st.last_saved->first == seq) {
    if (st.peer)
      st.peer->send_text(
          protocol::frame_saved(st.last_saved->second, protocol::now_ms()));
    return;
  }
  if (auto it = st.captures_owed.find(seq); it != st.captures_owed.end()) {
    it->second++;
    return;
  }
  st.captures_owed[seq] = 1;
  st.captures_pending++;
  self->send(st.env.capture, capture_req_atom::value, st.info.id,
             st.info.user_id, st.info.post_id, st.last_delivered->result,
             caf::actor{self});
}

} // namespace

void on_binary(session_actor* self, std::string& message) {
  auto& st = self->state;
  // The newest frame of a burst the transport kept aside (ports.hpp).
  std::optional<std::string> newest;
  if (st.counters)
    newest = st.counters->taken();
  if (!st.stats_timer_armed) {
    st.stats_timer_armed = true;
    self->delayed_send(self, st.env.stats_interval, stats_tick_atom::value);
  }
  take_frame(self, message);
  if (newest)
    take_frame(self, *newest);
  publish_counts(self);
}

void on_text(session_actor* self, const std::string& text) {
  auto& st = self->state;
  auto parsed = protocol::parse_client_message(text);
  if (auto* err = std::get_if<protocol::parse_error>(&parsed))
    return send_error(self, err->code, err->message);
  auto& msg = std::get<protocol::client_message>(parsed);
  if (auto* ping = std::get_if<protocol::ping_msg>(&msg)) {
    if (st.peer)
      st.peer->send_text(protocol::pong(ping->timestamp));
    return;
  }
  if (std::holds_alternative<protocol::init_session_msg>(msg)) {
    if (st.phase == session_phase::streaming) {
      // A reconnected client re-inits: the AI session is still open.
      if (st.peer)
        st.peer->send_text(protocol::session_ready(
            st.info.id, st.info.nail_reference_url, st.info.mode, st.env.stream,
            protocol::now_ms()));
      return;
    }
    if (st.phase == session_phase::opening)
      return;
    st.phase = session_phase::opening;
    self->send(st.env.ai_link, ai_open_atom::value, st.info.id,
               st.info.nail_reference_url, st.info.post_id, caf::actor{self});
    return;
  }
  if (auto* ctl = std::get_if<protocol::control_msg>(&msg)) {
    if (st.phase != session_phase::streaming)
      return send_error(self, error_code::not_initialized,
                        "Send init_session before control");
    st.paused = ctl->act == protocol::control_msg::action::pause;
    persist_status(self, st.paused ? "paused" : "active");
    return;
  }
  capture(self);
}

} // namespace tryon::actors::session_ops
