// Sessions on the AI link: assignment to channels, init/close, frames.

#include "actors/ai_link_state.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include <spdlog/spdlog.h>

#include "protocol/ai_message.hpp"

namespace tryon::actors {

namespace {

constexpr const char* unavailable = "AI_SERVICE_UNAVAILABLE";

// A session keeps at most a few frames in flight; the cap only guards
// against an AI that never answers some of them.
constexpr std::size_t max_in_flight = 256;

} // namespace

std::size_t ai_link_state::pick_channel() const {
  // Least loaded live channel; least loaded of all when none is up.
  std::optional<std::size_t> best;
  auto better = [&](std::size_t i) {
    if (!best)
      return true;
    const auto& a = channels[i];
    const auto& b = channels[*best];
    if (a.up != b.up)
      return a.up;
    return a.sessions < b.sessions;
  };
  for (std::size_t i = 0; i < channels.size(); ++i)
    if (better(i))
      best = i;
  return best.value_or(0);
}

void ai_link_state::assign(const std::string& id, ai_link_session& s,
                           std::size_t channel) {
  s.channel = channel;
  ++channels[channel].sessions;
  send_init(id, s);
}

void ai_link_state::send_init(const std::string& id, const ai_link_session& s) {
  auto& slot = channels[s.channel];
  if (!slot.up)
    return; // sent when the channel comes up
  std::optional<std::int64_t> post;
  if (s.post_id >= 0)
    post = s.post_id;
  if (!slot.channel->send_text(protocol::ai_init_session(id, s.nail_url, post)))
    ++counters.queue_drops;
}

void ai_link_state::move_orphans() {
  for (auto& [id, s] : sessions) {
    if (channels[s.channel].up)
      continue;
    auto target = pick_channel();
    if (!channels[target].up)
      return; // nothing is up
    --channels[s.channel].sessions;
    assign(id, s, target);
  }
}

void ai_link_state::fail_in_flight(ai_link_session& s, const char* why) {
  for (auto seq : s.in_flight) {
    self->send(s.peer, ai_frame_err_atom::value, seq, std::string{unavailable},
               std::string{why});
    ++counters.lost_frames;
  }
  s.in_flight.clear();
}

void ai_link_state::erase_session(const std::string& id, bool tell_ai) {
  auto it = sessions.find(id);
  if (it == sessions.end())
    return;
  if (it->second.channel < channels.size()) {
    auto& slot = channels[it->second.channel];
    --slot.sessions;
    if (tell_ai && slot.up &&
        !slot.channel->send_text(protocol::ai_close_session(id)))
      ++counters.queue_drops;
  }
  sessions.erase(it);
}

void ai_link_state::open_session(const std::string& id, std::string nail_url,
                                 std::int64_t post_id, caf::actor peer) {
  if (stopped || !peer)
    return;
  if (outage_declared) {
    self->send(peer, ai_failed_atom::value, std::string{unavailable},
               std::string{"AI service unavailable"});
    ++counters.sessions_failed;
    return;
  }
  erase_session(id, false); // a repeated open starts over
  self->monitor(peer);
  ai_link_session s;
  s.peer = std::move(peer);
  s.nail_url = std::move(nail_url);
  s.post_id = post_id;
  auto& stored = sessions.emplace(id, std::move(s)).first->second;
  assign(id, stored, pick_channel());
}

void ai_link_state::forward_frame(const std::string& id, std::int64_t sequence,
                                  shared_bytes message) {
  auto it = sessions.find(id);
  if (it == sessions.end()) {
    auto sender = caf::actor_cast<caf::actor>(self->current_sender());
    if (sender)
      self->send(sender, ai_frame_err_atom::value, sequence,
                 std::string{"INVALID_SESSION"},
                 std::string{"No AI session is open for this session"});
    return;
  }
  auto& s = it->second;
  auto refuse = [&](const char* why) {
    self->send(s.peer, ai_frame_err_atom::value, sequence,
               std::string{unavailable}, std::string{why});
  };
  if (stopped || !channels[s.channel].up) {
    ++counters.unavailable;
    return refuse("AI service not connected");
  }
  if (!channels[s.channel].channel->send_binary(std::move(message))) {
    ++counters.queue_drops;
    return refuse("AI link queue full");
  }
  ++counters.frames_forwarded;
  if (s.in_flight.size() >= max_in_flight)
    s.in_flight.pop_front();
  s.in_flight.push_back(sequence);
}

void ai_link_state::close_session(const std::string& id) {
  erase_session(id, true);
}

void ai_link_state::on_peer_down(const caf::actor_addr& peer) {
  std::vector<std::string> gone;
  for (auto& [id, s] : sessions)
    if (s.peer.address() == peer)
      gone.push_back(id);
  for (auto& id : gone) {
    spdlog::debug("ai_link: session {} ended without ai_close", id);
    erase_session(id, true);
  }
}

} // namespace tryon::actors
