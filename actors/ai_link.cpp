#include "actors/ai_link.hpp"

#include <utility>

#include <caf/system_messages.hpp>

namespace tryon::actors {

caf::behavior make_ai_link(caf::stateful_actor<ai_link_state>* self,
                           ai_link_config cfg, ai_channel_factory factory) {
  self->set_down_handler(
      [self](caf::down_msg& msg) { self->state.on_peer_down(msg.source); });
  self->set_exit_handler([self](caf::exit_msg& msg) {
    self->state.shutdown();
    self->quit(msg.reason);
  });
  self->state.start(self, std::move(cfg), std::move(factory));
  return {
      [self](ai_open_atom, const std::string& id, std::string& nail_url,
             std::optional<std::int64_t> post_id, caf::actor& peer) {
        self->state.open_session(id, std::move(nail_url), post_id,
                                 std::move(peer));
      },
      [self](ai_close_atom, const std::string& id) {
        self->state.close_session(id);
      },
      [self](ai_forget_atom, const std::string& id) {
        self->state.forget_session(id);
      },
      [self](chan_open_atom, std::size_t i) { self->state.on_chan_open(i); },
      [self](chan_text_atom, std::size_t i, const std::string& text) {
        self->state.on_chan_text(i, text);
      },
      [self](chan_down_atom, std::size_t i, const std::string& reason) {
        self->state.on_chan_down(i, reason);
      },
      [self](reconnect_atom, std::size_t i) { self->state.on_reconnect(i); },
      [self](grace_atom, std::uint64_t epoch) { self->state.on_grace(epoch); },
      [self](init_tmo_atom, const std::string& id, std::uint64_t token) {
        self->state.on_init_timeout(id, token);
      },
      [self](get_stats_atom) { return self->state.stats_json(); },
      [self](ai_ready_q_atom) { return self->state.any_up(); },
  };
}

} // namespace tryon::actors
