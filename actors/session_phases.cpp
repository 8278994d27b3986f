// The session actor's phases: one named behavior each, switched with
// `become` (the diagram is in session_actor.hpp). What a phase does with a
// message is written here; the steps it takes live in session_client.cpp,
// session_frames.cpp, session_captures.cpp and session_reports.cpp.

#include "actors/session_actor.hpp"

#include <variant>

#include <spdlog/spdlog.h>

#include "protocol/client_message.hpp"
#include "protocol/close_codes.hpp"

namespace tryon::actors {

namespace {

using protocol::capture_msg;
using protocol::control_msg;
using protocol::error_code;
using protocol::init_session_msg;

// How long a shutdown waits for pending captures' answers before closing.
constexpr auto capture_wait = std::chrono::seconds(3);

/// std::visit over lambdas, one per message type.
template <class... Fs>
struct overloaded : Fs... {
  using Fs::operator()...;
};
template <class... Fs>
overloaded(Fs...) -> overloaded<Fs...>;

} // namespace

caf::behavior session_state::start(session_info i, session_env e) {
  info = std::move(i);
  env = std::move(e);
  gauge.start(env.metrics);
  auto remaining = std::chrono::microseconds{
      info.expires_at_us -
      std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count()};
  self_->delayed_send(self_, std::max(remaining, std::chrono::microseconds{0}),
                      expire_atom::value);
  // The stats tick is armed by the first frame (session_client.cpp), not
  // here: an idle session has no timer to wake (docs/PERFORMANCE.md).
  return waiting_init();
}

// -- phases -----------------------------------------------------------------

caf::behavior session_state::waiting_init() {
  return client([this](std::string&) { reject_frame(); },
                overloaded{
                    [this](const init_session_msg& m) {
                      take_capabilities(m);
                      self_->send(env.ai_link, ai_open_atom::value, info.id,
                                  info.nail_reference_url, info.post_id,
                                  caf::actor{self_});
                      self_->become(opening());
                    },
                    [this](const control_msg&) { not_initialized("control"); },
                    [this](const capture_msg&) { not_initialized("capture"); },
                    [](const protocol::ping_msg&) {},
                })
      .or_else(common(false));
}

caf::behavior session_state::opening() {
  return client([this](std::string&) { reject_frame(); },
                overloaded{
                    [](const init_session_msg&) {}, // already opening
                    [this](const control_msg&) { not_initialized("control"); },
                    [this](const capture_msg&) { not_initialized("capture"); },
                    [](const protocol::ping_msg&) {},
                })
      .or_else(
          [this](ai_ready_atom) {
            persist_status("active");
            send_session_ready();
            self_->become(active());
          },
          [this](ai_failed_atom, protocol::error_code code,
                 const std::string& message) {
            if (code == error_code::ai_service_unavailable) {
              send_error(code, message);
              return finish(session_end::failed,
                            protocol::close_code::internal_error, true);
            }
            // Recoverable: the phone may send init_session again.
            send_error(error_code::init_failed, message);
            self_->become(waiting_init());
          })
      .or_else(common(true));
}

caf::behavior session_state::active() {
  return streaming([this](std::string& message) {
    if (auto header = accept_frame(message))
      forward_frame(message, *header);
  });
}

caf::behavior session_state::paused() {
  return streaming([this](std::string& message) {
    if (accept_frame(message))
      stats.frames_paused++; // counted, not processed
  });
}

template <class OnFrame>
caf::behavior session_state::streaming(OnFrame on_frame) {
  return client(std::move(on_frame),
                overloaded{
                    // A reconnected client re-inits: the AI session is still
                    // open.
                    [this](const init_session_msg& m) {
                      take_capabilities(m);
                      send_session_ready();
                      // The client reset to session_ready's config: the
                      // hint in force still holds.
                      if (auto h = hinter ? hinter->in_force() : std::nullopt)
                        send_hint(*h);
                    },
                    [this](const control_msg& c) {
                      auto pause = c.act == control_msg::action::pause;
                      persist_status(pause ? "paused" : "active");
                      self_->become(pause ? paused() : active());
                    },
                    [this](const capture_msg&) { capture(); },
                    [](const protocol::ping_msg&) {},
                })
      .or_else([this](shutdown_atom) {
        if (captures_pending == 0)
          return hand_off_when_answered(true);
        spdlog::debug("session {}: closing after {} pending capture(s)",
                      info.id, captures_pending);
        self_->delayed_send(self_, capture_wait, cap_wait_atom::value);
        self_->become(closing());
      })
      .or_else(common(true));
}

caf::behavior session_state::closing() {
  // Node shutdown, captures pending: the client is no longer heard (not
  // even its newest frame is wanted); their answers end the session, or
  // the capture_wait deadline does.
  return caf::message_handler{
      [](cl_text_atom, std::uint64_t, const std::string&) {},
      [this](cl_bin_atom, std::uint64_t gen, std::string&) {
        if (gen == generation && counters)
          counters->taken();
      },
      [](cl_big_atom, std::uint64_t, std::uint64_t) {},
      [](shutdown_atom) {},   // already closing
      [this](cap_wait_atom) { // the deadline: unanswered ones are lost
        finish(session_end::handed_off, protocol::close_code::service_restart,
               true);
      },
      [this](capture_ok_atom, std::int64_t try_on_id, std::int64_t seq) {
        capture_saved(try_on_id, seq);
        hand_off_when_answered(true);
      },
      [this](capture_fail_atom, const std::string& message, std::int64_t seq) {
        capture_failed(message, seq);
        hand_off_when_answered(true);
      },
      [this](capture_limited_atom, std::int64_t retry_ms, std::int64_t seq) {
        capture_limited(retry_ms, seq);
        hand_off_when_answered(true);
      },
  }
      .or_else(ai_and_endings(true));
}

// -- shared handlers ----------------------------------------------------------

template <class OnFrame, class OnMessage>
caf::message_handler session_state::client(OnFrame on_frame,
                                           OnMessage on_message) {
  return {
      [this, on_message](cl_text_atom, std::uint64_t gen,
                         const std::string& text) {
        if (gen != generation)
          return;
        auto parsed = protocol::parse_client_message(text);
        if (auto* err = std::get_if<protocol::parse_error>(&parsed))
          return send_error(err->code, err->message);
        auto& msg = std::get<protocol::client_message>(parsed);
        if (auto* ping = std::get_if<protocol::ping_msg>(&msg)) {
          if (peer)
            peer->send_text(protocol::pong(ping->timestamp));
          return;
        }
        std::visit(on_message, msg);
      },
      [this, on_frame](cl_bin_atom, std::uint64_t gen, std::string& message) {
        if (gen == generation)
          on_frames(message, on_frame);
      },
      [this](cl_big_atom, std::uint64_t gen, std::uint64_t size) {
        if (gen != generation)
          return;
        stats.frames_rejected++;
        send_error(error_code::frame_too_large,
                   "Frame of " + std::to_string(size) +
                       " bytes exceeds the limit of " +
                       std::to_string(env.max_frame_size));
        publish_counts();
      },
  };
}

caf::message_handler session_state::common(bool holds_ai) {
  return caf::message_handler{
      // Answers to an init_session that a later phase no longer awaits.
      [](ai_ready_atom) {},
      [](ai_failed_atom, protocol::error_code, const std::string&) {},
      [this, holds_ai](shutdown_atom) { hand_off_when_answered(holds_ai); },
      [](cap_wait_atom) {},
  }
      .or_else(ai_and_endings(holds_ai));
}

caf::message_handler session_state::ai_and_endings(bool holds_ai) {
  return {
      [this](attach_atom, peer_ptr& p, counters_ptr& c, std::uint64_t gen) {
        // A newer connection replaces the older one: 4009, no reconnect.
        if (peer)
          peer->close(protocol::close_code::replaced);
        peer = std::move(p);
        counters = std::move(c);
        shed_seen = 0;
        generation = gen;
        // The new client's writer is idle: nothing of the old one is
        // pending.
        pipeline.on_written();
        writing_since.reset();
        return true; // the registry waits for this: the connection is taken
      },
      [this](cl_wrote_atom, std::uint64_t gen) {
        // Only sent when we hold a result for the writer (ports.hpp).
        if (gen == generation)
          deliver();
      },
      [this, holds_ai](cl_closed_atom, std::uint64_t gen) {
        if (gen == generation)
          finish(session_end::completed, std::nullopt, holds_ai);
      },
      [this](ai_bind_atom, ai_binding& b) {
        settle_in_flight(); // counted on the old binding's routes
        leave_credits();    // the old channel's
        ai = std::move(b);
        pump(); // a frame may wait for a credit of the old channel
      },
      [this](ai_slot_atom, std::uint64_t gate_id, std::uint64_t ticket) {
        on_credit(gate_id, ticket);
      },
      [this](ai_lost_atom) {
        // The channel went down with our frame (if any) in flight: it will
        // not be answered. Frames fail at once until the link binds again.
        settle_in_flight();
        leave_credits();
        ai = {};
        if (auto seq = pipeline.in_flight())
          fail_in_flight(*seq);
        deliver();
      },
      [this](ai_result_atom, ai_result& r) { on_result(r); },
      [this](ai_frame_err_atom, std::int64_t seq, protocol::error_code code,
             const std::string& message) {
        if (pipeline.in_flight() != seq)
          return;
        settle_in_flight();
        if (code != error_code::ai_service_unavailable)
          send_error(error_code::frame_processing_failed, message);
        fail_in_flight(seq);
        deliver();
      },
      [this](frame_tmo_atom, std::int64_t) { on_frame_timeout(); },
      [this, holds_ai](ai_down_atom) {
        send_error(error_code::ai_service_unavailable,
                   "AI service unavailable");
        finish(session_end::failed, protocol::close_code::internal_error,
               holds_ai);
      },
      [this, holds_ai](expire_atom) {
        send_error(error_code::session_expired, "Session expired");
        finish(session_end::completed, protocol::close_code::expired, holds_ai);
      },
      [this](stats_tick_atom) {
        // Re-armed by the next frame: a session that stopped streaming
        // stops ticking (its final stats are written by finish()).
        stats_timer_armed = false;
        persist_stats();
      },
      [this](capture_ok_atom, std::int64_t try_on_id, std::int64_t seq) {
        capture_saved(try_on_id, seq);
      },
      [this](capture_fail_atom, const std::string& message, std::int64_t seq) {
        capture_failed(message, seq);
      },
      [this](capture_limited_atom, std::int64_t retry_ms, std::int64_t seq) {
        capture_limited(retry_ms, seq);
      },
      [this, holds_ai](moved_atom) {
        spdlog::debug("session {}: moved to another node", info.id);
        finish(session_end::moved, protocol::close_code::replaced, holds_ai);
      },
      [this](get_stats_atom) {
        return stats
            .to_json(pipeline.accepted(), pipeline.delivered(),
                     pipeline.dropped())
            .dump();
      },
  };
}

caf::behavior make_session(session_actor* self, session_info info,
                           session_env env) {
  return self->state.start(std::move(info), std::move(env));
}

} // namespace tryon::actors
