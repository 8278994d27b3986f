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
  const bool queued = slot.channel->send_text(
      protocol::ai_init_session(id, s.nail_url, s.post_id));
  if (!queued)
    ++counters.text_drops;
  if (!s.ready) {
    // Every init of a session still opening is answered in bounded time:
    // by the AI, or by the timeout (at once when the channel refused it).
    // The timeout is a message, so callers iterating `sessions` are safe.
    s.init_token = ++last_init_token;
    s.init_refused = !queued;
    if (queued)
      self->delayed_send(self, cfg.init_timeout, init_tmo_atom::value, id,
                         s.init_token);
    else
      self->send(self, init_tmo_atom::value, id, s.init_token);
  }
  // The session writes its frames to this channel from now on. The channel
  // writes control messages before frames, so the AI sees the init first.
  s.bound = true;
  self->send(
      s.peer, ai_bind_atom::value,
      ai_binding{slot.channel, routes, cfg.credits ? slot.credits : nullptr});
}

void ai_link_state::on_init_timeout(const std::string& id,
                                    std::uint64_t token) {
  auto it = sessions.find(id);
  if (stopped || it == sessions.end())
    return;
  auto& s = it->second;
  if (s.ready || s.init_token != token)
    return; // answered, or a later init is pending
  std::string message;
  if (s.init_refused) {
    ++counters.init_refused;
    message = "AI link busy: init_session could not be queued";
  } else {
    ++counters.init_timeouts;
    message = "AI service did not answer init_session within " +
              std::to_string(cfg.init_timeout.count()) + " ms";
  }
  spdlog::warn("ai_link: session {}: {}", id, message);
  ++counters.sessions_failed;
  self->send(s.peer, ai_failed_atom::value, protocol::error_code::init_failed,
             std::move(message));
  // The AI may still be working on it: tell it to drop the session.
  erase_session(id, true);
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
                                 std::optional<std::int64_t> post_id,
                                 caf::actor peer) {
  if (stopped || !peer)
    return;
  if (outage_declared) {
    self->send(peer, ai_failed_atom::value,
               protocol::error_code::ai_service_unavailable,
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
