#include "actors/session_actor.hpp"

#include <cstring>

#include <caf/event_based_actor.hpp>
#include <spdlog/spdlog.h>

#include "protocol/ai_message.hpp"
#include "protocol/client_frame.hpp"
#include "protocol/client_message.hpp"
#include "protocol/close_codes.hpp"
#include "protocol/frame_header.hpp"

namespace tryon::actors {

namespace {

using clock = std::chrono::steady_clock;
using protocol::error_code;

double ms_between(clock::time_point a, clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

void send_error(session_actor* self, error_code code,
                const std::string& message) {
  auto& st = self->state;
  st.stats.errors[std::string{protocol::to_string(code)}]++;
  if (st.peer)
    st.peer->send_text(
        protocol::error_message(code, message, protocol::now_ms()));
}

void persist_status(session_actor* self, const char* status) {
  self->send(self->state.env.persister, p_status_atom::value,
             self->state.info.id, std::string{status});
}

void persist_stats(session_actor* self) {
  auto& st = self->state;
  auto json = st.stats.to_json(st.pipeline.accepted(), st.pipeline.delivered(),
                               st.pipeline.dropped());
  self->send(st.env.persister, p_stats_atom::value, st.info.id, json.dump());
}

// Ends the session: tells the AI, writes final status and stats, quits.
void finish(session_actor* self, std::optional<std::uint16_t> close_code) {
  auto& st = self->state;
  if (st.phase != session_phase::waiting_init)
    self->send(st.env.ai_link, ai_close_atom::value, st.info.id);
  persist_status(self, st.failed ? "error" : "completed");
  persist_stats(self);
  if (st.peer && close_code)
    st.peer->close(*close_code);
  st.peer.reset();
  self->quit();
}

void dispatch_to_ai(
    session_actor* self,
    std::optional<frame_pipeline<pending_frame, pending_result>::dispatch> d) {
  if (!d)
    return;
  auto& st = self->state;
  d->frame.sent = clock::now();
  self->send(st.env.ai_link, ai_frame_atom::value, st.info.id, d->sequence,
             d->frame.message);
  self->delayed_send(self, st.env.frame_timeout, frame_tmo_atom::value,
                     d->sequence);
}

void deliver(session_actor* self) {
  auto& st = self->state;
  if (!st.peer)
    return;
  std::int64_t dropped = 0;
  auto r = st.pipeline.take_delivery(dropped);
  if (!r)
    return;
  auto meta = protocol::processed_frame(r->result.sequence, protocol::now_ms(),
                                        r->result.processing_time_ms,
                                        r->result.confidence, "jpeg", dropped);
  st.peer->send_frame(std::move(meta), r->result.message,
                      protocol::frame_header_size);
  st.stats.end_to_end.add(ms_between(r->received, clock::now()));
  st.last_delivered = std::move(*r);
}

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

void on_binary(session_actor* self, std::string& message) {
  auto& st = self->state;
  if (st.counters)
    st.counters->pending--;
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

void on_text(session_actor* self, const std::string& text);

} // namespace

caf::behavior make_session(session_actor* self, session_info info,
                           session_env env) {
  auto& st = self->state;
  st.info = std::move(info);
  st.env = std::move(env);
  auto remaining = std::chrono::microseconds{
      st.info.expires_at_us -
      std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count()};
  self->delayed_send(self, std::max(remaining, std::chrono::microseconds{0}),
                     expire_atom::value);
  self->delayed_send(self, st.env.stats_interval, stats_tick_atom::value);
  return {
      [=](attach_atom, peer_ptr& peer, counters_ptr& counters,
          std::uint64_t gen) {
        auto& s = self->state;
        // A newer connection replaces the older one: 4009, no reconnect.
        if (s.peer)
          s.peer->close(protocol::close_code::replaced);
        s.peer = std::move(peer);
        s.counters = std::move(counters);
        s.shed_seen = 0;
        s.generation = gen;
        // The new client's writer is idle: nothing of the old one is pending.
        s.pipeline.on_written();
      },
      [=](cl_text_atom, std::uint64_t gen, const std::string& text) {
        if (gen == self->state.generation)
          on_text(self, text);
      },
      [=](cl_bin_atom, std::uint64_t gen, std::string& message) {
        if (gen == self->state.generation)
          on_binary(self, message);
      },
      [=](cl_big_atom, std::uint64_t gen, std::uint64_t size) {
        if (gen != self->state.generation)
          return;
        self->state.stats.frames_rejected++;
        send_error(self, error_code::frame_too_large,
                   "Frame of " + std::to_string(size) +
                       " bytes exceeds the limit of " +
                       std::to_string(self->state.env.max_frame_size));
      },
      [=](cl_wrote_atom, std::uint64_t gen) {
        if (gen != self->state.generation)
          return;
        self->state.pipeline.on_written();
        deliver(self);
      },
      [=](cl_closed_atom, std::uint64_t gen) {
        if (gen == self->state.generation)
          finish(self, std::nullopt);
      },
      [=](ai_ready_atom) {
        auto& s = self->state;
        if (s.phase != session_phase::opening)
          return;
        s.phase = session_phase::streaming;
        s.paused = false;
        persist_status(self, "active");
        if (s.peer)
          s.peer->send_text(protocol::session_ready(
              s.info.id, s.info.nail_reference_url, s.info.mode, s.env.stream,
              protocol::now_ms()));
      },
      [=](ai_failed_atom, const std::string& code, const std::string& message) {
        auto& s = self->state;
        if (s.phase != session_phase::opening)
          return;
        if (code == "AI_SERVICE_UNAVAILABLE") {
          s.failed = true;
          send_error(self, error_code::ai_service_unavailable, message);
          return finish(self, protocol::close_code::internal_error);
        }
        s.phase = session_phase::waiting_init;
        send_error(self, error_code::init_failed, message);
      },
      [=](ai_result_atom, ai_result& r) {
        auto& s = self->state;
        auto seq = r.sequence;
        auto now = clock::now();
        // The in-flight frame's send time is not kept per sequence; the AI
        // reports its own processing time and we measure the round trip here.
        s.stats.processing.add(r.processing_time_ms);
        auto next =
            s.pipeline.on_result(seq, pending_result{std::move(r), now});
        dispatch_to_ai(self, std::move(next));
        deliver(self);
      },
      [=](ai_frame_err_atom, std::int64_t seq, const std::string& code,
          const std::string& message) {
        auto& s = self->state;
        if (s.pipeline.in_flight() != seq)
          return;
        if (code != "AI_SERVICE_UNAVAILABLE")
          send_error(self, error_code::frame_processing_failed, message);
        dispatch_to_ai(self, s.pipeline.on_failure(seq));
        deliver(self);
      },
      [=](frame_tmo_atom, std::int64_t seq) {
        auto& s = self->state;
        if (s.pipeline.in_flight() != seq)
          return;
        send_error(self, error_code::frame_processing_failed,
                   "AI service did not answer frame " + std::to_string(seq) +
                       " in time");
        dispatch_to_ai(self, s.pipeline.on_failure(seq));
        deliver(self);
      },
      [=](ai_down_atom) {
        self->state.failed = true;
        send_error(self, error_code::ai_service_unavailable,
                   "AI service unavailable");
        finish(self, protocol::close_code::internal_error);
      },
      [=](expire_atom) {
        send_error(self, error_code::session_expired, "Session expired");
        finish(self, protocol::close_code::expired);
      },
      [=](stats_tick_atom) {
        persist_stats(self);
        self->delayed_send(self, self->state.env.stats_interval,
                           stats_tick_atom::value);
      },
      [=](capture_ok_atom, std::int64_t try_on_id) {
        if (self->state.peer)
          self->state.peer->send_text(
              protocol::frame_saved(try_on_id, protocol::now_ms()));
      },
      [=](capture_fail_atom, const std::string& message) {
        send_error(self, error_code::processing_failed,
                   "Capture failed: " + message);
      },
      [=](shutdown_atom) { finish(self, protocol::close_code::going_away); },
      [=](get_stats_atom) {
        auto& s = self->state;
        return s.stats
            .to_json(s.pipeline.accepted(), s.pipeline.delivered(),
                     s.pipeline.dropped())
            .dump();
      },
  };
}

namespace {

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
               st.info.nail_reference_url, st.info.post_id.value_or(-1),
               caf::actor{self});
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
  // capture
  if (st.phase != session_phase::streaming)
    return send_error(self, error_code::not_initialized,
                      "Send init_session before capture");
  if (!st.last_delivered)
    return send_error(self, error_code::nothing_to_capture,
                      "No processed frame to capture yet");
  if (!st.env.capture)
    return send_error(self, error_code::processing_failed,
                      "Capture is not available");
  self->send(st.env.capture, capture_req_atom::value, st.info.id,
             st.info.user_id, st.info.post_id.value_or(-1),
             st.last_delivered->result, caf::actor{self});
}

} // namespace

} // namespace tryon::actors
