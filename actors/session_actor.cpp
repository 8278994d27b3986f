#include "actors/session_actor.hpp"

#include <caf/event_based_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/session_ops.hpp"
#include "protocol/close_codes.hpp"
#include "protocol/server_message.hpp"

namespace tryon::actors {

using namespace session_ops;

namespace {

using protocol::error_code;

// How long a shutdown waits for pending captures' answers before closing.
constexpr auto capture_wait = std::chrono::seconds(3);

/// Node shutdown (drain): every capture is answered, the figures are
/// written, but the session is not ended: its status stays, the lease keeper
/// releases its lease, and the client is told to reconnect (1012), which
/// lands it on another node (or on this one once restarted).
void hand_off(session_actor* self) {
  persist_stats(self, true);
  finish(self, protocol::close_code::service_restart, false);
}

/// A capture was answered; finishes a shutdown that was waiting for it.
void capture_answered(session_actor* self) {
  auto& st = self->state;
  if (st.captures_pending > 0)
    st.captures_pending--;
  if (st.closing && st.captures_pending == 0)
    hand_off(self);
}

/// How many capture messages the answer for frame `seq` is owed to.
int take_owed(session_actor* self, std::int64_t seq) {
  auto& owed = self->state.captures_owed;
  auto it = owed.find(seq);
  if (it == owed.end())
    return 1;
  int n = it->second;
  owed.erase(it);
  return n;
}

/// The session's start: expiry and stats timers, metrics.
void start(session_actor* self, session_info info, session_env env) {
  auto& st = self->state;
  st.info = std::move(info);
  st.env = std::move(env);
  st.gauge.start(st.env.metrics);
  auto remaining = std::chrono::microseconds{
      st.info.expires_at_us -
      std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count()};
  self->delayed_send(self, std::max(remaining, std::chrono::microseconds{0}),
                     expire_atom::value);
  // The stats tick is armed by the first frame (session_client.cpp), not
  // here: an idle session has no timer to wake (docs/PERFORMANCE.md).
}

} // namespace

caf::behavior make_session(session_actor* self, session_info info,
                           session_env env) {
  start(self, std::move(info), std::move(env));
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
        s.writing_since.reset();
        return true; // the registry waits for this: the connection is taken
      },
      [=](cl_text_atom, std::uint64_t gen, const std::string& text) {
        if (gen == self->state.generation && !self->state.closing)
          on_text(self, text);
      },
      [=](cl_bin_atom, std::uint64_t gen, std::string& message) {
        auto& s = self->state;
        if (gen != s.generation)
          return;
        if (!s.closing)
          return on_binary(self, message);
        if (s.counters)
          s.counters->taken(); // closing: even the newest is not wanted
      },
      [=](cl_big_atom, std::uint64_t gen, std::uint64_t size) {
        auto& s = self->state;
        if (gen != s.generation || s.closing)
          return;
        s.stats.frames_rejected++;
        send_error(self, error_code::frame_too_large,
                   "Frame of " + std::to_string(size) +
                       " bytes exceeds the limit of " +
                       std::to_string(s.env.max_frame_size));
        publish_counts(self);
      },
      [=](cl_wrote_atom, std::uint64_t gen) {
        // Only sent when we hold a result for the writer (ports.hpp).
        if (gen == self->state.generation)
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
      [=](ai_failed_atom, protocol::error_code code,
          const std::string& message) {
        auto& s = self->state;
        if (s.phase != session_phase::opening)
          return;
        if (code == error_code::ai_service_unavailable) {
          s.failed = true;
          send_error(self, error_code::ai_service_unavailable, message);
          return finish(self, protocol::close_code::internal_error);
        }
        s.phase = session_phase::waiting_init;
        send_error(self, error_code::init_failed, message);
      },
      [=](ai_bind_atom, ai_binding& b) {
        settle_in_flight(self); // counted on the old binding's routes
        self->state.ai = std::move(b);
      },
      [=](ai_lost_atom) {
        // The channel went down with our frame (if any) in flight: it will
        // not be answered. Frames fail at once until the link binds again.
        auto& s = self->state;
        settle_in_flight(self);
        s.ai = {};
        if (auto seq = s.pipeline.in_flight())
          dispatch_to_ai(self, s.pipeline.on_failure(*seq));
        deliver(self);
      },
      [=](ai_result_atom, ai_result& r) { on_result(self, r); },
      [=](ai_frame_err_atom, std::int64_t seq, protocol::error_code code,
          const std::string& message) {
        auto& s = self->state;
        if (s.pipeline.in_flight() != seq)
          return;
        settle_in_flight(self);
        if (code != error_code::ai_service_unavailable)
          send_error(self, error_code::frame_processing_failed, message);
        dispatch_to_ai(self, s.pipeline.on_failure(seq));
        deliver(self);
      },
      [=](frame_tmo_atom, std::int64_t) {
        auto& s = self->state;
        s.frame_timer_armed = false;
        auto in_flight = s.pipeline.in_flight();
        if (!in_flight)
          return;
        auto seq = *in_flight;
        auto due = s.in_flight_sent + s.env.frame_timeout;
        auto now = std::chrono::steady_clock::now();
        if (now < due) { // a later frame: wait for its own deadline
          s.frame_timer_armed = true;
          self->delayed_send(
              self,
              std::chrono::duration_cast<std::chrono::microseconds>(due - now),
              frame_tmo_atom::value, seq);
          return;
        }
        settle_in_flight(self);
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
        // Re-armed by the next frame: a session that stopped streaming
        // stops ticking (its final stats are written by finish()).
        self->state.stats_timer_armed = false;
        persist_stats(self);
      },
      [=](capture_ok_atom, std::int64_t try_on_id, std::int64_t seq) {
        auto owed = take_owed(self, seq);
        self->state.last_saved = std::make_pair(seq, try_on_id);
        for (int i = 0; i < owed && self->state.peer; ++i)
          self->state.peer->send_text(
              protocol::frame_saved(try_on_id, protocol::now_ms()));
        capture_answered(self);
      },
      [=](capture_fail_atom, const std::string& message, std::int64_t seq) {
        auto owed = take_owed(self, seq);
        for (int i = 0; i < owed; ++i)
          send_error(self, error_code::processing_failed,
                     "Capture failed: " + message);
        capture_answered(self);
      },
      [=](capture_limited_atom, std::int64_t retry_ms, std::int64_t seq) {
        auto owed = take_owed(self, seq);
        for (int i = 0; i < owed; ++i)
          send_rate_limited(self, "Too many captures waiting to be saved",
                            static_cast<double>(retry_ms) / 1000.0);
        capture_answered(self);
      },
      [=](shutdown_atom) {
        auto& s = self->state;
        if (s.captures_pending == 0)
          return hand_off(self);
        s.closing = true;
        spdlog::debug("session {}: closing after {} pending capture(s)",
                      s.info.id, s.captures_pending);
        self->delayed_send(self, capture_wait, cap_wait_atom::value);
      },
      [=](cap_wait_atom) { hand_off(self); },
      [=](moved_atom) {
        spdlog::debug("session {}: moved to another node", self->state.info.id);
        finish(self, protocol::close_code::replaced, false);
      },
      [=](get_stats_atom) {
        auto& s = self->state;
        return s.stats
            .to_json(s.pipeline.accepted(), s.pipeline.delivered(),
                     s.pipeline.dropped())
            .dump();
      },
  };
}

} // namespace tryon::actors
