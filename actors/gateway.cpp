#include "actors/gateway.hpp"

#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "actors/session_atoms.hpp"

namespace tryon::actors {

namespace {

// Turns transport callbacks into messages to the session actor; the
// generation lets the actor ignore a replaced connection's stragglers.
class actor_inbox : public client_inbox {
public:
  actor_inbox(caf::actor session, std::uint64_t gen, counters_ptr counters)
    : session_(std::move(session)), gen_(gen), counters_(std::move(counters)) {}

  void on_text(std::string text) override {
    caf::anon_send(session_, cl_text_atom::value, gen_, std::move(text));
  }
  void on_binary(std::string message) override {
    caf::anon_send(session_, cl_bin_atom::value, gen_, std::move(message));
  }
  void on_oversized(std::size_t size) override {
    caf::anon_send(session_, cl_big_atom::value, gen_,
                   static_cast<std::uint64_t>(size));
  }
  void on_frame_written() override {
    caf::anon_send(session_, cl_wrote_atom::value, gen_);
  }
  void on_closed() override {
    caf::anon_send(session_, cl_closed_atom::value, gen_);
  }
  inbound_counters& counters() override { return *counters_; }

private:
  caf::actor session_;
  std::uint64_t gen_;
  counters_ptr counters_;
};

} // namespace

std::shared_ptr<client_inbox>
actor_gateway::attach(const session_info& info,
                      std::shared_ptr<client_peer> peer) {
  acquire_lease(leases_, info.id);
  auto counters = std::make_shared<inbound_counters>();
  std::shared_ptr<client_inbox> inbox;
  {
    caf::scoped_actor self{sys_};
    self->request(registry_, std::chrono::seconds(5), attach_atom::value, info,
                  std::move(peer), counters)
        .receive(
            [&](caf::actor& session, std::uint64_t gen) {
              inbox = std::make_shared<actor_inbox>(std::move(session), gen,
                                                    counters);
            },
            [&](caf::error& err) {
              spdlog::warn("session {}: attach refused: {}", info.id,
                           sys_.render(err));
            });
  }
  return inbox;
}

} // namespace tryon::actors
