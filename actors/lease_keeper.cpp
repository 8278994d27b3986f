#include "actors/lease_keeper.hpp"

#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "actors/session_atoms.hpp"

namespace tryon::actors {

namespace {

/// Runs a store call; logs the first failure of an outage and recovery.
template <class F>
bool guarded(lease_keeper_state& st, const char* what, F f) {
  try {
    f();
    if (st.store_down)
      spdlog::info("leases: store reachable again");
    st.store_down = false;
    return true;
  } catch (const std::exception& e) {
    if (!st.store_down)
      spdlog::warn("leases: {} failed: {} (sessions stay served here)", what,
                   e.what());
    st.store_down = true;
    return false;
  }
}

/// Renews `ids` (all held) and reports those another node holds now.
void renew(caf::stateful_actor<lease_keeper_state>* self,
           const std::vector<std::string>& ids) {
  auto& st = self->state;
  if (ids.empty())
    return;
  std::vector<std::string> moved;
  if (!guarded(st, "renewal", [&] {
        moved = st.cfg.store->renew(ids, st.cfg.node_id, st.cfg.ttl);
      }))
    return; // unknown: keep serving, try again next tick
  ++st.renewals;
  for (auto& id : moved) {
    ++st.moved_away;
    st.held.erase(id);
    spdlog::info("session {}: moved to another node", id);
    if (st.registry)
      self->send(st.registry, lease_lost_atom::value, id);
  }
}

} // namespace

void acquire_lease(const lease_config& cfg, const std::string& session_id) {
  if (!cfg.store)
    return;
  try {
    auto before = cfg.store->acquire(session_id, cfg.node_id, cfg.ttl);
    if (before && *before != cfg.node_id) {
      spdlog::info("session {}: taken over from node {}", session_id, *before);
      cfg.store->notify_taken(*before, session_id);
    }
  } catch (const std::exception& e) {
    spdlog::warn("session {}: lease not taken ({}); serving it here anyway",
                 session_id, e.what());
  }
}

std::unique_ptr<persistence::lease_subscription>
subscribe_notices(const lease_config& cfg, caf::actor keeper) {
  if (!cfg.store)
    return nullptr;
  return cfg.store->subscribe(
      cfg.node_id, [keeper = std::move(keeper)](const std::string& id) {
        caf::anon_send(keeper, lease_check_atom::value, id);
      });
}

caf::behavior make_lease_keeper(caf::stateful_actor<lease_keeper_state>* self,
                                lease_config cfg) {
  self->state.cfg = std::move(cfg);
  auto period = std::max(self->state.cfg.ttl / 3, std::chrono::milliseconds{1});
  self->delayed_send(self, period, lease_tick_atom::value);
  return {
      [=](lease_hold_atom, const std::string& id) {
        auto& st = self->state;
        st.registry = caf::actor_cast<caf::actor>(self->current_sender());
        st.held.insert(id);
      },
      [=](lease_drop_atom, const std::string& id) {
        auto& st = self->state;
        if (st.held.erase(id) == 0)
          return; // moved away: the lease is another node's now
        guarded(st, "release",
                [&] { st.cfg.store->release(id, st.cfg.node_id); });
      },
      [=](lease_check_atom, const std::string& id) {
        auto& st = self->state;
        if (st.held.count(id) == 0)
          return; // ended here already, or a stale notice
        ++st.notices;
        renew(self, {id});
      },
      [=](lease_tick_atom) {
        auto& st = self->state;
        renew(self, std::vector<std::string>(st.held.begin(), st.held.end()));
        self->delayed_send(self, period, lease_tick_atom::value);
      },
      [=](shutdown_atom) {
        auto& st = self->state;
        spdlog::info("leases: releasing {}; {} renewal rounds, {} sessions "
                     "moved to other nodes, {} take-over notices",
                     st.held.size(), st.renewals, st.moved_away, st.notices);
        for (auto& id : st.held)
          guarded(st, "release",
                  [&] { st.cfg.store->release(id, st.cfg.node_id); });
        st.held.clear();
        self->quit();
      },
  };
}

} // namespace tryon::actors
