// The registry and the gateway: one actor per session id, a newer
// connection replacing the older one (4009), counting, lease loss and
// shutdown, driven through actor_gateway as the transport drives it.

#include "tests/actors/session_fixture.hpp"

#include <thread>

#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/gateway.hpp"
#include "actors/session_registry.hpp"
#include "protocol/client_frame.hpp"

using namespace tryon;
using namespace tryon::testing;
using namespace std::chrono_literals;
using strings = std::vector<std::string>;
using codes = std::vector<std::uint16_t>;

namespace {

const std::string other_id = "5b3c6c1e-7d1a-4c1e-9d55-000000000002";

class SessionRegistryTest : public session_fixture {
protected:
  SessionRegistryTest() {
    registry = sys->spawn(actors::make_session_registry, env, caf::actor{});
    gateway = std::make_unique<actors::actor_gateway>(*sys, registry);
  }

  ~SessionRegistryTest() override {
    // Sessions the registry spawned end with it (1012), then it quits.
    caf::anon_send(registry, actors::shutdown_atom::value);
    EXPECT_TRUE(wait_down(registry));
    gateway.reset();
  }

  /// Attaches `peer` as the transport does and wires its writer.
  std::shared_ptr<actors::client_inbox>
  attach(const std::shared_ptr<fake_client_peer>& peer,
         const std::string& id = default_id) {
    auto inbox = gateway->attach(info(id), peer);
    if (inbox) {
      std::weak_ptr<actors::client_inbox> weak = inbox;
      peer->set_writer(
          std::shared_ptr<actors::inbound_counters>(inbox, &inbox->counters()),
          [weak] {
            if (auto i = weak.lock())
              i->on_frame_written();
          });
    }
    return inbox;
  }

  /// A camera frame through the inbox's mailbox bound, as the transport.
  void send_frame(actors::client_inbox& inbox, std::int64_t seq) {
    protocol::client_frame_header h;
    h.sequence = seq;
    h.format = "jpeg";
    auto message = protocol::encode_client_frame(h, camera_image(seq));
    if (inbox.counters().offer(message))
      inbox.on_binary(std::move(message));
  }

  /// The registry's count of live sessions.
  std::uint64_t count() {
    caf::scoped_actor self{*sys};
    std::uint64_t n = 0;
    self->request(registry, default_wait, actors::count_atom::value)
        .receive([&](std::uint64_t x) { n = x; },
                 [&](caf::error& err) {
                   ADD_FAILURE() << "count: " << sys->render(err);
                 });
    return n;
  }

  /// Waits until the registry counts `n` sessions (it learns of an ended
  /// session from a down message: polled, in short steps).
  bool wait_count(std::uint64_t n) {
    auto deadline = std::chrono::steady_clock::now() + default_wait;
    while (count() != n) {
      if (std::chrono::steady_clock::now() > deadline)
        return false;
      std::this_thread::sleep_for(5ms);
    }
    return true;
  }

  caf::actor registry;
  std::unique_ptr<actors::actor_gateway> gateway;
};

} // namespace

TEST_F(SessionRegistryTest, OneActorPerSessionIdAndEndedOnesAreForgotten) {
  auto a = std::make_shared<fake_client_peer>();
  auto b = std::make_shared<fake_client_peer>();
  auto in_a = attach(a);
  ASSERT_TRUE(in_a);
  EXPECT_EQ(count(), 1u);
  auto in_b = attach(b, other_id);
  ASSERT_TRUE(in_b);
  EXPECT_EQ(count(), 2u);
  in_a->on_text(client_text("init_session"));
  in_b->on_text(client_text("init_session"));
  ASSERT_TRUE(a->wait_texts("session_ready"));
  ASSERT_TRUE(b->wait_texts("session_ready"));
  EXPECT_EQ(a->texts("session_ready").at(0)["session_id"], default_id);
  EXPECT_EQ(b->texts("session_ready").at(0)["session_id"], other_id);
  // b's client leaves: its session ends and leaves the registry.
  in_b->on_closed();
  EXPECT_TRUE(wait_count(1));
  EXPECT_EQ(statuses_after(2, other_id), (strings{"active", "completed"}));
  EXPECT_EQ(statuses(*persisted_log, default_id), strings{"active"});
}

TEST_F(SessionRegistryTest, NewerConnectionReplacesTheOlderWith4009) {
  auto first = std::make_shared<fake_client_peer>();
  auto in1 = attach(first);
  ASSERT_TRUE(in1);
  in1->on_text(client_text("init_session"));
  ASSERT_TRUE(first->wait_texts("session_ready"));

  auto second = std::make_shared<fake_client_peer>();
  auto in2 = attach(second);
  ASSERT_TRUE(in2);
  ASSERT_TRUE(first->wait_close());
  EXPECT_EQ(first->closes(), codes{4009});
  EXPECT_EQ(count(), 1u);
  // The same actor goes on for the new connection: the AI session is open.
  in2->on_text(client_text("init_session"));
  ASSERT_TRUE(second->wait_texts("session_ready"));
  EXPECT_EQ(link_script->opens.size(), 1u);
  // The old connection's stragglers, and its close, are ignored.
  in1->on_text(client_text("ping", {{"timestamp", 1}}));
  in1->on_closed();
  in2->on_text(client_text("ping", {{"timestamp", 2}}));
  ASSERT_TRUE(second->wait_texts("pong"));
  EXPECT_TRUE(first->texts("pong").empty());
  EXPECT_EQ(second->texts("pong").at(0)["timestamp"], 2);
  send_frame(*in2, 1);
  ASSERT_TRUE(answer(0));
  ASSERT_TRUE(second->wait_frames(1));
  EXPECT_EQ(second->frames().at(0).first["sequence"], 1);
  EXPECT_TRUE(first->frames().empty());
  EXPECT_EQ(first->closes(), codes{4009});
  EXPECT_TRUE(second->closes().empty());
  EXPECT_EQ(count(), 1u);
}

TEST_F(SessionRegistryTest, LostLeaseMovesTheSessionAway) {
  auto peer = std::make_shared<fake_client_peer>();
  auto inbox = attach(peer);
  ASSERT_TRUE(inbox);
  inbox->on_text(client_text("init_session"));
  ASSERT_TRUE(peer->wait_texts("session_ready"));
  caf::anon_send(registry, actors::lease_lost_atom::value, default_id);
  ASSERT_TRUE(peer->wait_close());
  EXPECT_EQ(peer->closes(), codes{4009});
  EXPECT_TRUE(wait_count(0));
  // The other node owns the row and the AI session now.
  ASSERT_TRUE(link_script->forgets.wait_size(1));
  EXPECT_EQ(link_script->closes.size(), 0u);
  EXPECT_EQ(statuses(*persisted_log, default_id), strings{"active"});
}

TEST_F(SessionRegistryTest, ShutdownHandsEverySessionOffAndRefusesNewOnes) {
  auto a = std::make_shared<fake_client_peer>();
  auto b = std::make_shared<fake_client_peer>();
  auto in_a = attach(a);
  auto in_b = attach(b, other_id);
  ASSERT_TRUE(in_a && in_b);
  in_a->on_text(client_text("init_session"));
  ASSERT_TRUE(a->wait_texts("session_ready"));
  caf::anon_send(registry, actors::shutdown_atom::value);
  ASSERT_TRUE(a->wait_close());
  ASSERT_TRUE(b->wait_close());
  EXPECT_EQ(a->closes(), codes{1012});
  EXPECT_EQ(b->closes(), codes{1012});
  ASSERT_TRUE(wait_down(registry));
  auto late = std::make_shared<fake_client_peer>();
  EXPECT_EQ(attach(late), nullptr);
  // Only the session that opened the AI forgets it there.
  ASSERT_TRUE(link_script->forgets.wait_size(1));
  EXPECT_EQ(link_script->forgets.snapshot(), strings{default_id});
}
