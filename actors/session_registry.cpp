#include "actors/session_registry.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/result.hpp>

namespace tryon::actors {

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
        auto& st = self->state;
        if (st.shutting_down)
          return caf::sec::request_receiver_down;
        auto& slot = st.sessions[info.id];
        if (!slot) {
          slot = self->spawn(make_session, info, st.env);
          self->monitor(slot);
          if (st.lease_keeper)
            self->send(st.lease_keeper, lease_hold_atom::value, info.id);
        }
        auto gen = st.next_generation++;
        self->send(slot, attach_atom::value, std::move(peer),
                   std::move(counters), gen);
        return {slot, gen};
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
