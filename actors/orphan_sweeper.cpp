#include "actors/orphan_sweeper.hpp"

#include <set>

#include <caf/event_based_actor.hpp>
#include <spdlog/spdlog.h>

namespace tryon::actors {

namespace {

using sweeper = caf::stateful_actor<orphan_sweeper_state>;

void look(sweeper* self) {
  auto& st = self->state;
  auto now = std::chrono::steady_clock::now();
  std::set<std::string> seen;
  try {
    for (const char* status : {"active", "paused"}) {
      persistence::session_filter f;
      f.status = status;
      f.limit = st.cfg.batch;
      for (const auto& s : st.cfg.sessions->list_sessions(f)) {
        if (st.cfg.leases->owner(s.id)) {
          st.unowned.erase(s.id);
          continue;
        }
        seen.insert(s.id);
        auto [it, fresh] = st.unowned.try_emplace(s.id, now, s.updated_at);
        if (fresh || it->second.second != s.updated_at) {
          it->second = {now, s.updated_at}; // changed: start over
          continue;
        }
        if (now - it->second.first < st.cfg.ttl)
          continue;
        if (st.cfg.sessions->end_abandoned(s.id, s.updated_at)) {
          ++st.ended;
          spdlog::warn("session {}: no node has held it for {} ms (its node "
                       "died?): marked error",
                       s.id, st.cfg.ttl.count());
        }
        st.unowned.erase(it);
        seen.erase(s.id);
      }
    }
  } catch (const std::exception& e) {
    // Either store failing tells nothing about who holds what.
    spdlog::debug("orphan sweep skipped: {}", e.what());
    st.unowned.clear();
    return;
  }
  for (auto it = st.unowned.begin(); it != st.unowned.end();)
    it = seen.count(it->first) ? std::next(it) : st.unowned.erase(it);
}

} // namespace

caf::behavior make_orphan_sweeper(sweeper* self, orphan_config cfg) {
  self->state.cfg = cfg;
  auto period = std::max(cfg.ttl, std::chrono::milliseconds{100});
  self->send(self, orphan_atom::value);
  return {
      [=](orphan_atom) {
        look(self);
        self->delayed_send(self, period, orphan_atom::value);
      },
      [=](shutdown_atom) { self->quit(); },
  };
}

} // namespace tryon::actors
