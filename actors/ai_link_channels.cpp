// The channel pool of the AI link: connecting, backoff, the grace period.
//
//   channel:  connecting --on_open--> up --on_down--> waiting --reconnect--+
//                 ^   |                                   ^                 |
//                 |   +--------------on_down--------------+                 |
//                 +---------------------------------------------------------+
//
//   link:     every channel down --grace_period--> outage declared:
//             ready sessions get ai_down, opening ones ai_failed.
//             Any channel up again ends the outage.

#include "actors/ai_channel_events.hpp"
#include "actors/ai_link_state.hpp"

#include <algorithm>
#include <utility>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

namespace tryon::actors {

ai_link_state::~ai_link_state() {
  shutdown();
}

void ai_link_state::start(caf::event_based_actor* owner, ai_link_config config,
                          ai_channel_factory factory) {
  self = owner;
  cfg = std::move(config);
  auto n = static_cast<std::size_t>(std::max(cfg.connections, 1));
  channels.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    channels[i].backoff = cfg.backoff_min;
    channels[i].credits = std::make_shared<ai_credits>(i + 1);
    channels[i].channel =
        factory(cfg.url, make_events(self->address(), i, routes));
  }
  start_outage(); // nothing is up yet
  for (auto& slot : channels)
    slot.channel->connect();
}

void ai_link_state::shutdown() {
  if (stopped)
    return;
  stopped = true;
  routes->clear();
  for (auto& slot : channels) {
    if (slot.channel)
      slot.channel->shutdown();
    slot.up = false;
  }
  channels.clear();
}

bool ai_link_state::any_up() const {
  return std::any_of(channels.begin(), channels.end(),
                     [](const ai_channel_slot& s) { return s.up; });
}

void ai_link_state::on_chan_open(std::size_t i) {
  if (stopped || i >= channels.size())
    return;
  bool was_down = !any_up();
  auto& slot = channels[i];
  slot.up = true;
  slot.backoff = cfg.backoff_min;
  spdlog::info("ai_link: channel {} up ({})", i, cfg.url);
  if (was_down) {
    ++outage_epoch; // cancels the grace timer
    outage_declared = false;
  }
  for (auto& [id, s] : sessions)
    if (s.channel == i)
      send_init(id, s);
  move_orphans();
}

void ai_link_state::on_chan_down(std::size_t i, const std::string& reason) {
  if (stopped || i >= channels.size())
    return;
  auto& slot = channels[i];
  auto delay = slot.backoff;
  slot.backoff = std::min(slot.backoff * 2, cfg.backoff_max);
  self->delayed_send(self, delay, reconnect_atom::value, i);
  if (!slot.up) {
    spdlog::debug("ai_link: channel {} connect failed: {}", i, reason);
    return;
  }
  slot.up = false;
  ++counters.channel_losses;
  spdlog::warn("ai_link: channel {} down: {}", i, reason);
  // Bound sessions fail their frame in flight themselves (they know it).
  for (auto& [id, s] : sessions)
    if (s.channel == i)
      unbind(s);
  if (any_up())
    move_orphans();
  else
    start_outage();
}

void ai_link_state::on_reconnect(std::size_t i) {
  if (stopped || i >= channels.size() || channels[i].up)
    return;
  ++counters.reconnects;
  channels[i].channel->connect();
}

void ai_link_state::on_grace(std::uint64_t epoch) {
  if (stopped || epoch != outage_epoch || any_up() || outage_declared)
    return;
  outage_declared = true;
  spdlog::error("ai_link: AI service unreachable for {} ms",
                cfg.grace_period.count());
  std::vector<std::string> failed;
  for (auto& [id, s] : sessions) {
    if (!s.ready) {
      self->send(s.peer, ai_failed_atom::value,
                 protocol::error_code::ai_service_unavailable,
                 std::string{"AI service unavailable"});
      ++counters.sessions_failed;
      failed.push_back(id);
    } else if (!s.down_sent) {
      s.down_sent = true;
      self->send(s.peer, ai_down_atom::value);
      ++counters.sessions_downed;
    }
  }
  for (auto& id : failed)
    erase_session(id, false);
}

void ai_link_state::start_outage() {
  ++outage_epoch;
  self->delayed_send(self, cfg.grace_period, grace_atom::value, outage_epoch);
}

} // namespace tryon::actors
