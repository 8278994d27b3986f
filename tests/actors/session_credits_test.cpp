// AI credits as the session actors use them (actors/credit_gate.hpp): three
// sessions share one channel whose AI service takes one frame at once.
// A waiting frame stays with its session, where a newer one replaces it;
// freed slots go to the session that waited longest; a session that ends
// while waiting passes its turn on; accounting holds.

#include "tests/actors/session_fixture.hpp"

#include <caf/send.hpp>

#include "protocol/ai_message.hpp"

using namespace tryon;
using namespace tryon::testing;
using namespace std::chrono_literals;

namespace {

const std::string id_a = "5b3c6c1e-7d1a-4c1e-9d55-00000000000a";
const std::string id_b = "5b3c6c1e-7d1a-4c1e-9d55-00000000000b";
const std::string id_c = "5b3c6c1e-7d1a-4c1e-9d55-00000000000c";

/// (session id, sequence) of one frame written to the channel.
using sent_frame = std::pair<std::string, std::int64_t>;

class SessionCreditsTest : public session_fixture {
protected:
  SessionCreditsTest() {
    link_script->credits = std::make_shared<actors::ai_credits>(1);
    link_script->credits->gate.set_capacity(1);
  }

  /// A streaming session `id` with its own peer.
  caf::actor streaming(const std::string& id,
                       std::shared_ptr<fake_client_peer>& peer) {
    peer = std::make_shared<fake_client_peer>();
    auto s = start(peer, info(id));
    EXPECT_TRUE(init(s, *peer));
    return s;
  }

  /// Every frame written to the channel so far, in order.
  std::vector<sent_frame> sent() const {
    std::vector<sent_frame> out;
    for (const auto& f : channel.frames.snapshot()) {
      auto h = protocol::decode_ai_frame_request(*f);
      const auto& header = std::get<protocol::ai_frame_request_header>(h);
      out.emplace_back(header.session_id, header.sequence);
    }
    return out;
  }

  /// Three streaming sessions a, b, c (peers pa, pb, pc).
  struct trio {
    std::shared_ptr<fake_client_peer> pa, pb, pc;
    caf::actor a, b, c;
  };
  trio three_streaming() {
    trio t;
    t.a = streaming(id_a, t.pa);
    t.b = streaming(id_b, t.pb);
    t.c = streaming(id_c, t.pc);
    return t;
  }

  actors::credit_gate<actors::credit_waiter>::figures gate() const {
    return link_script->credits->gate.snapshot();
  }
};

} // namespace

TEST_F(SessionCreditsTest, WaitingFramesStayHomeAndSlotsGoToTheLongestWaiting) {
  auto [pa, pb, pc, a, b, c] = three_streaming();

  frame(a, 1);
  ASSERT_TRUE(channel.wait_frames(1));
  stats(a);
  frame(b, 1); // waits for the one slot, at home
  stats(b);
  frame(c, 1);
  frame(c, 2); // replaces c's waiting frame 1: the AI never sees it
  stats(c);
  frame(a, 2); // a's next frame queues behind b and c
  stats(a);
  EXPECT_EQ(channel.frames.size(), 1u);
  EXPECT_EQ(gate().in_use, 1u);
  EXPECT_EQ(gate().waiting,
            2u); // b, c: a waits in its pipeline (one in flight)

  // Each answer frees the slot for the session that waited longest.
  ASSERT_TRUE(answer(0));
  ASSERT_TRUE(channel.wait_frames(2));
  ASSERT_TRUE(answer(1));
  ASSERT_TRUE(channel.wait_frames(3));
  ASSERT_TRUE(answer(2));
  ASSERT_TRUE(channel.wait_frames(4));
  ASSERT_TRUE(answer(3));
  EXPECT_EQ(sent(), (std::vector<sent_frame>{
                        {id_a, 1}, {id_b, 1}, {id_c, 2}, {id_a, 2}}));
  ASSERT_TRUE(pa->wait_frames(2));
  ASSERT_TRUE(pb->wait_frames(1));
  ASSERT_TRUE(pc->wait_frames(1));

  // c's replaced frame is counted dropped, in its stats and its reply.
  auto sc = stats(c);
  EXPECT_EQ(sc["frames_accepted"], 2);
  EXPECT_EQ(sc["frames_processed"], 1);
  EXPECT_EQ(sc["frames_dropped"], 1);
  EXPECT_EQ(pc->frames().at(0).first["dropped_frames"], 1);
  for (auto* s : {&a, &b}) {
    auto st = stats(*s);
    EXPECT_EQ(st["frames_processed"], st["frames_accepted"]);
    EXPECT_EQ(st["frames_dropped"], 0);
  }
  EXPECT_EQ(gate().in_use, 0u);
  EXPECT_EQ(gate().waiting, 0u);
  EXPECT_EQ(channel.frames.size(), 4u);
}

TEST_F(SessionCreditsTest, ASessionThatEndsWhileWaitingPassesItsTurnOn) {
  auto [pa, pb, pc, a, b, c] = three_streaming();
  frame(a, 1);
  ASSERT_TRUE(channel.wait_frames(1));
  frame(b, 1);
  stats(b);
  frame(c, 1);
  stats(c);
  caf::anon_send(b, actors::cl_closed_atom::value, std::uint64_t{1});
  ASSERT_TRUE(wait_down(b));
  EXPECT_EQ(gate().waiting, 1u);
  // b's frame is dropped with it (final stats), c gets the slot.
  EXPECT_EQ(final_stats(id_b)["frames_dropped"], 1);
  ASSERT_TRUE(answer(0));
  ASSERT_TRUE(channel.wait_frames(2));
  EXPECT_EQ(sent(), (std::vector<sent_frame>{{id_a, 1}, {id_c, 1}}));
  ASSERT_TRUE(answer(1));
  ASSERT_TRUE(pc->wait_frames(1));
  EXPECT_EQ(gate().in_use, 0u);
}

TEST_F(SessionCreditsTest, ASessionThatEndsWithAFrameInFlightFreesItsSlot) {
  std::shared_ptr<fake_client_peer> pa, pb;
  auto a = streaming(id_a, pa);
  auto b = streaming(id_b, pb);
  frame(a, 1);
  ASSERT_TRUE(channel.wait_frames(1));
  frame(b, 1);
  stats(b);
  caf::anon_send(a, actors::expire_atom::value);
  ASSERT_TRUE(wait_down(a));
  ASSERT_TRUE(channel.wait_frames(2)); // b's frame went without an answer
  EXPECT_EQ(sent(), (std::vector<sent_frame>{{id_a, 1}, {id_b, 1}}));
}

TEST_F(SessionCreditsTest, ALargerCapacityLetsWaitingFramesGoAtOnce) {
  auto [pa, pb, pc, a, b, c] = three_streaming();
  frame(a, 1);
  ASSERT_TRUE(channel.wait_frames(1));
  frame(b, 1);
  frame(c, 1);
  stats(b);
  stats(c);
  EXPECT_EQ(channel.frames.size(), 1u);
  // What the link does on {"type":"capacity","frames":3}.
  auto& credits = *link_script->credits;
  for (auto& w : credits.gate.set_capacity(3))
    actors::wake(credits, std::move(w));
  ASSERT_TRUE(channel.wait_frames(3));
  EXPECT_EQ(gate().in_use, 3u);
  for (std::size_t i = 0; i < 3; ++i)
    ASSERT_TRUE(answer(i));
  ASSERT_TRUE(pb->wait_frames(1));
  ASSERT_TRUE(pc->wait_frames(1));
  stats(a);
  EXPECT_EQ(gate().in_use, 0u);
}

TEST_F(SessionCreditsTest, ARefusedFrameGivesItsSlotBack) {
  std::shared_ptr<fake_client_peer> pa, pb;
  auto a = streaming(id_a, pa);
  auto b = streaming(id_b, pb);
  channel.refuse = true; // the channel's queue is full
  frame(a, 1);
  stats(a);
  EXPECT_EQ(gate().in_use, 0u);
  channel.refuse = false;
  frame(b, 1);
  ASSERT_TRUE(channel.wait_frames(1));
  EXPECT_EQ(sent(), (std::vector<sent_frame>{{id_b, 1}}));
  EXPECT_EQ(stats(a)["frames_dropped"], 1);
}
