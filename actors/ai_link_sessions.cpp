// Sessions on the AI link: assignment to channels (binding), init/close.

#include "actors/ai_link_state.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include <spdlog/spdlog.h>

#include "protocol/ai_message.hpp"

namespace tryon::actors {

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

void ai_link_state::send_init(const std::string& id, ai_link_session& s) {
  auto& slot = channels[s.channel];
  if (!slot.up)
    return; // sent when the channel comes up
  std::optional<std::int64_t> post;
  if (s.post_id >= 0)
    post = s.post_id;
  if (!slot.channel->send_text(protocol::ai_init_session(id, s.nail_url, post)))
    ++counters.text_drops;
  // The session writes its frames to this channel from now on. They queue
  // behind the init_session just sent, so the AI sees the init first.
  s.bound = true;
  self->send(s.peer, ai_bind_atom::value, ai_binding{slot.channel, routes});
}

void ai_link_state::unbind(ai_link_session& s) {
  if (!s.bound)
    return;
  s.bound = false;
  ++counters.sessions_lost;
  self->send(s.peer, ai_lost_atom::value);
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

void ai_link_state::erase_session(const std::string& id, bool tell_ai) {
  auto it = sessions.find(id);
  if (it == sessions.end())
    return;
  if (it->second.channel < channels.size()) {
    auto& slot = channels[it->second.channel];
    --slot.sessions;
    if (tell_ai && slot.up &&
        !slot.channel->send_text(protocol::ai_close_session(id)))
      ++counters.text_drops;
  }
  routes->erase(id);
  sessions.erase(it);
}

void ai_link_state::open_session(const std::string& id, std::string nail_url,
                                 std::int64_t post_id, caf::actor peer) {
  if (stopped || !peer)
    return;
  if (outage_declared) {
    self->send(peer, ai_failed_atom::value,
               std::string{"AI_SERVICE_UNAVAILABLE"},
               std::string{"AI service unavailable"});
    ++counters.sessions_failed;
    return;
  }
  erase_session(id, false); // a repeated open starts over
  self->monitor(peer);
  ai_link_session s;
  s.peer = std::move(peer);
  s.nail_url = cfg.reference_for_ai ? cfg.reference_for_ai(nail_url)
                                    : std::move(nail_url);
  s.post_id = post_id;
  auto& stored = sessions.emplace(id, std::move(s)).first->second;
  routes->set(id, stored.peer);
  assign(id, stored, pick_channel());
}

void ai_link_state::close_session(const std::string& id) {
  erase_session(id, true);
}

void ai_link_state::forget_session(const std::string& id) {
  erase_session(id, false);
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
