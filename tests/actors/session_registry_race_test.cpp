// A race between a session actor ending and a new attach for its id, made
// deterministic with CAF's test coordinator (the gateway's blocking request
// is replaced by an event-based asker, which the coordinator can run).

#include <memory>
#include <optional>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/send.hpp>
#include <gtest/gtest.h>

#include "actors/session_registry.hpp"
#include "tests/actors/fake_client_peer.hpp"
#include "tests/actors/session_fakes.hpp"

using namespace tryon;
using namespace tryon::testing;

namespace {

using attached = std::optional<std::pair<caf::actor, std::uint64_t>>;

/// Asks the registry to attach `peer`, as actor_gateway does, and keeps the
/// answer.
caf::behavior asker(caf::event_based_actor* self, caf::actor registry,
                    actors::session_info info, actors::peer_ptr peer,
                    std::shared_ptr<attached> out) {
  self->request(registry, caf::infinite, actors::attach_atom::value,
                std::move(info), std::move(peer),
                std::make_shared<actors::inbound_counters>())
      .then([out](caf::actor& s, std::uint64_t gen) {
        *out = std::make_pair(std::move(s), gen);
      });
  return {};
}

class SessionRegistryRaceTest : public ::testing::Test {
protected:
  SessionRegistryRaceTest() {
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.set("logger.console", caf::atom("none"));
    sys = std::make_unique<caf::actor_system>(cfg);
    env.ai_link = sys->spawn(fake_ai_link, link);
    env.persister = sys->spawn(fake_persister, persisted_log);
    registry = sys->spawn(actors::make_session_registry, env, caf::actor{});
    run();
  }

  ~SessionRegistryRaceTest() override {
    caf::anon_send(registry, actors::shutdown_atom::value);
    run();
    caf::anon_send_exit(registry, caf::exit_reason::kill);
    caf::anon_send_exit(env.ai_link, caf::exit_reason::kill);
    caf::anon_send_exit(env.persister, caf::exit_reason::kill);
    run();
    link->routes->clear();
    env = {};
    registry = nullptr;
    sys.reset();
  }

  void run() {
    dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler()).run();
  }

  actors::session_info info() const {
    actors::session_info i;
    i.id = "5b3c6c1e-7d1a-4c1e-9d55-000000000003";
    i.mode = "explore";
    i.expires_at_us = epoch_us_in(std::chrono::hours{1});
    return i;
  }

  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::shared_ptr<fake_link_script> link = std::make_shared<fake_link_script>();
  std::shared_ptr<waitable_log<persisted>> persisted_log =
      std::make_shared<waitable_log<persisted>>();
  actors::session_env env;
  caf::actor registry;
};

} // namespace

// A client attaching to a session whose actor has just ended (quit) but
// whose down message the registry has not handled yet must not be handed
// the dead actor (its inbox would send into the void: no session_ready, no
// error, no close). The registry asks the actor to take the connection and,
// when it is gone, spawns a fresh one. Here: the old connection closes (the
// actor finishes) while the reconnect's attach is already in the
// registry's mailbox, ahead of the down message.
TEST_F(SessionRegistryRaceTest, AttachRacingTheEndOfTheActorGetsALiveOne) {
  auto first = std::make_shared<fake_client_peer>();
  auto one = std::make_shared<attached>();
  sys->spawn(asker, registry, info(), actors::peer_ptr{first}, one);
  run();
  ASSERT_TRUE(*one);

  auto second = std::make_shared<fake_client_peer>();
  auto two = std::make_shared<attached>();
  // The asker runs first (its job is queued first): its attach is in the
  // registry's mailbox before the session quits and its down message.
  sys->spawn(asker, registry, info(), actors::peer_ptr{second}, two);
  caf::anon_send((*one)->first, actors::cl_closed_atom::value, (*one)->second);
  run();
  ASSERT_TRUE(*two);
  caf::anon_send((*two)->first, actors::cl_text_atom::value, (*two)->second,
                 std::string{R"({"type":"init_session"})"});
  run();
  EXPECT_EQ(second->texts("session_ready").size() + second->closes().size(), 1u)
      << "the new connection got neither session_ready nor a close: it was "
         "handed the actor that had just ended";
}
