#include "actors/session_registry.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/result.hpp>
#include <caf/typed_response_promise.hpp>

#include <chrono>

namespace tryon::actors {

namespace {

using registry_actor = caf::stateful_actor<session_registry_state>;
using attach_promise = caf::typed_response_promise<caf::actor, std::uint64_t>;

/// How long the registry waits for a session actor to take a connection
/// (less than the gateway waits for the registry).
constexpr auto attach_timeout = std::chrono::seconds(3);

/// Hands the connection to the session's actor, spawning one if there is
/// none, and answers `rp` once the actor has taken it. An actor that ended
/// before the registry saw its down message cannot take it (the request
/// fails with request_receiver_down): it is forgotten and, once, a fresh
/// actor takes the connection instead of it vanishing into a dead one.
void attach_to(registry_actor* self, session_info info, peer_ptr peer,
               counters_ptr counters, attach_promise rp, int respawns) {
  auto& st = self->state;
  auto& slot = st.sessions[info.id];
  if (!slot) {
    slot = self->spawn(make_session, info, st.env);
    self->monitor(slot);
    if (st.lease_keeper)
      self->send(st.lease_keeper, lease_hold_atom::value, info.id);
  }
  auto session = slot;
  auto gen = st.next_generation++;
  self->request(session, attach_timeout, attach_atom::value, peer, counters,
                gen)
      .then([=](bool) mutable { rp.deliver(session, gen); },
            [=](caf::error& err) mutable {
              if (err != caf::sec::request_receiver_down || respawns == 0 ||
                  self->state.shutting_down) {
                rp.deliver(std::move(err));
                return;
              }
              auto it = self->state.sessions.find(info.id);
              if (it != self->state.sessions.end() && it->second == session)
                self->state.sessions.erase(it); // its down message is late
              attach_to(self, info, peer, counters, rp, respawns - 1);
            });
}

} // namespace

caf::behavior
make_session_registry(caf::stateful_actor<session_registry_state>* self,
                      session_env env, caf::actor lease_keeper) {
  self->state.env = std::move(env);
  self->state.lease_keeper = std::move(lease_keeper);
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& st = self->state;
    auto& map = st.sessions;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (it->second.address() == dm.source) {
        if (st.lease_keeper)
          self->send(st.lease_keeper, lease_drop_atom::value, it->first);
        map.erase(it);
        break;
      }
    }
    if (self->state.shutting_down && map.empty())
      self->quit();
  });
  return {
      [=](attach_atom, session_info& info, peer_ptr& peer,
          counters_ptr& counters) -> caf::result<caf::actor, std::uint64_t> {
        if (self->state.shutting_down)
          return caf::sec::request_receiver_down;
        auto rp = self->make_response_promise<caf::actor, std::uint64_t>();
        attach_to(self, std::move(info), std::move(peer), std::move(counters),
                  rp, 1);
        return rp;
      },
      [=](lease_lost_atom, const std::string& id) {
        auto it = self->state.sessions.find(id);
        if (it != self->state.sessions.end())
          self->send(it->second, moved_atom::value);
      },
      [=](count_atom) {
        return static_cast<std::uint64_t>(self->state.sessions.size());
      },
      [=](shutdown_atom) {
        auto& st = self->state;
        st.shutting_down = true;
        for (auto& [id, actor] : st.sessions)
          self->send(actor, shutdown_atom::value);
        if (st.sessions.empty())
          self->quit();
      },
  };
}

} // namespace tryon::actors
