// The AI service's text replies, routed by the link actor to the sessions
// they name (processed frames never come here: ai_channel_events.cpp); and
// stats.

#include "actors/ai_link_state.hpp"

#include <algorithm>
#include <type_traits>
#include <variant>

#include <caf/send.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "protocol/ai_message.hpp"

namespace tryon::actors {

void ai_link_state::on_chan_text(std::size_t i, const std::string& text) {
  if (stopped)
    return;
  auto parsed = protocol::parse_ai_event(text);
  if (auto* err = std::get_if<protocol::parse_error>(&parsed)) {
    ++counters.bad_messages;
    spdlog::warn("ai_link: bad text from channel {}: {}", i, err->message);
    return;
  }
  std::visit(
      [&](auto& ev) {
        using event = std::decay_t<decltype(ev)>;
        auto it = sessions.find(ev.session_id);
        if (it == sessions.end()) {
          ++counters.unknown_session;
          return;
        }
        auto& s = it->second;
        if constexpr (std::is_same_v<event, protocol::ai_session_initialized>) {
          if (!s.ready) {
            s.ready = true;
            self->send(s.peer, ai_ready_atom::value);
          }
        } else if constexpr (std::is_same_v<event,
                                            protocol::ai_session_error>) {
          // Sent even to a ready session (a failed re-init); it ignores it
          // while streaming and its frames get frame_errors from the AI.
          ++counters.sessions_failed;
          // The AI's own code when it is one of the protocol's.
          auto code = protocol::error_code_from_string(ev.code).value_or(
              protocol::error_code::init_failed);
          self->send(s.peer, ai_failed_atom::value, code,
                     std::move(ev.message));
          if (!s.ready)
            erase_session(ev.session_id, false);
        } else {
          ++counters.frame_errors;
          auto code = protocol::error_code_from_string(ev.code).value_or(
              protocol::error_code::frame_processing_failed);
          self->send(s.peer, ai_frame_err_atom::value, ev.sequence, code,
                     std::move(ev.message));
        }
      },
      std::get<protocol::ai_event>(parsed));
}

std::string ai_link_state::stats_json() const {
  auto up = std::count_if(channels.begin(), channels.end(),
                          [](const ai_channel_slot& c) { return c.up; });
  const auto& c = counters;
  const auto& f = routes->counters;
  nlohmann::json j{
      {"connections_up", up},
      {"connections_total", channels.size()},
      {"sessions", sessions.size()},
      {"in_flight", std::max<std::int64_t>(f.in_flight.load(), 0)},
      {"outage", outage_declared},
      {"frames_forwarded", f.frames_forwarded.load()},
      {"results", f.results.load()},
      {"frame_errors", c.frame_errors},
      {"unavailable_frames", f.unavailable.load()},
      {"queue_drops", f.queue_drops.load() + c.text_drops},
      {"sessions_lost", c.sessions_lost},
      {"reconnects", c.reconnects},
      {"channel_losses", c.channel_losses},
      {"unknown_session_replies", f.unknown_session.load() + c.unknown_session},
      {"bad_messages", f.bad_messages.load() + c.bad_messages},
      {"sessions_failed", c.sessions_failed},
      {"sessions_downed", c.sessions_downed},
      {"init_timeouts", c.init_timeouts},
      {"init_refused", c.init_refused},
  };
  return j.dump();
}

} // namespace tryon::actors
