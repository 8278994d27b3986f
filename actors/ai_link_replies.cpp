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
        if constexpr (std::is_same_v<event, protocol::ai_capacity>)
          on_capacity(i, ev.frames); // about the channel, not a session
        else
          on_session_event(ev);
      },
      std::get<protocol::ai_event>(parsed));
}

template <class Event>
void ai_link_state::on_session_event(Event& ev) {
  auto it = sessions.find(ev.session_id);
  if (it == sessions.end()) {
    ++counters.unknown_session;
    return;
  }
  auto& s = it->second;
  if constexpr (std::is_same_v<Event, protocol::ai_session_initialized>) {
    if (!s.ready) {
      s.ready = true;
      self->send(s.peer, ai_ready_atom::value);
    }
  } else if constexpr (std::is_same_v<Event, protocol::ai_session_error>) {
    // Sent even to a ready session (a failed re-init); it ignores it
    // while streaming and its frames get frame_errors from the AI.
    ++counters.sessions_failed;
    // The AI's own code when it is one of the protocol's.
    auto code = protocol::error_code_from_string(ev.code).value_or(
        protocol::error_code::init_failed);
    self->send(s.peer, ai_failed_atom::value, code, std::move(ev.message));
    if (!s.ready)
      erase_session(ev.session_id, false);
  } else {
    ++counters.frame_errors;
    auto code = protocol::error_code_from_string(ev.code).value_or(
        protocol::error_code::frame_processing_failed);
    self->send(s.peer, ai_frame_err_atom::value, ev.sequence, code,
               std::move(ev.message));
  }
}

void ai_link_state::on_capacity(std::size_t i, std::size_t frames) {
  if (!cfg.credits || i >= channels.size())
    return;
  ++counters.capacity_updates;
  spdlog::info("ai_link: channel {} takes {} frame(s) at once{}", i, frames,
               frames == 0 ? " (no limit)" : "");
  auto& credits = *channels[i].credits;
  for (auto& w : credits.gate.set_capacity(frames))
    wake(credits, std::move(w));
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
      {"credits", cfg.credits},
      {"capacity_updates", c.capacity_updates},
  };
  // Per channel; the credit figures only when credits are on (off, the
  // sessions do not use them).
  auto& per_channel = j["channels"] = nlohmann::json::array();
  for (const auto& slot : channels) {
    nlohmann::json c{{"up", slot.up}, {"sessions", slot.sessions}};
    if (cfg.credits) {
      auto g = slot.credits->gate.snapshot();
      c["capacity"] = g.capacity;
      c["in_flight"] = g.in_use;
      c["waiting"] = g.waiting;
      c["credit_waits"] = g.waits;
    }
    per_channel.push_back(std::move(c));
  }
  return j.dump();
}

} // namespace tryon::actors
